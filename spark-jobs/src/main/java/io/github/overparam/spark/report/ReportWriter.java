package io.github.overparam.spark.report;

import io.github.overparam.spark.table.Table;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;

/**
 * The HTML report of one sweep folder: {@code <sweep>/report/index.html}, a page that stands alone
 * (figures inline as base64 PNG, CSS inline, no script, no external address), with each PNG also
 * written beside it.
 *
 * <p>In order: a title with the grid and the statuses; the verdicts (table {@code verdicts/});
 * critical width against n with the fitted power law and n, n^2 references ({@code critical/},
 * {@code fits/}); the success rate over (width, n) ({@code runs/}); median loss curves per width
 * ({@code curves/}); the maximum neuron distance and the activation-flip fraction against width
 * (Du et al., ICLR 2019, Section 6; {@code runs/}). A section whose table is absent says so and
 * how to make it. Aggregation happens in Spark SQL; only small results reach the driver.
 *
 * <p>The page is deterministic for given tables except its date line.
 */
public final class ReportWriter {
  /** Folder of the report inside the sweep folder, and the page's name. */
  public static final String REPORT_DIR = "report";
  public static final String INDEX = "index.html";

  /** Columns that may split a sweep into groups besides n, width and seed (labels like "depth=2"). */
  static final List<String> FACET_CANDIDATES = List.of("model", "parameterization", "activation", "depth",
      "train_output", "d", "labels", "random_labels", "teacher_width", "input_map", "n_test", "loss_fn", "optimizer",
      "lr", "batch_size", "max_steps", "target_value");

  /** Columns of critical/ that are results, not group columns. */
  static final List<String> CRITICAL_RESULT_COLUMNS = List.of("group_key", "widths", "success_rates",
      "runs_per_width", "threshold", "critical_width", "critical_width_status", "critical_params",
      "seed_critical_widths", "lambda0_mean", "n");

  private static final int MAX_PANELS = 4;
  private static final int MAX_SERIES = 12;
  private static final String VIEW = "overparam_report_";

  private final SparkSession spark;
  private final Path root;
  private final FileSystem fs;
  private final Map<String, Boolean> present = new LinkedHashMap<>();
  private final Map<String, byte[]> pngs = new LinkedHashMap<>();
  private final StringBuilder body = new StringBuilder();
  /** SQL expression labelling a run's group besides n, e.g. "depth=2, lr=0.5" ('' when nothing varies). */
  private String facetExpr = "''";
  private List<String> facets = List.of();
  private int figureCount;

  private ReportWriter(SparkSession spark, String sweepFolder) throws IOException {
    this.spark = spark;
    Path p = new Path(sweepFolder);
    this.fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    this.root = fs.makeQualified(p);
  }

  /**
   * Writes {@code <sweepFolder>/report/index.html} (replacing any earlier report) and the PNGs
   * beside it; returns the page's path. {@code sweepFolder} is any Hadoop path holding at least
   * {@code runs/}.
   *
   * @throws IllegalArgumentException when the folder holds no runs/ table
   */
  public static String write(SparkSession spark, String sweepFolder) {
    return write(spark, sweepFolder, Instant.now());
  }

  static String write(SparkSession spark, String sweepFolder, Instant now) {
    try {
      ReportWriter w = new ReportWriter(spark, sweepFolder);
      try {
        return w.build(now);
      } finally {
        w.dropViews();
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

  private String build(Instant now) throws IOException {
    for (Table table : Table.values()) {
      String t = table.dir();
      // Committed waves only: what a crashed wave left behind is not a result.
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df =
          io.github.overparam.spark.sweep.SweepViews.read(spark, root.toString(), table);
      present.put(t, df != null);
      if (df != null) {
        df.createOrReplaceTempView(VIEW + t);
      }
    }
    if (!present.get("runs")) {
      throw new IllegalArgumentException("not a sweep folder (no runs/ table): " + root);
    }
    findFacets();
    String sweep = header(now);
    verdicts();
    criticalWidth();
    successHeatMap();
    lossCurves();
    neuronDistanceAndFlips();
    body.append("<p class=\"meta\" style=\"margin-top:40px\">Tables in this folder: ")
        .append(present.entrySet().stream().filter(Map.Entry::getValue).map(e -> "<code>" + e.getKey() + "/</code>")
            .collect(Collectors.joining(", ")))
        .append(". Query them with <code>overparam sql ").append(Html.escape(root.toString()))
        .append(" \"SELECT ...\"</code>.</p>\n");

    String page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>overparam report: "
        + Html.escape(sweep) + "</title>\n<style>\n" + Html.CSS + "</style>\n</head>\n<body>\n<main>\n" + body
        + "</main>\n</body>\n</html>\n";
    Path dir = new Path(root, REPORT_DIR);
    if (fs.exists(dir)) {
      fs.delete(dir, true);
    }
    fs.mkdirs(dir);
    for (Map.Entry<String, byte[]> e : pngs.entrySet()) {
      writeFile(new Path(dir, e.getKey()), e.getValue());
    }
    Path index = new Path(dir, INDEX);
    writeFile(index, page.getBytes(StandardCharsets.UTF_8));
    return index.toString();
  }

  private void writeFile(Path p, byte[] bytes) throws IOException {
    // On the local file system, no .crc files beside the page: a person opens this folder.
    FileSystem target = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    try (OutputStream out = target.create(p, true)) {
      out.write(bytes);
    }
  }

  private void dropViews() {
    for (String t : present.keySet()) {
      spark.catalog().dropTempView(VIEW + t);
    }
  }

  private static final java.util.regex.Pattern TABLE_REF = java.util.regex.Pattern.compile("\\$\\{(\\w+)}");

  /** Runs {@code query} with each {@code ${table}} naming this report's view of that table. */
  private List<Row> sql(String query) {
    return spark.sql(TABLE_REF.matcher(query).replaceAll(VIEW + "$1")).collectAsList();
  }

  private boolean hasColumn(String table, String column) {
    return Arrays.asList(spark.table(VIEW + table).columns()).contains(column);
  }

  // ---------------------------------------------------------------- grid and title

  private void findFacets() {
    List<String> candidates = FACET_CANDIDATES.stream().filter(c -> hasColumn("runs", c)).toList();
    if (candidates.isEmpty()) {
      return;
    }
    String q = candidates.stream().map(c -> "count(DISTINCT coalesce(cast(" + c + " AS STRING), '-'))")
        .collect(Collectors.joining(", ", "SELECT ", " FROM ${runs}"));
    Row r = sql(q).get(0);
    List<String> varying = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      if (r.getLong(i) > 1) {
        varying.add(candidates.get(i));
      }
    }
    facets = varying;
    if (!varying.isEmpty()) {
      facetExpr = varying.stream().map(c -> "concat('" + c + "=', coalesce(cast(" + c + " AS STRING), '-'))")
          .collect(Collectors.joining(", ", "concat_ws(', ', ", ")"));
    }
  }

  private String header(Instant now) throws IOException {
    JsonNode manifest = null;
    Path mf = new Path(root, "manifest.json");
    if (fs.exists(mf)) {
      try (InputStream in = fs.open(mf)) {
        manifest = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        manifest = null; // a damaged manifest loses the version line, not the report
      }
    }
    Row names = sql("SELECT min(sweep), count(*), count(DISTINCT seed) FROM ${runs}").get(0);
    String sweep = manifest != null && manifest.hasNonNull("sweep") ? manifest.get("sweep").asText()
        : names.isNullAt(0) ? root.getName() : names.getString(0);
    long rows = names.getLong(1);
    body.append("<h1>overparam report: ").append(Html.escape(sweep)).append("</h1>\n");

    StringBuilder grid = new StringBuilder();
    if (manifest != null && manifest.has("grid_size")) {
      grid.append(manifest.get("grid_size").asLong()).append(" runs in the grid, ");
    }
    grid.append(rows).append(" in runs/");
    if (manifest != null && manifest.has("complete")) {
      grid.append(manifest.get("complete").asBoolean() ? " (sweep complete)" : " (sweep incomplete: resume it)");
    }
    body.append("<p class=\"meta\"><b>Grid:</b> ").append(Html.escape(grid)).append(". ")
        .append(Html.escape(axes(names.getLong(2)))).append("</p>\n");

    StringBuilder st = new StringBuilder();
    for (Row r : sql("SELECT status, count(*) FROM ${runs} GROUP BY status ORDER BY count(*) DESC, status")) {
      st.append(st.length() == 0 ? "" : ", ").append("<span class=\"status-").append(Html.escape(r.getString(0)))
          .append("\">").append(Html.escape(r.getString(0))).append(" ").append(r.getLong(1)).append("</span>");
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
    body.append("<p class=\"meta\"><b>Report generated:</b> ")
        .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC).format(now))
        .append("</p>\n");
    return sweep;
  }

  /** "n: 16, 32, 64; width: 4 ... 1024 (9 values); depth: 1; 8 seeds; ...". */
  private String axes(long seeds) {
    List<String> cols = new ArrayList<>(List.of("n", "width", "depth", "d", "model", "parameterization",
        "activation", "labels", "loss_fn", "optimizer", "lr", "max_steps"));
    cols.removeIf(c -> !hasColumn("runs", c));
    String q = cols.stream().map(c -> "array_sort(collect_set(" + c + "))")
        .collect(Collectors.joining(", ", "SELECT ", " FROM ${runs}"));
    Row r = sql(q).get(0);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      List<Object> values = r.getList(i);
      List<String> shown = values.stream().map(ReportWriter::format).toList();
      String text = shown.size() > 6 ? shown.get(0) + " ... " + shown.get(shown.size() - 1) + " (" + shown.size()
          + " values)" : String.join(", ", shown);
      parts.add(cols.get(i) + ": " + text);
    }
    parts.add(seeds + (seeds == 1 ? " seed" : " seeds"));
    return String.join("; ", parts) + ".";
  }

  static String format(Object o) {
    if (o == null) {
      return "";
    }
    if (o instanceof Double d) {
      return Charts.number(d);
    }
    if (o instanceof Float f) {
      return Charts.number(f);
    }
    return o.toString();
  }

  private String figure(String file, byte[] png, int width, int height, String alt, String caption) {
    figureCount++;
    String name = String.format(Locale.ROOT, "fig%02d-%s.png", figureCount, file);
    pngs.put(name, png);
    return Html.figure(name.replace(".png", ""), png, width, height, alt, caption);
  }

  // ---------------------------------------------------------------- verdicts

  private void verdicts() {
    body.append("<h2>Verdicts</h2>\n");
    if (!present.get("verdicts")) {
      body.append(Html.skipped("No <code>verdicts/</code> table yet: run <code>overparam analyze</code> on this"
          + " sweep folder to test the papers' claims; this section is skipped."));
      return;
    }
    List<Row> rows = sql("SELECT claim, paper, statement, measured, holds, evidence FROM ${verdicts}"
        + " ORDER BY paper, claim, statement");
    Map<String, Integer> counts = new TreeMap<>();
    StringBuilder t = new StringBuilder("<table class=\"verdicts\">\n<thead><tr><th>claim</th><th>paper</th>"
        + "<th>statement</th><th>measured</th><th>holds</th><th>evidence</th></tr></thead>\n<tbody>\n");
    for (Row r : rows) {
      String holds = r.isNullAt(4) ? "inconclusive" : r.getString(4).trim().toLowerCase(Locale.ROOT);
      String cls = switch (holds) {
        case "true", "false" -> holds;
        default -> "inconclusive";
      };
      counts.merge(cls, 1, Integer::sum);
      t.append("<tr class=\"holds-").append(cls).append("\">");
      for (int j = 0; j < 6; j++) {
        t.append(j == 4 ? "<td class=\"holds\">" : "<td>").append(Html.escape(r.isNullAt(j) ? "" : r.getString(j)))
            .append("</td>");
      }
      t.append("</tr>\n");
    }
    t.append("</tbody>\n</table>\n");
    body.append("<p class=\"caption\">").append(rows.size()).append(rows.size() == 1 ? " claim" : " claims")
        .append(" tested: ").append(counts.getOrDefault("true", 0)).append(" hold, ")
        .append(counts.getOrDefault("false", 0)).append(" do not, ").append(counts.getOrDefault("inconclusive", 0))
        .append(" inconclusive (too little data for a confident answer).</p>\n").append(t);
  }

  // ---------------------------------------------------------------- critical width

  private void criticalWidth() {
    body.append("<h2>Critical width against n</h2>\n");
    if (!present.get("critical")) {
      body.append(Html.skipped("No <code>critical/</code> table yet: run <code>overparam analyze</code> on this"
          + " sweep folder to find the critical width of each group; this section is skipped."));
      return;
    }
    StructField[] fields = spark.table(VIEW + "critical").schema().fields();
    List<String> groupCols = new ArrayList<>();
    for (StructField f : fields) {
      if (!CRITICAL_RESULT_COLUMNS.contains(f.name())) {
        groupCols.add(f.name());
      }
    }
    // Series = the group columns that vary between rows (n excepted); label them "depth=2, lr=0.5".
    List<String> varying = new ArrayList<>();
    if (!groupCols.isEmpty()) {
      Row counts = sql(groupCols.stream().map(c -> "count(DISTINCT coalesce(cast(" + c + " AS STRING), '-'))")
          .collect(Collectors.joining(", ", "SELECT ", " FROM ${critical}"))).get(0);
      for (int i = 0; i < groupCols.size(); i++) {
        if (counts.getLong(i) > 1) {
          varying.add(groupCols.get(i));
        }
      }
    }
    // hidden_layers follows from depth (and the parameterization): naming both says nothing more.
    if (varying.contains("depth")) {
      varying.remove("hidden_layers");
    }
    String label = varying.isEmpty() ? "''" : varying.stream()
        .map(c -> "concat('" + c + "=', coalesce(cast(" + c + " AS STRING), '-'))")
        .collect(Collectors.joining(", ", "concat_ws(', ', ", ")"));
    List<Row> rows = sql("SELECT " + label + " AS series, n, critical_width, critical_width_status, critical_params,"
        + " group_key, lambda0_mean FROM ${critical} ORDER BY series, n, group_key");

    // Measured points per series (bracketed only: the others are bounds, listed in the table).
    Map<String, List<double[]>> points = new TreeMap<>();
    Map<String, List<String>> keysBySeries = new TreeMap<>();
    for (Row r : rows) {
      String s = r.getString(0);
      keysBySeries.computeIfAbsent(s, k -> new ArrayList<>()).add(r.isNullAt(5) ? "" : r.getString(5));
      points.computeIfAbsent(s, k -> new ArrayList<>());
      if (!r.isNullAt(1) && !r.isNullAt(2) && "bracketed".equals(r.getString(3)) && r.getDouble(2) > 0
          && r.getInt(1) > 0) {
        points.get(s).add(new double[] {r.getInt(1), r.getDouble(2)});
      }
    }
    List<Row> fits = present.get("fits") ? sql("SELECT group_key, exponent, ci_low, ci_high, prefactor, r2, points,"
        + " note FROM ${fits} WHERE quantity = 'critical_width' AND against = 'n' ORDER BY group_key") : List.of();

    boolean anyPoint = points.values().stream().anyMatch(l -> !l.isEmpty());
    if (anyPoint) {
      XYChart chart = Charts.xy(Charts.WIDE, Charts.HEIGHT, "Critical width against sample size",
          "n (training points)", "critical width m* (neurons per hidden layer)", true, true);
      double nMin = Double.MAX_VALUE;
      double nMax = 0;
      for (List<double[]> l : points.values()) {
        for (double[] p : l) {
          nMin = Math.min(nMin, p[0]);
          nMax = Math.max(nMax, p[0]);
        }
      }
      if (nMax <= nMin) {
        nMax = nMin * 2;
      }
      List<String> seriesNames = new ArrayList<>(points.keySet());
      boolean[] fitUsed = new boolean[fits.size()];
      int i = 0;
      double[] anchor = null;
      for (String s : seriesNames) {
        List<double[]> l = points.get(s);
        if (l.isEmpty() || i >= MAX_SERIES) {
          continue;
        }
        // The references start at the smallest n measured (the first series' on ties).
        if (anchor == null || l.get(0)[0] < anchor[0]) {
          anchor = l.get(0);
        }
        java.awt.Color color = Charts.categorical(i++);
        String name = s.isEmpty() ? "measured m*" : "measured m*, " + s;
        Charts.measured(chart, name, l.stream().map(p -> p[0]).toList(), l.stream().map(p -> p[1]).toList(), color)
            .setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        int f = matchFit(fits, s, keysBySeries.get(s), seriesNames.size());
        if (f >= 0 && !fitUsed[f]) {
          fitUsed[f] = true;
          addFitLine(chart, fits.get(f), s, color, nMin, nMax);
        }
      }
      for (int f = 0; f < fits.size(); f++) {
        if (!fitUsed[f] && i < MAX_SERIES) {
          addFitLine(chart, fits.get(f), fits.get(f).isNullAt(0) ? "" : fits.get(f).getString(0),
              Charts.categorical(i++), nMin, nMax);
        }
      }
      // Within a decade XChart labels no log tick unless told to label them all.
      chart.getStyler().setXAxisLogarithmicDecadeOnly(nMax / nMin >= 20);
      chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
      chart.getStyler().setXAxisMin(nMin / 1.12);
      chart.getStyler().setXAxisMax(nMax * 1.12);
      List<Double>[] sq = Charts.powerLaw(anchor[0], anchor[1], 2, nMin, nMax);
      Charts.reference(chart, "~ n^2 (reference)", sq[0], sq[1], Charts.REFERENCE);
      List<Double>[] lin = Charts.powerLaw(anchor[0], anchor[1], 1, nMin, nMax);
      Charts.reference(chart, "~ n (reference)", lin[0], lin[1], new java.awt.Color(0xbbbbbb));
      body.append(figure("critical-width", Charts.png(chart), Charts.WIDE, Charts.HEIGHT,
          "log-log plot of critical width against n",
          "Critical width m* (the smallest width at which the success rate reaches the threshold) against n on"
              + " log-log axes, with the fitted power law and dashed n and n^2 references through the first point:"
              + " look for the measured slope, which the claims of Noy et al. bound by 2, and compare it with n"
              + " (parameter count proportional to n)."));
    } else {
      body.append(Html.skipped("No group has a bracketed critical width (every one is below the grid or not"
          + " reached), so there is nothing to plot; see the table."));
    }
    if (!fits.isEmpty()) {
      body.append(Html.table(List.of("group", "exponent", "CI", "prefactor", "R^2", "points", "note"),
          fits.stream().map(r -> List.of(str(r, 0), num(r, 1),
              r.isNullAt(2) && r.isNullAt(3) ? "" : "[" + num(r, 2) + ", " + num(r, 3) + "]", num(r, 4),
              num(r, 5), r.isNullAt(6) ? "" : String.valueOf(r.getInt(6)), str(r, 7))).toList(),
          new boolean[] {false, true, true, true, true, true, false}));
    } else if (!present.get("fits")) {
      body.append(Html.skipped("No <code>fits/</code> table yet: run <code>overparam analyze</code> to fit the"
          + " scaling law; the fitted line is left out."));
    }
    body.append(Html.table(List.of("group", "n", "critical width", "status", "critical params", "lambda_0 (mean)"),
        rows.stream().map(r -> List.of(str(r, 5), r.isNullAt(1) ? "" : String.valueOf(r.getInt(1)), num(r, 2),
            str(r, 3), num(r, 4), num(r, 6))).toList(),
        new boolean[] {false, true, true, false, true, true}));
  }

  private void addFitLine(XYChart chart, Row fit, String series, java.awt.Color color, double nMin, double nMax) {
    if (fit.isNullAt(1) || fit.isNullAt(4) || fit.getDouble(4) <= 0) {
      return;
    }
    List<Double>[] line = Charts.powerLawFrom(fit.getDouble(4), fit.getDouble(1), nMin, nMax);
    String ci = fit.isNullAt(2) || fit.isNullAt(3) ? "" : String.format(Locale.ROOT, ", CI [%.2f, %.2f]",
        fit.getDouble(2), fit.getDouble(3));
    String name = String.format(Locale.ROOT, "fit%s: m* ~ n^%.2f%s", series.isEmpty() ? "" : " " + series,
        fit.getDouble(1), ci);
    Charts.line(chart, name, line[0], line[1], color, 2f);
  }

  /**
   * The fit (of critical width against n) that belongs to a series: the one whose group key is
   * one of the series' group keys, or whose "column=value" tokens all agree with the series label;
   * the only fit when there is only one series.
   */
  static int matchFit(List<Row> fits, String series, List<String> seriesKeys, int seriesCount) {
    for (int f = 0; f < fits.size(); f++) {
      String key = fits.get(f).isNullAt(0) ? "" : fits.get(f).getString(0);
      if (!key.isEmpty() && seriesKeys.contains(key)) {
        return f;
      }
    }
    return matchFit(fits, pairs(series), seriesCount);
  }

  /**
   * The fit whose group key ("col=value" joined by ';', or "all") agrees with a series described by
   * {@code descriptor} on every column both name; "all" (or the only fit) when there is one series.
   */
  static int matchFit(List<Row> fits, Map<String, String> descriptor, int seriesCount) {
    if (!descriptor.isEmpty()) {
      for (int f = 0; f < fits.size(); f++) {
        Map<String, String> tokens = pairs(fits.get(f).isNullAt(0) ? "" : fits.get(f).getString(0));
        boolean all = true;
        boolean any = false;
        for (Map.Entry<String, String> e : descriptor.entrySet()) {
          String v = tokens.get(e.getKey());
          if (v != null) {
            any = true;
            all &= sameValue(v, e.getValue());
          }
        }
        if (any && all) {
          return f;
        }
      }
    }
    if (seriesCount == 1) {
      for (int f = 0; f < fits.size(); f++) {
        if (!fits.get(f).isNullAt(0) && fits.get(f).getString(0).equals("all")) {
          return f;
        }
      }
      return fits.size() == 1 ? 0 : -1;
    }
    return -1;
  }

  /** "depth=2;lr=0.5" or "n = 16, depth=2" as a map of column to value. */
  static Map<String, String> pairs(String text) {
    Map<String, String> out = new TreeMap<>();
    for (String tok : text.split("[,;|&]+")) {
      int eq = tok.indexOf('=');
      if (eq > 0) {
        out.put(tok.substring(0, eq).trim(), tok.substring(eq + 1).trim());
      }
    }
    return out;
  }

  private static boolean sameValue(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return Double.parseDouble(a) == Double.parseDouble(b);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String str(Row r, int i) {
    return r.isNullAt(i) ? "" : r.get(i).toString();
  }

  private static String num(Row r, int i) {
    if (r.isNullAt(i)) {
      return "";
    }
    Object o = r.get(i);
    if (o instanceof Double d) {
      return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.1f", d).replaceAll("\\.0$", "")
          : String.format(Locale.ROOT, "%.3g", d);
    }
    return o.toString();
  }

  // ---------------------------------------------------------------- success heat map

  private void successHeatMap() {
    body.append("<h2>Success rate over width and n</h2>\n");
    List<Row> rows = sql("SELECT " + facetExpr + " AS fk, n, width, avg(CASE WHEN status = 'converged' THEN 1.0"
        + " ELSE 0.0 END) AS success, count(*) AS runs FROM ${runs} WHERE n IS NOT NULL AND width IS NOT NULL"
        + " GROUP BY 1, n, width ORDER BY 1, n, width");
    Map<String, List<Row>> byFacet = new TreeMap<>();
    for (Row r : rows) {
      byFacet.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }
    if (byFacet.isEmpty()) {
      body.append(Html.skipped("The <code>runs/</code> table holds no runs yet; this section is skipped."));
      return;
    }
    if (byFacet.size() > MAX_PANELS) {
      body.append(Html.skipped(Html.escape("The first " + MAX_PANELS + " of " + byFacet.size()
          + " groups (" + String.join(", ", facets) + ") are shown; query the rest with overparam sql.")));
    }
    StringBuilder figs = new StringBuilder();
    int shown = 0;
    for (Map.Entry<String, List<Row>> e : byFacet.entrySet()) {
      if (shown++ >= MAX_PANELS) {
        break;
      }
      TreeSet<Integer> widths = new TreeSet<>();
      TreeSet<Integer> ns = new TreeSet<>();
      for (Row r : e.getValue()) {
        ns.add(r.getInt(1));
        widths.add(r.getInt(2));
      }
      List<Integer> xw = new ArrayList<>(widths);
      List<Integer> yn = new ArrayList<>(ns);
      // Categories as text: numbers would be printed with grouping separators (1,024).
      List<String> xs = xw.stream().map(String::valueOf).toList();
      List<String> ys = yn.stream().map(String::valueOf).toList();
      Double[][] values = new Double[ys.size()][xs.size()];
      long minRuns = Long.MAX_VALUE;
      long maxRuns = 0;
      for (Row r : e.getValue()) {
        values[yn.indexOf(r.getInt(1))][xw.indexOf(r.getInt(2))] = ((Number) r.get(3)).doubleValue();
        minRuns = Math.min(minRuns, r.getLong(4));
        maxRuns = Math.max(maxRuns, r.getLong(4));
      }
      int w = Math.min(Charts.WIDE, Math.max(560, 160 + 76 * xs.size()));
      int h = Math.min(Charts.HEIGHT, Math.max(300, 170 + 60 * ys.size()));
      String title = "Fraction of runs that reached the target" + (e.getKey().isEmpty() ? "" : " (" + e.getKey()
          + ")");
      HeatMapChart chart = Charts.heatMap(w, h, title, "width m (neurons per hidden layer)", "n (training points)",
          xs, ys, values, 0, 1);
      String runs = minRuns == maxRuns ? minRuns + " runs" : minRuns + " to " + maxRuns + " runs";
      figs.append(figure("success-rate", Charts.png(chart), w, h, "heat map of success rate over width and n"
          + (e.getKey().isEmpty() ? "" : " (" + e.getKey() + ")"),
          "Share of runs (" + runs + " per cell, over seeds) that converged to the target loss, per width and n:"
              + " look for the boundary where the cells turn blue (all seeds succeed) and how it moves right as n"
              + " grows."));
    }
    body.append(figs);
  }

  // ---------------------------------------------------------------- loss curves

  private void lossCurves() {
    body.append("<h2>Loss curves by width</h2>\n");
    if (!present.get("curves")) {
      body.append(Html.skipped("No <code>curves/</code> table in this sweep folder; this section is skipped."));
      return;
    }
    // Panels: per n (largest ones) when nothing else varies, else per group at its largest n.
    List<Row> panelRows = sql("SELECT " + facetExpr + " AS fk, max(n) AS n_max, array_sort(collect_set(n)) AS ns"
        + " FROM ${runs} WHERE n IS NOT NULL GROUP BY 1 ORDER BY 1");
    List<String[]> panels = new ArrayList<>();
    if (panelRows.size() == 1) {
      List<Integer> ns = panelRows.get(0).getList(2);
      for (int i = Math.max(0, ns.size() - MAX_PANELS); i < ns.size(); i++) {
        panels.add(new String[] {panelRows.get(0).getString(0), String.valueOf(ns.get(i))});
      }
    } else {
      for (int i = 0; i < Math.min(MAX_PANELS, panelRows.size()); i++) {
        panels.add(new String[] {panelRows.get(i).getString(0), String.valueOf(panelRows.get(i).getInt(1))});
      }
    }
    String nList = panels.stream().map(p -> p[1]).distinct().collect(Collectors.joining(", "));
    // A run that stopped early keeps its last loss at later steps, so the median is over all seeds.
    List<Row> rows = sql("WITH c AS (SELECT " + facetExpr + " AS fk, r.n, r.width, c.run_id, c.step,"
        + " c.loss / r.initial_loss AS rel FROM ${curves} c JOIN ${runs} r ON c.run_id = r.run_id"
        + " WHERE r.initial_loss > 0 AND c.loss IS NOT NULL AND r.status NOT IN ('failed', 'diverged')"
        + " AND r.n IN (" + nList + ")),"
        + " steps AS (SELECT DISTINCT fk, n, width, step FROM c),"
        + " members AS (SELECT DISTINCT fk, n, width, run_id FROM c),"
        + " grid AS (SELECT s.fk, s.n, s.width, s.step, m.run_id FROM steps s JOIN members m"
        + "   ON s.fk = m.fk AND s.n = m.n AND s.width = m.width),"
        + " filled AS (SELECT g.fk, g.n, g.width, g.step, g.run_id, max_by(c.rel, c.step) AS rel FROM grid g"
        + "   JOIN c ON c.run_id = g.run_id AND c.step <= g.step GROUP BY g.fk, g.n, g.width, g.step, g.run_id)"
        + " SELECT fk, n, width, step, percentile(rel, 0.5) AS median_rel FROM filled"
        + " GROUP BY fk, n, width, step ORDER BY fk, n, width, step");
    Row target = sql("SELECT count(DISTINCT target_kind), min(target_kind), count(DISTINCT target_value),"
        + " min(target_value) FROM ${runs}").get(0);
    Double relTarget = target.getLong(0) == 1 && "relative".equals(target.getString(1)) && target.getLong(2) == 1
        ? target.getDouble(3) : null;

    StringBuilder figs = new StringBuilder("<div class=\"multiples\">\n");
    int drawn = 0;
    for (String[] panel : panels) {
      int n = Integer.parseInt(panel[1]);
      Map<Integer, List<double[]>> byWidth = new TreeMap<>();
      for (Row r : rows) {
        if (r.getString(0).equals(panel[0]) && r.getInt(1) == n && !r.isNullAt(4) && r.getDouble(4) > 0) {
          byWidth.computeIfAbsent(r.getInt(2), k -> new ArrayList<>()).add(new double[] {r.getInt(3),
              r.getDouble(4)});
        }
      }
      if (byWidth.isEmpty()) {
        continue;
      }
      String title = "Median loss by width, n = " + n + (panel[0].isEmpty() ? "" : " (" + panel[0] + ")");
      XYChart chart = Charts.xy(Charts.SMALL_WIDTH, Charts.SMALL_HEIGHT, title, "gradient step k",
          "loss(k) / loss(0)", false, true);
      chart.getStyler().setYAxisLogarithmicDecadeOnly(true);
      int i = 0;
      List<Integer> widths = new ArrayList<>(byWidth.keySet());
      // Thin out many widths to at most 10, keeping the extremes.
      List<Integer> keep = thin(widths, 10);
      // Cut the step axis where the slowest width whose median reaches the target gets there, so that
      // geometric decay shows as straight lines instead of a wall at k = 0 beside stalled narrow nets.
      double lastStep = 0;
      double reachedBy = 0;
      for (int m : keep) {
        List<double[]> pts = byWidth.get(m);
        lastStep = Math.max(lastStep, pts.get(pts.size() - 1)[0]);
        if (relTarget != null) {
          for (double[] p : pts) {
            if (p[1] <= relTarget * (1 + 1e-9)) {
              reachedBy = Math.max(reachedBy, p[0]);
              break;
            }
          }
        }
      }
      double xMax = reachedBy > 0 && reachedBy * 1.25 < lastStep ? Math.ceil(reachedBy * 1.25) : lastStep;
      for (int m : keep) {
        List<double[]> pts = byWidth.get(m).stream().filter(p -> p[0] <= xMax).toList();
        Charts.line(chart, "m = " + m, pts.stream().map(p -> p[0]).toList(), pts.stream().map(p -> p[1]).toList(),
            Charts.ordered(i++, keep.size()), 2f);
      }
      chart.getStyler().setXAxisMin(0.0);
      chart.getStyler().setXAxisMax(Math.max(1, xMax));
      if (relTarget != null && relTarget > 0) {
        Charts.reference(chart, "target", List.of(0.0, Math.max(1, xMax)), List.of(relTarget, relTarget),
            new java.awt.Color(0xd62728));
        chart.getStyler().setYAxisMin(relTarget / 3);
      }
      if (xMax < lastStep) {
        chart.setXAxisTitle("gradient step k (cut at " + Charts.number(xMax) + " of " + Charts.number(lastStep)
            + ")");
      }
      figs.append(figure("loss-curves-n" + n, Charts.png(chart), Charts.SMALL_WIDTH, Charts.SMALL_HEIGHT,
          "median loss curves per width for n = " + n + (panel[0].isEmpty() ? "" : " (" + panel[0] + ")"),
          "Median over seeds (diverged runs left out) of the training loss relative to its initial value (log"
              + " scale) against the step, one line per width m (dark = narrow, yellow = wide): look for straight"
              + " lines (geometric decay, as Du et al. predict) that get steeper and reach the dashed target as m"
              + " grows; narrow nets that stall stay flat."));
      drawn++;
    }
    figs.append("</div>\n");
    if (drawn == 0) {
      body.append(Html.skipped("The <code>curves/</code> table holds no positive losses to plot; this section is"
          + " skipped."));
    } else {
      body.append(figs);
    }
  }

  /** Log-log fits of {@code quantity} against width from fits/, if present. */
  private List<Row> fitsAgainstWidth(String quantity) {
    return present.get("fits") ? sql("SELECT group_key, exponent, ci_low, ci_high FROM ${fits} WHERE quantity = '"
        + quantity + "' AND against = 'width' AND exponent IS NOT NULL ORDER BY group_key") : List.of();
  }

  /** " (fit: m^-0.56 [-0.60, -0.52])" for the fit that belongs to the series, else "". */
  private static String fitLegend(List<Row> fits, String label, int seriesCount) {
    int f = matchFit(fits, pairs(label), seriesCount);
    if (f < 0) {
      return "";
    }
    Row r = fits.get(f);
    String ci = r.isNullAt(2) || r.isNullAt(3) ? "" : String.format(Locale.ROOT, " [%.2f, %.2f]", r.getDouble(2),
        r.getDouble(3));
    return String.format(Locale.ROOT, " (fit: m^%.2f%s)", r.getDouble(1), ci);
  }

  static List<Integer> thin(List<Integer> values, int max) {
    if (values.size() <= max) {
      return values;
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      int idx = (int) Math.round((double) i * (values.size() - 1) / (max - 1));
      if (out.isEmpty() || !out.get(out.size() - 1).equals(values.get(idx))) {
        out.add(values.get(idx));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- Du et al. Section 6

  private void neuronDistanceAndFlips() {
    body.append("<h2>Distance from initialisation and activation flips (Du et al., Section 6)</h2>\n");
    boolean hasDist = hasColumn("runs", "max_neuron_distance");
    boolean hasFlip = hasColumn("runs", "flip_fraction");
    List<Row> rows = sql("SELECT " + facetExpr + " AS fk, n, width, "
        + (hasDist ? "percentile(max_neuron_distance, 0.5)" : "CAST(NULL AS DOUBLE)") + ", "
        + (hasFlip ? "percentile(flip_fraction, 0.5)" : "CAST(NULL AS DOUBLE)")
        + " FROM ${runs} WHERE status IN ('converged', 'max_steps') AND n IS NOT NULL AND width IS NOT NULL"
        + " GROUP BY 1, n, width ORDER BY 1, n, width");
    Map<String, List<Row>> series = new LinkedHashMap<>();
    for (Row r : rows) {
      String label = "n = " + r.getInt(1) + (r.getString(0).isEmpty() ? "" : ", " + r.getString(0));
      series.computeIfAbsent(label, k -> new ArrayList<>()).add(r);
    }
    List<String> labels = new ArrayList<>(series.keySet()).subList(0, Math.min(MAX_SERIES, series.size()));
    boolean orderedColors = facets.isEmpty();
    List<Row> distFits = fitsAgainstWidth("max_neuron_distance");
    List<Row> flipFits = fitsAgainstWidth("flip_fraction");

    XYChart dist = Charts.xy(Charts.WIDE, Charts.HEIGHT, "Maximum neuron distance from initialisation",
        "width m (neurons per hidden layer)", "max_r ||w_r(end) - w_r(0)||  (median over seeds)", true, true);
    double[] anchor = null;
    double mMin = Double.MAX_VALUE;
    double mMax = 0;
    int i = 0;
    for (String label : labels) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (Row r : series.get(label)) {
        if (!r.isNullAt(3) && r.getDouble(3) > 0 && r.getInt(2) > 0) {
          x.add((double) r.getInt(2));
          y.add(r.getDouble(3));
          mMin = Math.min(mMin, r.getInt(2));
          mMax = Math.max(mMax, r.getInt(2));
        }
      }
      java.awt.Color c = orderedColors ? Charts.ordered(i, labels.size()) : Charts.categorical(i);
      i++;
      if (!x.isEmpty()) {
        if (anchor == null) {
          anchor = new double[] {x.get(0), y.get(0)};
        }
        Charts.measured(dist, label + fitLegend(distFits, label, labels.size()), x, y, c);
      }
    }
    if (anchor != null) {
      List<Double>[] ref = Charts.powerLaw(anchor[0], anchor[1], -0.5, mMin, Math.max(mMax, mMin * 2));
      Charts.reference(dist, "~ m^-1/2 (reference)", ref[0], ref[1], Charts.REFERENCE);
      body.append(figure("max-neuron-distance", Charts.png(dist), Charts.WIDE, Charts.HEIGHT,
          "log-log plot of maximum neuron distance against width",
          "Largest distance any neuron's weight vector moved from its initial value during training (median over"
              + " converged and max-steps runs; fitted exponents from fits/ in the legend), against width on log-log"
              + " axes: look for lines parallel to the"
              + " dashed slope -1/2 reference, i.e. weights moving like m^-1/2 as Du et al. prove."));
    } else {
      body.append(Html.skipped("No run recorded a positive max neuron distance; the distance figure is skipped."));
    }

    XYChart flips = Charts.xy(Charts.WIDE, Charts.HEIGHT, "Fraction of activation patterns flipped",
        "width m (neurons per hidden layer)", "flipped (i, r) pairs / (m n)  (median over seeds)", true, false);
    flips.getStyler().setYAxisMin(0.0);
    i = 0;
    boolean anyFlip = false;
    for (String label : labels) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (Row r : series.get(label)) {
        if (!r.isNullAt(4) && r.getInt(2) > 0) {
          x.add((double) r.getInt(2));
          y.add(r.getDouble(4));
        }
      }
      java.awt.Color c = orderedColors ? Charts.ordered(i, labels.size()) : Charts.categorical(i);
      i++;
      if (!x.isEmpty()) {
        anyFlip = true;
        Charts.measured(flips, label + fitLegend(flipFits, label, labels.size()), x, y, c);
      }
    }
    if (anyFlip) {
      body.append(figure("flip-fraction", Charts.png(flips), Charts.WIDE, Charts.HEIGHT,
          "flip fraction against width",
          "Share of (training point, neuron) pairs whose ReLU activation pattern changed between initialisation and"
              + " the end of training (median over seeds), against width: look for it falling toward 0 as m grows,"
              + " the lazy regime in which Du et al.'s proof works."));
    } else {
      body.append(Html.skipped("No run recorded a flip fraction; the flip figure is skipped."));
    }
  }
}
