package io.github.overparam.spark.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.Seq;

/** Query results as an aligned text table for the console (what Dataset.show prints, as a string). */
public final class TextTable {
  private TextTable() {}

  /** The first {@code maxRows} rows of {@code df}, with a note when more exist. */
  public static String format(Dataset<Row> df, int maxRows) {
    String[] names = df.columns();
    List<Row> rows = df.takeAsList(maxRows + 1);
    boolean more = rows.size() > maxRows;
    if (more) {
      rows = rows.subList(0, maxRows);
    }
    List<String[]> cells = new ArrayList<>();
    int[] widths = new int[names.length];
    for (int j = 0; j < names.length; j++) {
      widths[j] = names[j].length();
    }
    for (Row r : rows) {
      String[] line = new String[names.length];
      for (int j = 0; j < names.length; j++) {
        line[j] = cell(r.get(j));
        widths[j] = Math.max(widths[j], line[j].length());
      }
      cells.add(line);
    }
    StringBuilder sb = new StringBuilder();
    appendLine(sb, names, widths);
    StringBuilder rule = new StringBuilder();
    for (int j = 0; j < names.length; j++) {
      rule.append(j == 0 ? "" : "-+-").append("-".repeat(widths[j]));
    }
    sb.append(rule).append('\n');
    for (String[] line : cells) {
      appendLine(sb, line, widths);
    }
    sb.append(more ? "(only the first " + maxRows + " rows shown)\n" : "(" + rows.size() + " rows)\n");
    return sb.toString();
  }

  private static void appendLine(StringBuilder sb, String[] values, int[] widths) {
    for (int j = 0; j < values.length; j++) {
      sb.append(j == 0 ? "" : " | ").append(String.format(Locale.ROOT, "%-" + widths[j] + "s", values[j]));
    }
    sb.append('\n');
  }

  private static String cell(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d)
          : String.format(Locale.ROOT, "%.6g", d);
    }
    if (v instanceof Seq<?> seq) {
      return seq.mkString("[", ", ", "]");
    }
    String s = v.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
