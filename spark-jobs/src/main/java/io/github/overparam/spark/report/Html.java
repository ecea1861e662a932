package io.github.overparam.spark.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The report page: its Mustache templates (page, table, figure), escaping, and the CSS, all inline
 * (no external resource).
 */
final class Html {
  private Html() {}

  static final String CSS = """
      body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222;
        background: #fafafa; margin: 0; }
      main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
      h1 { font-size: 28px; margin: 0 0 8px; }
      h2 { font-size: 21px; margin: 36px 0 8px; padding-top: 12px; border-top: 1px solid #e5e5e5; }
      p.meta { color: #555; margin: 2px 0; font-size: 14px; }
      p.caption { color: #444; font-size: 15px; margin: 4px 0 14px; max-width: 960px; }
      p.skipped { background: #f3f3f3; border-left: 4px solid #aaa; padding: 8px 12px; color: #444; }
      code { background: #f1f1f1; padding: 1px 4px; border-radius: 3px; font-size: 90%; }
      figure { margin: 12px 0 20px; }
      figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
      figcaption { color: #444; font-size: 15px; margin-top: 4px; max-width: 960px; }
      .multiples { display: flex; flex-wrap: wrap; gap: 12px; }
      .multiples figure { flex: 1 1 520px; max-width: 640px; margin: 0; }
      table { border-collapse: collapse; font-size: 14px; margin: 8px 0 16px; }
      th, td { border: 1px solid #ddd; padding: 5px 9px; text-align: left; vertical-align: top; }
      th { background: #f0f0f0; }
      table.verdicts td:last-child { font-size: 13px; color: #555; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
      tr.holds-true td.holds { background: #d9f0d3; color: #1b5e20; font-weight: bold; }
      tr.holds-false td.holds { background: #f8d7da; color: #8e1b24; font-weight: bold; }
      tr.holds-inconclusive td.holds { background: #fff1c6; color: #6d5200; font-weight: bold; }
      .status-converged { color: #1b5e20; } .status-max_steps { color: #6d5200; }
      .status-diverged, .status-failed { color: #8e1b24; }
      """;

  /**
   * The templates (resources beside this class) with every {@code {{value}}} escaped by
   * {@link #escape}; {@code {{{value}}}} inserts HTML built by the report.
   */
  private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory("io/github/overparam/spark/report") {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(escape(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  private static final Mustache PAGE = TEMPLATES.compile("page.mustache");
  private static final Mustache TABLE = TEMPLATES.compile("table.mustache");
  private static final Mustache FIGURE = TEMPLATES.compile("figure.mustache");

  private static String render(Mustache template, Map<String, Object> scope) {
    StringWriter out = new StringWriter();
    template.execute(out, scope);
    return out.toString();
  }

  /** The whole page: head with the title (escaped) and the inline CSS, then {@code body} (HTML) in main. */
  static String page(String title, String body) {
    return render(PAGE, Map.of("title", title, "css", CSS, "body", body));
  }

  static String escape(Object o) {
    if (o == null) {
      return "";
    }
    String s = o.toString();
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * A figure: the PNG inline as a data URI (the page stands alone), its caption under it with a link
   * to the SVG beside the page ({@code <id>.svg}).
   */
  static String figure(String id, byte[] png, int width, int height, String alt, String caption) {
    return render(FIGURE, Map.of("id", id, "png", Base64.getEncoder().encodeToString(png), "width", width,
        "height", height, "alt", alt, "caption", caption));
  }

  static String skipped(String text) {
    return "<p class=\"skipped\">" + text + "</p>\n";
  }

  /** A table cell: its text (escaped) and its class (null for none). */
  record Cell(String text, String cls) {}

  /** A table row: its class (null for none) and its cells. */
  record TableRow(String cls, List<Cell> cells) {}

  /** A table; cells are escaped; {@code numeric[j]} right-aligns column j. */
  static String table(List<String> header, List<List<String>> rows, boolean[] numeric) {
    List<TableRow> out = new ArrayList<>();
    for (List<String> row : rows) {
      List<Cell> cells = new ArrayList<>();
      for (int j = 0; j < row.size(); j++) {
        cells.add(new Cell(row.get(j), numeric != null && numeric[j] ? "num" : null));
      }
      out.add(new TableRow(null, cells));
    }
    return table(null, header, out);
  }

  /** A table of class {@code tableClass} (null for none) with classed rows and cells; cells are escaped. */
  static String table(String tableClass, List<String> header, List<TableRow> rows) {
    List<Map<String, Object>> rowScopes = new ArrayList<>();
    for (TableRow row : rows) {
      List<Map<String, Object>> cells = new ArrayList<>();
      for (Cell c : row.cells()) {
        Map<String, Object> cell = new HashMap<>();
        cell.put("text", c.text());
        cell.put("cellClass", c.cls() == null ? false : c.cls());
        cells.add(cell);
      }
      Map<String, Object> scope = new HashMap<>();
      scope.put("rowClass", row.cls() == null ? false : row.cls());
      scope.put("cells", cells);
      rowScopes.add(scope);
    }
    Map<String, Object> scope = new HashMap<>();
    scope.put("tableClass", tableClass == null ? false : tableClass);
    scope.put("header", header);
    scope.put("rows", rowScopes);
    return render(TABLE, scope);
  }
}
