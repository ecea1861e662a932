package io.github.overparam.spark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.overparam.spark.analysis.AnalysisTables;
import io.github.overparam.spark.analysis.Claim;
import io.github.overparam.spark.analysis.Claims;
import io.github.overparam.spark.analysis.MemorizationAnswer;
import io.github.overparam.spark.analysis.SweepAnalysis;
import io.github.overparam.spark.analysis.Verdict;
import io.github.overparam.spark.sweep.SparkSessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The HTML report of one sweep folder: {@code <sweep>/report/index.html}, a page that stands alone
 * (figures inline as base64 PNG, CSS inline, no script, no external address), with each figure also
 * written beside it as PNG and as SVG (vectors, for papers; the page links to it).
 *
 * <p>In order: a title with the grid and the statuses; the verdicts (table {@code verdicts/});
 * critical width against n with the fitted power law and n, n^2 references ({@code critical/},
 * {@code fits/}; {@link CriticalSection}); the success rate over (width, n) ({@code runs/}); median
 * loss curves per width ({@code curves/}); the maximum neuron distance and the activation-flip
 * fraction against width (Du et al., ICLR 2019, Section 6; {@code runs/}; {@link RunSections}). A
 * section whose table is absent says so and how to make it. Aggregation happens in Spark SQL; only
 * small results reach the driver.
 *
 * <p>The page is deterministic for given tables except its date line.
 */
public final class ReportWriter {
  /** Folder of the report inside the sweep folder, and the page's name. */
  public static final String REPORT_DIR = "report";
  public static final String INDEX = "index.html";

  /**
   * Columns that may split a sweep into groups besides n, width and seed (labels like "depth=2"):
   * the group columns of the analysis less n (an axis of every figure) and hidden_layers (it
   * follows from depth).
   */
  static final List<String> FACET_CANDIDATES = AnalysisTables.GROUP_COLUMNS.stream().filter(c -> !c.equals("n")
      && !c.equals("hidden_layers")).toList();

  /** The grid line's columns: n and width, then the facet candidates. */
  static final List<String> AXES = Stream.concat(Stream.of("n", "width"), FACET_CANDIDATES.stream()).toList();

  private ReportWriter() {}

  /**
   * Writes {@code <sweepFolder>/report/index.html} (replacing any earlier report) and the figures'
   * PNG and SVG files beside it; returns the page's path. {@code sweepFolder} is any Hadoop path holding at least
   * {@code runs/}.
   *
   * @throws IllegalArgumentException when the folder holds no runs/ table
   */
  public static String write(SparkSession spark, String sweepFolder) {
    return write(spark, sweepFolder, Instant.now());
  }

  static String write(SparkSession spark, String sweepFolder, Instant now) {
    try {
      Report r = new Report(spark, sweepFolder);
      try {
        return build(r, now);
      } finally {
        r.dropViews();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code ReportWriter <sweep folder> [master]}: writes the report with an embedded Spark, prints its path. */
  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ReportWriter <sweep folder> [spark master]");
      System.exit(2);
    }
    SparkSession spark = SparkSessions.create(args.length > 1 ? args[1] : null, "overparam-report");
    try {
      System.out.println(write(spark, args[0]));
    } finally {
      spark.stop();
    }
  }

  private static String build(Report r, Instant now) throws IOException {
    r.registerViews();
    if (!r.has("runs")) {
      throw new IllegalArgumentException("not a sweep folder (no runs/ table): " + r.root);
    }
    findFacets(r);
    String sweep = header(r, now);
    answer(r);
    verdicts(r);
    new CriticalSection(r).write();
    new BudgetSection(r).write();
    RunSections runs = new RunSections(r);
    runs.successHeatMap();
    runs.lossCurves();
    runs.neuronDistanceAndFlips();
    r.body.append("<p class=\"meta\" style=\"margin-top:40px\">Tables in this folder: ").append(
        r.present.entrySet().stream().filter(Map.Entry::getValue).map(e -> "<code>" + e.getKey() + "/</code>").collect(
            Collectors.joining(", "))).append(". Query them with <code>overparam sql ").append(Html.escape(
                r.root.toString())).append(" \"SELECT ...\"</code>.</p>\n");

    String page = Html.page("overparam report: " + sweep, r.body.toString());
    Path dir = new Path(r.root, REPORT_DIR);
    if (r.fs.exists(dir)) {
      r.fs.delete(dir, true);
    }
    r.fs.mkdirs(dir);
    for (Map.Entry<String, byte[]> e : r.files.entrySet()) {
      writeFile(r.fs, new Path(dir, e.getKey()), e.getValue());
    }
    Path index = new Path(dir, INDEX);
    writeFile(r.fs, index, page.getBytes(StandardCharsets.UTF_8));
    return index.toString();
  }

  private static void writeFile(FileSystem fs, Path p, byte[] bytes) throws IOException {
    // On the local file system, no .crc files beside the page: a person opens this folder.
    FileSystem target = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    try (OutputStream out = target.create(p, true)) {
      out.write(bytes);
    }
  }

  // ---------------------------------------------------------------- grid and title

  /** The facet candidates that vary between runs become the report's facets ({@link Report#facetExpr}). */
  static void findFacets(Report r) {
    List<String> varying = r.cells().varying();
    r.facets = varying;
    if (!varying.isEmpty()) {
      r.facetExpr = varying.stream().map(c -> "concat('" + c + "=', coalesce(cast(" + c + " AS STRING), '-'))").collect(
          Collectors.joining(", ", "concat_ws(', ', ", ")"));
    }
  }

  private static String header(Report r, Instant now) throws IOException {
    JsonNode manifest = null;
    Path mf = new Path(r.root, "manifest.json");
    if (r.fs.exists(mf)) {
      try (InputStream in = r.fs.open(mf)) {
        manifest = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        manifest = null; // a damaged manifest loses the version line, not the report
      }
    }
    Row names = r.sql("SELECT min(sweep), count(*), count(DISTINCT seed) FROM ${runs}").get(0);
    String sweep = manifest != null && manifest.hasNonNull("sweep") ? manifest.get("sweep").asText()
        : names.isNullAt(0) ? r.root.getName() : names.getString(0);
    long rows = names.getLong(1);
    StringBuilder body = r.body;
    body.append("<h1>overparam report: ").append(Html.escape(sweep)).append("</h1>\n");

    StringBuilder grid = new StringBuilder();
    if (manifest != null && manifest.has("grid_size")) {
      grid.append(manifest.get("grid_size").asLong()).append(" runs in the grid, ");
    }
    grid.append(rows).append(" in runs/");
    if (manifest != null && manifest.has("complete")) {
      grid.append(manifest.get("complete").asBoolean() ? " (sweep complete)" : " (sweep incomplete: resume it)");
    }
    body.append("<p class=\"meta\"><b>Grid:</b> ").append(Html.escape(grid)).append(". ").append(Html.escape(axes(r,
        names.getLong(2)))).append("</p>\n");

    StringBuilder st = new StringBuilder();
    for (Map.Entry<String, Long> s : r.cells().statuses()) {
      String status = String.valueOf(s.getKey());
      st.append(st.length() == 0 ? "" : ", ").append("<span class=\"status-").append(Html.escape(status)).append(
          "\">").append(Html.escape(status)).append(" ").append(s.getValue()).append("</span>");
    }
    body.append("<p class=\"meta\"><b>Statuses:</b> ").append(st).append("</p>\n");
    if (manifest != null) {
      List<String> v = new ArrayList<>();
      for (String[] k : new String[][] {{"overparam_version", "overparam"}, {"git_commit", "commit"},
          {"spark_version", "Spark"}, {"java_version", "Java"}, {"master", "master"}}) {
        if (manifest.hasNonNull(k[0])) {
          String s = manifest.get(k[0]).asText();
          v.add(k[1] + " " + (k[0].equals("git_commit") && s.length() > 12 ? s.substring(0, 12) : s));
        }
      }
      if (manifest.hasNonNull("started_at") && manifest.hasNonNull("finished_at")) {
        v.add("ran " + manifest.get("started_at").asText() + " to " + manifest.get("finished_at").asText());
      }
      body.append("<p class=\"meta\"><b>Versions:</b> ").append(Html.escape(String.join("; ", v))).append("</p>\n");
    }
    body.append("<p class=\"meta\"><b>Report generated:</b> ").append(DateTimeFormatter.ofPattern(
        "yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC).format(now)).append("</p>\n");
    return sweep;
  }

  /**
   * "n: 16, 32, 64; width: 4 ... 1024 (9 values); depth: 1; 8 seeds; ...": the {@link #AXES} that
   * have a value in runs/.
   */
  private static String axes(Report r, long seeds) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, List<Object>> axis : r.cells().axisValues().entrySet()) {
      List<Object> values = axis.getValue();
      if (values.isEmpty()) {
        continue;
      }
      List<String> shown = values.stream().map(Report::format).toList();
      String text = shown.size() > 6 ? shown.get(0) + " ... " + shown.get(shown.size() - 1) + " (" + shown.size()
          + " values)" : String.join(", ", shown);
      parts.add(axis.getKey() + ": " + text);
    }
    parts.add(seeds + (seeds == 1 ? " seed" : " seeds"));
    return String.join("; ", parts) + ".";
  }

  // ---------------------------------------------------------------- the answer

  /** When n varies: the fit of critical trained params against n, params / n and the gap to n^2 L, first. */
  private static void answer(Report r) {
    if (!r.has("critical") || !r.has("fits")) {
      return;
    }
    MemorizationAnswer.Answer a = MemorizationAnswer.read(r.spark, r::view);
    if (!a.present()) {
      return;
    }
    StringBuilder body = r.body;
    body.append("<h2>How many trained parameters does GD need to fit n points?</h2>\n");
    for (MemorizationAnswer.Fit f : a.fits()) {
      body.append("<p><b>").append(Html.escape((a.fits().size() > 1 ? f.slice() + ": " : "") + f.text())).append(
          "</b>").append(f.exponent() == null ? "" : " <span class=\"meta\">(" + Html.escape(f.note())
              + ")</span>").append("</p>\n");
    }
    body.append("<p class=\"caption\">Per group: the critical width and trained parameters, critical params / n (for"
        + " real-valued labels a ratio below 1 is impossible at interpolation: it would mean the target is too loose),"
        + " and the gap to Noy et al.'s sufficient width n^2 L (L = hidden layers). Budget-limited groups are shown"
        + " but not fitted.</p>\n");
    boolean[] numeric = {false, true, true, true, false, false, true, true, true, true};
    body.append(Html.table(a.header(), a.rows(), numeric));
  }

  // ---------------------------------------------------------------- verdicts

  private static void verdicts(Report r) {
    StringBuilder body = r.body;
    body.append("<h2>Verdicts</h2>\n");
    if (!r.has("verdicts")) {
      body.append(Html.skipped("No <code>verdicts/</code> table yet: run <code>overparam analyze</code> on this"
          + " sweep folder to test the papers' claims; this section is skipped."));
      return;
    }
    // Tables written before verdicts.scope existed read it as empty.
    String scope = r.hasColumn("verdicts", "scope") ? "scope" : "'' AS scope";
    List<Row> rows = r.sql("SELECT claim, paper, statement, " + scope + ", measured, holds, evidence FROM ${verdicts}"
        + " ORDER BY paper, claim, statement");
    Map<Verdict, Integer> counts = new TreeMap<>();
    List<Html.TableRow> table = new ArrayList<>();
    for (Row v : rows) {
      Verdict holds = Verdict.fromText(v.isNullAt(5) ? null : v.getString(5));
      counts.merge(holds, 1, Integer::sum);
      List<Html.Cell> cells = new ArrayList<>();
      for (int j = 0; j < 7; j++) {
        cells.add(new Html.Cell(v.isNullAt(j) ? "" : v.getString(j), j == 5 ? "holds" : null));
      }
      String rule = Claims.ALL.stream().filter(c -> c.id().equals(v.getString(0))).map(
          Claim::ruleText).findFirst().orElse("");
      cells.add(6, new Html.Cell(rule, null));
      table.add(new Html.TableRow("holds-" + holds.text(), cells));
    }
    String t = Html.table("verdicts", List.of("claim", "paper", "statement", "scope", "measured", "holds", "rule",
        "evidence"), table);
    Map<String, String> skipped = SweepAnalysis.outOfScope(r.spark, r.root.toString());
    if (!skipped.isEmpty()) {
      List<Html.TableRow> out = new ArrayList<>();
      skipped.forEach((claim, why) -> out.add(new Html.TableRow(null, List.of(new Html.Cell(claim, null),
          new Html.Cell(why, null)))));
      t += "<p class=\"caption\">Claims this sweep cannot speak to, and why (their assumptions are not met, so they"
          + " get no verdict):</p>\n" + Html.table("out-of-scope", List.of("claim", "why"), out);
    }
    body.append("<p class=\"caption\">").append(rows.size()).append(rows.size() == 1 ? " claim" : " claims").append(
        " tested: ").append(counts.getOrDefault(Verdict.TRUE, 0)).append(" hold, ").append(counts.getOrDefault(
            Verdict.FALSE, 0)).append(" do not, ").append(counts.getOrDefault(Verdict.INCONCLUSIVE, 0)).append(
                " inconclusive (too little data for a confident answer).</p>\n").append(t);
  }
}
