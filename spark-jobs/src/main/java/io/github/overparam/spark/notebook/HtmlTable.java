package io.github.overparam.spark.notebook;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.Seq;

/** Query results as a small HTML table (what a notebook shows for a DataFrame). */
public final class HtmlTable {
  private HtmlTable() {}

  /** The first {@code maxRows} rows of {@code df}, with a caption when more exist. */
  public static String of(Dataset<Row> df, int maxRows) {
    String[] names = df.columns();
    List<Row> rows = df.takeAsList(maxRows + 1);
    boolean more = rows.size() > maxRows;
    StringBuilder sb = new StringBuilder("<table>\n<thead><tr>");
    for (String n : names) {
      sb.append("<th>").append(escape(n)).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    for (Row r : more ? rows.subList(0, maxRows) : rows) {
      sb.append("<tr>");
      for (int j = 0; j < names.length; j++) {
        Object v = r.get(j);
        boolean number = v instanceof Number;
        sb.append(number ? "<td style=\"text-align:right\">" : "<td style=\"text-align:left\">").append(escape(cell(
            v))).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n");
    sb.append("<p>").append(more ? "only the first " + maxRows + " rows shown" : rows.size() + " rows").append("</p>");
    return sb.toString();
  }

  static String cell(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d)
          : String.format(Locale.ROOT, "%.4g", d);
    }
    if (v instanceof Seq<?> seq) {
      return seq.mkString("[", ", ", "]");
    }
    return v.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
