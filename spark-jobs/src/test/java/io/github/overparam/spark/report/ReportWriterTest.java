package io.github.overparam.spark.report;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import io.github.overparam.spark.LocalSpark;
import io.github.overparam.spark.analysis.AnalysisTables;
import io.github.overparam.spark.analysis.GroupKeys;
import io.github.overparam.spark.analysis.SweepAnalysis;
import io.github.overparam.spark.config.SweepConfig;
import io.github.overparam.spark.sweep.SweepRunner;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The report of a real (small) sweep run on local Spark, with and without the analysis tables
 * (critical/, fits/, verdicts/ built here with the analysis package's schemas).
 */
class ReportWriterTest {
  @RegisterExtension
  static final LocalSpark LOCAL = new LocalSpark(2);
  private static SparkSession spark;
  @TempDir
  static Path tmp;
  private static String plain;
  private static String analyzed;
  private static String deep;

  /** n = 8, 16 x widths 4, 32, 128 x 2 seeds: width 4 mostly stalls, the wide nets converge. */
  private static SweepConfig request(String name) {
    List<RunSpec> runs = new ArrayList<>();
    for (int n : new int[] {8, 16}) {
      for (int m : new int[] {4, 32, 128}) {
        for (int seed = 0; seed < 2; seed++) {
          runs.add(new RunSpec(DataSpec.sphere(n, 5, LabelKind.GAUSSIAN), ModelSpec.du(m),
              TrainSpec.gd(0.5, Loss.HALF_SUM_SQUARED, 1000, TargetLoss.relative(1e-3)),
              new RecordSpec(20, true, 100), seed));
        }
      }
    }
    return SweepConfig.of(name, runs, "sweep: " + name + "\n", null, 2);
  }

  /** Zou et al.'s deep nets at depth 1 and 2: a sweep with a second axis besides n and width. */
  private static SweepConfig deepRequest() {
    List<RunSpec> runs = new ArrayList<>();
    for (int depth : new int[] {1, 2}) {
      for (int n : new int[] {8, 16}) {
        for (int m : new int[] {4, 32, 128}) {
          for (int seed = 0; seed < 2; seed++) {
            runs.add(new RunSpec(DataSpec.sphere(n, 5, LabelKind.GAUSSIAN),
                ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, m, depth),
                TrainSpec.gd(0.05, Loss.HALF_SUM_SQUARED, 1000, TargetLoss.relative(1e-3)),
                new RecordSpec(20, true, 100), seed));
          }
        }
      }
    }
    return SweepConfig.of("deep", runs, "sweep: deep\n", null, 2);
  }

  @BeforeAll
  static void start() throws Exception {
    spark = LOCAL.session();
    String out = tmp.resolve("out").toString();
    PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    for (String name : List.of("plain", "analyzed")) {
      new SweepRunner(spark, console, Duration.ofSeconds(30)).run(request(name), out, false, 0);
    }
    new SweepRunner(spark, console, Duration.ofSeconds(30)).run(deepRequest(), out, false, 0);
    deep = out + "/deep";
    plain = out + "/plain";
    analyzed = out + "/analyzed";
    writeAnalysisTables(analyzed);
  }

  /** An array column's value: a Java object array (rows of every Spark line take it). */
  private static Object[] seq(List<?> values) {
    return values.toArray();
  }

  private static StructField f(String name, DataType type) {
    return createStructField(name, type, true);
  }

  /** Synthetic analysis tables: two depths, n = 8, 16, 32; the depth-2 group at n = 32 never succeeds. */
  static void writeAnalysisTables(String dir) {
    StructType critical = new StructType(new StructField[] {
        f("group_key", StringType), f("widths", createArrayType(IntegerType)),
        f("success_rates", createArrayType(DoubleType)), f("runs_per_width", createArrayType(IntegerType)),
        f("threshold", DoubleType), f("critical_width", DoubleType), f("critical_width_status", StringType),
        f("critical_params", DoubleType), f("seed_critical_widths", createArrayType(DoubleType)),
        f("lambda0_mean", DoubleType), f("n", IntegerType), f("depth", IntegerType), f("model", StringType),
        f("parameterization", StringType), f("lr", DoubleType), f("loss_fn", StringType), f("optimizer", StringType),
    });
    List<Row> rows = new ArrayList<>();
    for (int depth : new int[] {1, 2}) {
      for (int n : new int[] {8, 16, 32}) {
        boolean reached = !(depth == 2 && n == 32);
        Double cw = reached ? 2.0 * depth * Math.pow(n, 1.4) : null;
        rows.add(RowFactory.create("depth=" + depth + ";n=" + n, seq(List.of(4, 32, 128)),
            seq(List.of(0.0, 0.5, 1.0)), seq(List.of(2, 2, 2)), 1.0, cw, reached ? "bracketed" : "not_reached",
            cw == null ? null : cw * 11, seq(List.of(10.0, 12.0)), 0.1 / n, n, depth, "two_layer", "du", 0.5,
            "half_sum_squared", "gd"));
      }
    }
    spark.createDataFrame(rows, critical).write().parquet(dir + "/critical");

    StructType fits = new StructType(new StructField[] {
        f("quantity", StringType), f("against", StringType), f("group_key", StringType), f("exponent", DoubleType),
        f("ci_low", DoubleType), f("ci_high", DoubleType), f("prefactor", DoubleType), f("r2", DoubleType),
        f("points", IntegerType), f("note", StringType),
    });
    spark.createDataFrame(List.of(
        RowFactory.create("critical_width", "n", "depth=1", 1.4, 1.2, 1.6, 2.0, 0.99, 3, ""),
        RowFactory.create("critical_width", "n", "depth=2", 1.4, 1.1, 1.7, 4.0, 1.0, 2, "two points only"),
        RowFactory.create("steps_to_target", "n", "depth=1", 0.3, 0.1, 0.5, 10.0, 0.9, 3, "")), fits).write().parquet(
            dir + "/fits");

    StructType verdicts = new StructType(new StructField[] {
        f("claim", StringType), f("paper", StringType), f("statement", StringType), f("measured", StringType),
        f("holds", StringType), f("evidence", StringType),
    });
    spark.createDataFrame(List.of(
        RowFactory.create("noy-width-quadratic", "Noy et al. 2021", "critical width grows no faster than n^2",
            "beta = 1.40 [1.20, 1.60]", "true", "fit over n = 8, 16, 32"),
        RowFactory.create("du-distance-<m^-1/2>", "Du et al. 2019", "max neuron distance ~ m^-1/2",
            "slope -0.2", "false", "3 widths"),
        RowFactory.create("kawaguchi-params-linear", "Kawaguchi & Huang 2019", "critical params ~ n",
            "2 points", "inconclusive", "too few sample sizes")), verdicts).write().parquet(dir + "/verdicts");
  }

  private static final Instant FIXED = Instant.parse("2026-01-02T03:04:05Z");

  private static List<Path> pngs(Path reportDir) throws IOException {
    return files(reportDir, ".png");
  }

  private static List<Path> files(Path reportDir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(reportDir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static int count(String text, String what) {
    int c = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      c++;
    }
    return c;
  }

  /** The page stands alone, and each figure is inline and on disk as a decodable PNG of a sensible size. */
  private static void assertSelfContained(String html, Path reportDir, int figures) throws Exception {
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.trim().endsWith("</html>"), "an HTML document");
    assertEquals(count(html, "<h2>"), count(html, "</h2>"));
    assertEquals(count(html, "<table"), count(html, "</table>"));
    assertFalse(html.contains("http://") || html.contains("https://"), "no external address");
    assertFalse(html.contains("<script"), "no script");
    assertFalse(html.contains("<link"), "no external stylesheet");
    assertEquals(figures, count(html, "<img "), "one image per figure");
    assertEquals(figures, count(html, "<figcaption>"), "one caption per figure");
    try (Stream<Path> all = Files.list(reportDir)) {
      assertEquals(List.of(), all.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
          "no checksum or temporary files beside the page");
    }
    List<Path> files = pngs(reportDir);
    assertEquals(figures, files.size(), "one PNG per figure beside the page: " + files);
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    int inline = 0;
    while (m.find()) {
      byte[] png = Base64.getDecoder().decode(m.group(1));
      assertArrayEquals(Files.readAllBytes(files.get(inline)), png, "inline image equals " + files.get(inline));
      inline++;
    }
    assertEquals(figures, inline);
    List<Path> svgs = files(reportDir, ".svg");
    // Parsed without fetching the SVG 1.1 DTD its DOCTYPE names (no network in tests).
    DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    assertEquals(figures, svgs.size(), "one SVG per figure beside the page: " + svgs);
    for (int i = 0; i < files.size(); i++) {
      Path p = files.get(i);
      BufferedImage img = ImageIO.read(p.toFile());
      assertNotNull(img, p + " decodes");
      // Large enough to read on a laptop, small enough to fit a page (Charts.WIDE x Charts.HEIGHT at most).
      assertTrue(img.getWidth() >= 500 && img.getWidth() <= 1000, p + " width " + img.getWidth());
      assertTrue(img.getHeight() >= 280 && img.getHeight() <= 600, p + " height " + img.getHeight());
      // The same figure in vectors: a well-formed SVG document of the PNG's size, linked from the
      // figure's caption.
      String name = p.getFileName().toString().replace(".png", ".svg");
      assertEquals(name, svgs.get(i).getFileName().toString());
      Element svg = xml.newDocumentBuilder().parse(svgs.get(i).toFile()).getDocumentElement();
      assertEquals("svg", svg.getTagName(), name);
      assertEquals(img.getWidth(), Double.parseDouble(svg.getAttribute("width").replace("px", "")), 1e-9, name);
      assertEquals(img.getHeight(), Double.parseDouble(svg.getAttribute("height").replace("px", "")), 1e-9, name);
      // Text is drawn as glyph outlines (VectorGraphics2D's default: the figure looks the same without
      // the fonts), so axes, ticks, labels and data are all shapes.
      int shapes = 0;
      for (String tag : List.of("path", "rect", "line", "polyline", "polygon", "ellipse", "circle")) {
        shapes += svg.getElementsByTagName(tag).getLength();
      }
      assertTrue(shapes >= 20, name + " has the chart's shapes: " + shapes);
      assertTrue(html.contains("href=\"" + name + "\">SVG</a>"), "the caption links " + name);
    }
  }

  @Test
  void reportWithAnalysisTables() throws Exception {
    String index = ReportWriter.write(spark, analyzed, FIXED);
    Path page = Path.of(URI.create(index));
    assertEquals(Path.of(analyzed, "report", "index.html"), page);
    String html = Files.readString(page);
    // critical width, success heat map, loss curves for n = 8 and 16, neuron distance, flip fraction.
    assertSelfContained(html, page.getParent(), 6);

    // Verdicts come first, one row per claim (escaped), colored by whether the claim holds.
    assertTrue(html.indexOf("<h2>Verdicts</h2>") < html.indexOf("<h2>Critical width"));
    assertTrue(html.contains("noy-width-quadratic") && html.contains("kawaguchi-params-linear"));
    assertTrue(html.contains("du-distance-&lt;m^-1/2&gt;"), "claims are escaped");
    assertTrue(html.contains("Kawaguchi &amp; Huang 2019"));
    assertEquals(1, count(html, "class=\"holds-true\""));
    assertEquals(1, count(html, "class=\"holds-false\""));
    assertEquals(1, count(html, "class=\"holds-inconclusive\""));
    assertTrue(html.contains("1 hold, 1 do not, 1 inconclusive"));
    // Critical-width section: the figure, the fits of critical width against n, and the not-reached group.
    assertTrue(html.contains("id=\"fig01-critical-width\""), "critical width is the first figure");
    assertTrue(html.contains("two points only"));
    assertTrue(html.contains("not_reached"));
    assertFalse(html.contains("<td class=\"num\">0.300</td>"), "only the fits of critical width against n");
    assertFalse(html.contains("overparam analyze"), "nothing skipped");
    for (String section : List.of("Success rate", "Loss curves", "Distance from initialization")) {
      assertTrue(html.contains("<h2>" + section), section);
    }
    assertTrue(html.contains("Report generated:</b> 2026-01-02 03:04 UTC"));

    // Deterministic apart from the date line: a second write gives the same page and the same PNGs.
    byte[] first = Files.readAllBytes(page);
    List<byte[]> firstPngs = new ArrayList<>();
    for (Path p : pngs(page.getParent())) {
      firstPngs.add(Files.readAllBytes(p));
    }
    List<byte[]> firstSvgs = new ArrayList<>();
    for (Path p : files(page.getParent(), ".svg")) {
      firstSvgs.add(Files.readAllBytes(p));
    }
    ReportWriter.write(spark, analyzed, FIXED);
    assertArrayEquals(first, Files.readAllBytes(page));
    List<Path> again = pngs(page.getParent());
    for (int i = 0; i < again.size(); i++) {
      assertArrayEquals(firstPngs.get(i), Files.readAllBytes(again.get(i)), again.get(i).toString());
    }
    List<Path> svgsAgain = files(page.getParent(), ".svg");
    assertEquals(firstSvgs.size(), svgsAgain.size());
    for (int i = 0; i < svgsAgain.size(); i++) {
      assertArrayEquals(firstSvgs.get(i), Files.readAllBytes(svgsAgain.get(i)), svgsAgain.get(i) + ": no time or"
          + " random id in the SVG");
    }
  }

  @Test
  void reportWithoutAnalysisTablesSaysWhatIsMissing() throws Exception {
    String index = ReportWriter.write(spark, plain);
    Path page = Path.of(URI.create(index));
    String html = Files.readString(page);
    // success heat map, loss curves for n = 8 and 16, neuron distance, flip fraction.
    assertSelfContained(html, page.getParent(), 5);
    assertTrue(html.contains("No <code>verdicts/</code> table yet: run <code>overparam analyze</code>"));
    assertTrue(html.contains("No <code>critical/</code> table yet: run <code>overparam analyze</code>"));
    assertTrue(html.contains("overparam report: plain"));
    assertTrue(html.contains("12 runs in the grid") && html.contains("(sweep complete)"), "title line");
    assertTrue(html.contains("converged "), "statuses");
    assertTrue(html.contains("Spark 4."), "versions from the manifest");
  }

  /** A sweep over depth as well, analyzed by the analysis package itself: one panel or series per depth. */
  @Test
  void reportOfADeepSweepWithItsRealAnalysis() throws Exception {
    new SweepAnalysis(spark, SweepAnalysis.DEFAULT_THRESHOLD).analyze(deep);
    String index = ReportWriter.write(spark, deep, FIXED);
    Path page = Path.of(URI.create(index));
    String html = Files.readString(page);
    // One heat map and one loss-curve panel (at the largest n) per depth, distance and flips with a
    // series per (n, depth); the critical-width figure when the analysis bracketed any critical width.
    assertEquals(2, count(html, "-success-rate\""));
    assertTrue(html.contains("alt=\"heat map of success rate over width and n (depth=1)\""));
    assertTrue(html.contains("alt=\"median loss curves per width for n = 16 (depth=2)\""));
    assertEquals(2, count(html, "<figure id=\"") - count(html.replaceAll("<figure id=\"fig\\d+-loss-curves-", ""),
        "<figure id=\""));
    assertTrue(html.contains("-max-neuron-distance\"") && html.contains("-flip-fraction\""));
    int figures = count(html, "<img ");
    // The budget ladder (critical width against the step budget) is one more figure once a group has a critical width.
    int ladder = html.contains("-budget-ladder\"") ? 1 : 0;
    assertTrue(ladder == 0 || html.contains("Critical width against the step budget"));
    int others = figures - ladder;
    assertTrue(others == 6 || others == 7 && html.contains("-critical-width\""), figures + " figures");
    assertSelfContained(html, page.getParent(), figures);
    List<Row> claims = spark.read().parquet(deep + "/verdicts").select("claim").collectAsList();
    assertFalse(claims.isEmpty());
    for (Row r : claims) {
      assertTrue(html.contains(">" + r.getString(0) + "<"), r.getString(0));
    }
    assertFalse(html.contains("overparam analyze"), "nothing skipped");
  }

  @Test
  void refusesAFolderWithoutRuns() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("not-a-sweep"));
    assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(spark, empty.toString()));
    assertFalse(Files.exists(empty.resolve("report")));
  }

  @Test
  void thinKeepsTheExtremes() {
    assertEquals(List.of(1, 2, 3), RunSections.thin(List.of(1, 2, 3), 10));
    List<Integer> many = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      many.add(i);
    }
    List<Integer> kept = RunSections.thin(many, 10);
    assertEquals(10, kept.size());
    assertEquals(0, kept.get(0));
    assertEquals(29, kept.get(kept.size() - 1));
  }

  /**
   * A series finds its fit through the keys the analysis gives its groups, not by parsing key text:
   * the critical rows' slice keys for the fits against n, and each run's group for the fits
   * against width.
   */
  @Test
  void fitsMatchTheirSeriesByGroupKey() throws Exception {
    List<Row> byDepth = List.of(RowFactory.create("depth=1"), RowFactory.create("depth=2"));
    assertEquals(1, CriticalSection.fitOf(byDepth, Set.of("depth=2")));
    assertEquals(-1, CriticalSection.fitOf(byDepth, Set.of("depth=3")));
    assertEquals(-1, CriticalSection.fitOf(byDepth, null));
    List<Row> byN = List.of(RowFactory.create("n=16;lr=0.5"), RowFactory.create("n=32;lr=0.5"));
    assertEquals(1, CriticalSection.fitOf(byN, Set.of("n=32;lr=0.5", "n=64;lr=0.5")));
    assertEquals(0, CriticalSection.fitOf(List.of(RowFactory.create("all")), Set.of("all")));
    assertEquals(-1, CriticalSection.fitOf(List.of(RowFactory.create("all")), Set.of("depth=1")));

    // The synthetic critical table of writeAnalysisTables: its rows' slices against n are the depths.
    List<List<Object>> values = new ArrayList<>();
    for (Row r : spark.read().parquet(analyzed + "/critical").orderBy("depth", "n").collectAsList()) {
      List<Object> v = new ArrayList<>();
      for (String c : AnalysisTables.GROUP_COLUMNS) {
        v.add(List.of(r.schema().fieldNames()).contains(c) ? r.get(r.fieldIndex(c)) : null);
      }
      values.add(v);
    }
    assertEquals(List.of("depth=1", "depth=1", "depth=1", "depth=2", "depth=2", "depth=2"),
        GroupKeys.sliceKeys(values, "n"));
    assertEquals(List.of("depth=1;n=8", "depth=1;n=16", "depth=1;n=32", "depth=2;n=8", "depth=2;n=16",
        "depth=2;n=32"), GroupKeys.sliceKeys(values, null));

    // The deep sweep, analyzed: each distance series (n, depth) is the runs of one group.
    new SweepAnalysis(spark, SweepAnalysis.DEFAULT_THRESHOLD).analyze(deep);
    Report report = new Report(spark, deep);
    try {
      report.registerViews();
      ReportWriter.findFacets(report);
      assertEquals(List.of("depth"), report.facets);
      Map<String, Set<String>> keys = new RunSections(report).groupKeysBySeries();
      assertEquals(Set.of("n = 8, depth=1", "n = 16, depth=1", "n = 8, depth=2", "n = 16, depth=2"),
          keys.keySet());
      assertEquals(Set.of("depth=2;n=16"), keys.get("n = 16, depth=2"));
      assertEquals(Set.of("depth=1;n=8"), keys.get("n = 8, depth=1"));
    } finally {
      report.dropViews();
    }
  }

  @Test
  void numbersPrintWithoutNoise() {
    assertEquals("1024", Charts.number(1024));
    assertEquals("0.5", Charts.number(0.5));
    assertEquals("1e-5", Charts.number(1e-5));
    assertEquals("1.235", Charts.number(1.23456));
    assertEquals("2.5e7", Charts.number(2.5e7 + 0.5));
  }
}
