package io.github.overparam.spark.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.LocalSpark;
import io.github.overparam.spark.table.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The analysis on synthetic runs tables (known success rates), on a real local Spark. */
class SweepAnalysisTest {
  @RegisterExtension
  static final LocalSpark LOCAL = new LocalSpark(2);
  private static SparkSession spark;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    spark = LOCAL.session();
  }

  /** One runs/ row of a two-layer Du run with the given outcome; other columns null. */
  /**
   * A known law with noise: seed s of sample size n converges iff width >= 3 n^1.5 exp(0.1 z_s)
   * (z_s standard normal, 10% scatter per seed), on a width grid at a factor 2^(1/8) (fine enough that
   * the interpolation between grid widths adds little bias next to the seed scatter the bootstrap
   * measures), 16 seeds, five sample sizes. The fitted exponent must recover 1.5 (within 0.1)
   * inside its bootstrap interval.
   */
  @Test
  void noisyPowerLawIsRecoveredWithinItsInterval() throws Exception {
    Random random = new Random(20261124L);
    List<Row> rows = new ArrayList<>();
    for (int n : new int[] {4, 8, 16, 32, 64}) {
      for (int s = 0; s < 16; s++) {
        double threshold = 3 * Math.pow(n, 1.5) * Math.exp(0.1 * random.nextGaussian());
        int previous = -1;
        for (double w = 4; w <= 8192; w *= Math.pow(2, 0.125)) {
          int width = (int) Math.round(w);
          if (width == previous) {
            continue;
          }
          previous = width;
          rows.add(run(n, width, s, width >= threshold, 2 / Math.sqrt(width)));
        }
      }
    }
    String dir = write("noisy-powerlaw", rows);
    new SweepAnalysis(spark, 0.5).analyze(dir);
    Row fit = spark.sql("SELECT * FROM fits WHERE quantity = 'critical_width' AND against = 'n'").first();
    double exponent = fit.getDouble(fit.fieldIndex("exponent"));
    double low = fit.getDouble(fit.fieldIndex("ci_low"));
    double high = fit.getDouble(fit.fieldIndex("ci_high"));
    assertEquals(5, fit.getInt(fit.fieldIndex("points")));
    assertEquals(1.5, exponent, 0.1, fit.toString());
    assertTrue(low <= 1.5 && 1.5 <= high, "interval [" + low + ", " + high + "] must contain 1.5");
    assertTrue(high - low < 0.3, "and be informative: [" + low + ", " + high + "]");
  }

  static Row run(int n, int width, long seed, boolean converged, double maxDistance) {
    return run(n, width, seed, converged, maxDistance, Map.of());
  }

  static Row run(int n, int width, long seed, boolean converged, double maxDistance, Map<String, Object> extra) {
    Object[] v = new Object[Table.RUNS.schema().length()];
    Map<String, Object> set = new HashMap<>();
    set.put("sweep", "synthetic");
    set.put("model", "two_layer");
    set.put("parameterization", "du");
    set.put("activation", "relu");
    set.put("width", width);
    set.put("depth", 1);
    set.put("hidden_layers", 1);
    set.put("n", n);
    set.put("d", 10);
    set.put("seed", seed);
    set.put("loss_fn", "half_sum_squared");
    set.put("optimizer", "gd");
    set.put("lr", 0.5);
    set.put("max_steps", 100_000);
    set.put("status", converged ? "converged" : "max_steps");
    set.put("steps_to_target", converged ? 10 * n : null);
    set.put("max_neuron_distance", maxDistance);
    set.put("flip_fraction", 0.5 / Math.sqrt(width));
    set.put("trained_param_count", 10L * width);
    set.put("lambda0", 0.1);
    set.put("rate_min", 0.05);
    set.put("run_id", "r-" + n + "-" + width + "-" + seed + extra);
    set.putAll(extra);
    set.forEach((k, x) -> v[Table.RUNS.schema().fieldIndex(k)] = x);
    return RowFactory.create(v);
  }

  static String write(SparkSession spark, Path tmp, String name, List<Row> rows) {
    String dir = tmp.resolve(name).toString();
    spark.createDataFrame(rows, Table.RUNS.schema()).coalesce(1).write().parquet(dir + "/runs/wave=0");
    return dir;
  }

  private static String write(String name, List<Row> rows) {
    String dir = tmp.resolve(name).toString();
    spark.createDataFrame(rows, Table.RUNS.schema()).coalesce(1).write().parquet(dir + "/runs/wave=0");
    return dir;
  }

  private static double[] doubles(Row r, String column) {
    return r.<Double>getList(r.fieldIndex(column)).stream().mapToDouble(d -> d == null ? Double.NaN : d).toArray();
  }

  /**
   * Deep runs whose lr is a rule in the width (a different lr value at every width) form one group
   * per depth, and a surrogate gap falling like m^-1 gives the noy_surrogate verdict true.
   */
  @Test
  void widthRelativeLearningRateIsOneGroupAndTheSurrogateGapIsFitted() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int width : new int[] {8, 16, 32, 64, 128}) {
      for (int s = 0; s < 8; s++) {
        Map<String, Object> extra = new HashMap<>();
        extra.put("model", "deep");
        extra.put("parameterization", "zou");
        extra.put("depth", 2);
        extra.put("hidden_layers", 2);
        extra.put("lr", 1.0 / (10 * 2 * width));
        extra.put("lr_rule", "1 * (1 / (n * depth * width))");
        extra.put("surrogate_gap", 3.0 / width * (1 + 0.05 * s));
        rows.add(run(10, width, s, width >= 32, 1.0 / Math.sqrt(width), extra));
      }
    }
    String dir = write("lr-rule", rows);
    SweepAnalysis.Result result = new SweepAnalysis(spark, 0.5).analyze(dir);
    assertEquals(1, result.groups(), "one rule, one group across the five widths");
    Row critical = spark.sql("SELECT * FROM critical").first();
    assertEquals("bracketed", critical.getString(critical.fieldIndex("critical_width_status")));
    Row gap = spark.sql("SELECT * FROM fits WHERE quantity = 'surrogate_gap'").first();
    assertEquals(-1.0, gap.getDouble(gap.fieldIndex("exponent")), 0.02);
    Row verdict = spark.sql("SELECT * FROM verdicts WHERE claim = 'noy_surrogate'").first();
    assertEquals("true", verdict.getString(verdict.fieldIndex("holds")));
  }

  @Test
  void criticalWidthsOfSyntheticGroups() throws Exception {
    List<Row> rows = new ArrayList<>();
    int[] widths = {8, 16, 32, 64};
    // n = 10: success rates 0, 0.25, 0.75, 1 over 4 seeds (seed s converges from width index 3 - ...).
    int[] firstConverged = {1, 2, 2, 3};
    for (int k = 0; k < widths.length; k++) {
      for (int s = 0; s < 4; s++) {
        rows.add(run(10, widths[k], s, k >= firstConverged[s], 1.0));
        rows.add(run(20, widths[k], s, true, 1.0)); // below the grid
        rows.add(run(30, widths[k], s, k == 3 && s == 0, 1.0)); // never reaches 0.5
      }
    }
    String dir = write("critical", rows);
    SweepAnalysis.Result result = new SweepAnalysis(spark, 0.5).analyze(dir);
    assertEquals(3, result.groups());
    List<Row> critical = spark.sql("SELECT * FROM critical ORDER BY n").collectAsList();
    assertEquals(List.of(AnalysisTables.CRITICAL_SCHEMA.fieldNames()),
        List.of(spark.table("critical").schema().fieldNames()));
    Row a = critical.get(0);
    assertEquals("n=10", a.getString(a.fieldIndex("group_key")));
    assertEquals(List.of(8, 16, 32, 64), a.getList(a.fieldIndex("widths")));
    assertEquals(List.of(0.0, 0.25, 0.75, 1.0), a.getList(a.fieldIndex("success_rates")));
    assertEquals(List.of(4, 4, 4, 4), a.getList(a.fieldIndex("runs_per_width")));
    assertEquals(22.627416997969522, a.getDouble(a.fieldIndex("critical_width")), 1e-9);
    assertEquals("bracketed", a.getString(a.fieldIndex("critical_width_status")));
    assertEquals(226.27416997969522, a.getDouble(a.fieldIndex("critical_params")), 1e-7);
    double[] seedCritical = doubles(a, "seed_critical_widths");
    assertEquals(Math.sqrt(8 * 16), seedCritical[0], 1e-12);
    assertEquals(Math.sqrt(16 * 32), seedCritical[1], 1e-12);
    assertEquals(Math.sqrt(32 * 64), seedCritical[3], 1e-12);
    assertEquals(0.1, a.getDouble(a.fieldIndex("lambda0_mean")), 1e-12);
    assertEquals(0.5, a.getDouble(a.fieldIndex("threshold")));
    assertEquals("du", a.getString(a.fieldIndex("parameterization")));

    Row b = critical.get(1);
    assertEquals("below_grid", b.getString(b.fieldIndex("critical_width_status")));
    assertEquals(8.0, b.getDouble(b.fieldIndex("critical_width")));
    Row c = critical.get(2);
    assertEquals("not_reached", c.getString(c.fieldIndex("critical_width_status")));
    assertTrue(c.isNullAt(c.fieldIndex("critical_width")));
    assertTrue(c.isNullAt(c.fieldIndex("critical_params")));

    // A higher threshold moves the critical width up: the tables are replaced, not appended to.
    new SweepAnalysis(spark, 0.75).analyze(dir);
    Row a75 = spark.read().parquet(dir + "/critical").where("n = 10").first();
    assertEquals(32.0, a75.getDouble(a75.fieldIndex("critical_width")), 1e-9);
    assertEquals(3L, spark.read().parquet(dir + "/critical").count());
    // Only one bracketed group: the n fit exists (n varies) but has too few points, so Noy's growth
    // claim is inconclusive rather than a guess.
    Row fit = spark.read().parquet(dir + "/fits").where("quantity = 'critical_width' AND against = 'n'").first();
    assertTrue(fit.isNullAt(fit.fieldIndex("exponent")));
    assertTrue(fit.getString(fit.fieldIndex("note")).contains("too few usable points"), fit.getString(9));
    Row verdict = spark.read().parquet(dir + "/verdicts").where("claim = 'noy_growth_n'").first();
    assertEquals("inconclusive", verdict.getString(verdict.fieldIndex("holds")));
    assertTrue(Files.exists(tmp.resolve("critical").resolve("verdicts")));
    assertTrue(Files.list(tmp.resolve("critical")).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
  }

  @Test
  void powerLawOfCriticalWidthsIsRecoveredWithItsInterval() throws Exception {
    // Critical width = sqrt(w_lo * w_hi) = 3 n^1.5 exactly: every seed fails at w_lo, succeeds at w_hi.
    // Four sample sizes over a factor 64 and 8 seeds: enough for a fit to decide (Sample).
    int[] ns = {4, 16, 64, 256};
    int[][] grid = {{12, 48}, {96, 384}, {768, 3072}, {6144, 24576}};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ns.length; i++) {
      for (int s = 0; s < 8; s++) {
        for (int k = 0; k < 2; k++) {
          // Max neuron distance exactly 2 m^-0.5 at the converged width, plus wider widths up to 256x.
          rows.add(run(ns[i], grid[i][k], s, k == 1, 2 / Math.sqrt(grid[i][k])));
        }
        for (int f : new int[] {4, 16, 64, 256}) {
          rows.add(run(ns[i], grid[i][1] * f, s, true, 2 / Math.sqrt(grid[i][1] * f)));
        }
      }
    }
    String dir = write("powerlaw", rows);
    new SweepAnalysis(spark, 0.5).analyze(dir);
    Row fit = spark.sql("SELECT * FROM fits WHERE quantity = 'critical_width' AND against = 'n'").first();
    assertEquals("all", fit.getString(fit.fieldIndex("group_key")));
    assertEquals(1.5, fit.getDouble(fit.fieldIndex("exponent")), 1e-9);
    assertEquals(3.0, fit.getDouble(fit.fieldIndex("prefactor")), 1e-9);
    assertEquals(1.0, fit.getDouble(fit.fieldIndex("r2")), 1e-9);
    assertEquals(4, fit.getInt(fit.fieldIndex("points")));
    assertTrue(fit.getDouble(fit.fieldIndex("ci_low")) <= 1.5 + 1e-9 && fit.getDouble(fit.fieldIndex("ci_high")) >= 1.5
        - 1e-9, fit.toString());
    // Trained parameters = 10 m: the same exponent, prefactor 30.
    Row params = spark.sql("SELECT * FROM fits WHERE quantity = 'critical_params'").first();
    assertEquals(1.5, params.getDouble(params.fieldIndex("exponent")), 1e-9);
    assertEquals(30.0, params.getDouble(params.fieldIndex("prefactor")), 1e-7);
    // Steps = 10 n: exponent 1 on the log-log fit.
    Row steps = spark.sql("SELECT * FROM fits WHERE quantity = 'steps_to_target' AND against = 'n'").first();
    assertEquals(1.0, steps.getDouble(steps.fieldIndex("exponent")), 1e-9);
    // Distance 2 m^-1/2 at each group's widths >= 8x its critical width 2 w_lo: 4, 16, 64 and 256 times
    // the converged width 4 w_lo.
    List<Row> dist = spark.sql(
        "SELECT * FROM fits WHERE quantity = 'max_neuron_distance' ORDER BY group_key").collectAsList();
    assertEquals(4, dist.size());
    for (Row d : dist) {
      assertEquals(-0.5, d.getDouble(d.fieldIndex("exponent")), 1e-9);
      assertEquals(4, d.getInt(d.fieldIndex("points")));
    }
    // Rate: rate_min 0.05 vs bound 0.5 * 0.1 / 2 = 0.025: ratio 2 in every run.
    Row rate = spark.sql("SELECT * FROM fits WHERE quantity = 'rate_min_over_bound'").first();
    assertEquals(2.0, rate.getDouble(rate.fieldIndex("exponent")), 1e-12);

    Map<String, String> holds = new HashMap<>();
    for (Row v : spark.sql("SELECT claim, holds FROM verdicts").collectAsList()) {
      holds.put(v.getString(0), v.getString(1));
    }
    assertEquals("true", holds.get("noy_growth_n")); // 1.5 <= 2
    // Du's two-layer net keeps its output layer fixed: not Kawaguchi & Huang's setting.
    assertNull(holds.get("kh_params_linear_n"));
    // Time in the paper's units at widths >= n^2: steps x lr x lambda0 = 10 n x 0.5 x 0.1 ~ n^1.
    assertEquals("false", holds.get("noy_time_log"));
    assertEquals("true", holds.get("du_distance_sqrt_m"));
    assertEquals("true", holds.get("du_flips_vanish"));
    assertEquals("true", holds.get("du_rate")); // every run meets the bound: 0.05 >= 0.025
    assertNull(holds.get("noy_growth_L"), "depth does not vary: no depth verdict");
    assertNull(holds.get("kh_generalization"));
    Map<String, String> skipped = SweepAnalysis.outOfScope(spark, dir);
    assertTrue(skipped.get("kh_params_linear_n").contains("no group trains every layer"), skipped.toString());
    assertTrue(skipped.get("noy_growth_L").contains("one value"), skipped.toString());
  }

  /** Ten digit classes (chance 0.1), 8 seeds per arm; {@code trueAccuracy}: the true-label arm's mean. */
  private static String generalization(String name, double trueAccuracy, int seeds) {
    List<Row> rows = new ArrayList<>();
    for (boolean random : new boolean[] {false, true}) {
      for (int s = 0; s < seeds; s++) {
        for (int w : new int[] {64, 256}) {
          Map<String, Object> extra = Map.of("labels", "digit", "n_test", 50, "random_labels", random,
              "test_accuracy", (random ? 0.065 : trueAccuracy - 0.035) + 0.01 * s,
              "test_loss", (random ? 0.8 : 0.1) * (1 + 0.05 * s));
          rows.add(run(20, w, s, true, 1.0 / Math.sqrt(w), extra));
        }
      }
    }
    return write(name, rows);
  }

  @Test
  void randomLabelsGeneralizeWorse() throws Exception {
    String dir = generalization("generalization", 0.8, 8);
    new SweepAnalysis(spark, 0.5).analyze(dir);
    Row fit = spark.sql("SELECT * FROM fits WHERE quantity = 'test_accuracy_true'").first();
    assertEquals("all", fit.getString(fit.fieldIndex("group_key")));
    assertEquals(0.8, fit.getDouble(fit.fieldIndex("exponent")), 1e-9);
    assertEquals(8, fit.getInt(fit.fieldIndex("points")));
    assertTrue(fit.getDouble(fit.fieldIndex("ci_low")) > 0.77 && fit.getDouble(fit.fieldIndex("ci_high")) < 0.83,
        fit.toString());
    Row random = spark.sql("SELECT * FROM fits WHERE quantity = 'test_accuracy_random'").first();
    assertEquals(0.1, random.getDouble(random.fieldIndex("exponent")), 1e-9);
    Row v = spark.sql("SELECT * FROM verdicts WHERE claim = 'kh_generalization'").first();
    assertEquals("true", v.getString(v.fieldIndex("holds")));
    assertTrue(v.getString(v.fieldIndex("measured")).contains("chance 1/10 = 0.100: test accuracy true labels 0.800"),
        v.getString(v.fieldIndex("measured")));
    // Two groups (random_labels false / true) at a single n: no n fits, two widths per group.
    assertEquals(2L, spark.sql("SELECT count(*) FROM critical").first().getLong(0));
    assertEquals(0L, spark.sql("SELECT count(*) FROM fits WHERE against = 'n'").first().getLong(0));

    // True labels no better than chance (mean 0.06, interval below 0.1): false. Five seeds: inconclusive,
    // naming the condition.
    new SweepAnalysis(spark, 0.5).analyze(generalization("generalization-chance", 0.06, 8));
    assertEquals("false", spark.sql("SELECT holds FROM verdicts WHERE claim = 'kh_generalization'").first().getString(
        0));
    new SweepAnalysis(spark, 0.5).analyze(generalization("generalization-few", 0.8, 5));
    Row few = spark.sql("SELECT holds, measured FROM verdicts WHERE claim = 'kh_generalization'").first();
    assertEquals("inconclusive", few.getString(0));
    assertTrue(few.getString(1).contains("5 seeds (need >= 8)"), few.getString(1));
  }

  @Test
  void depthScalingAndDeepNeighborhood() throws Exception {
    // Allen-Zhu deep nets, L = 1, 2, 4: critical width sqrt(w_lo w_hi) = 3 L exactly; relative
    // movement 0.3 m^-0.5 in the converged widths.
    int[] depths = {1, 2, 4, 8};
    int[][] grid = {{1, 9}, {3, 12}, {6, 24}, {12, 48}};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < depths.length; i++) {
      int[] widths = {grid[i][0], grid[i][1], 4 * grid[i][1], 16 * grid[i][1], 64 * grid[i][1], 256 * grid[i][1],
          1024 * grid[i][1]};
      for (int s = 0; s < 8; s++) {
        for (int k = 0; k < widths.length; k++) {
          Map<String, Object> extra = Map.of("model", "deep", "parameterization", "allen_zhu", "depth", depths[i],
              "hidden_layers", depths[i], "max_relative_distance", 0.3 / Math.sqrt(widths[k]), "dist_frobenius",
              new Double[] {3.0 / Math.sqrt(widths[k])});
          rows.add(run(10, widths[k], s, k > 0, 1.0, extra));
        }
      }
    }
    String dir = write("depth", rows);
    new SweepAnalysis(spark, 0.5).analyze(dir);
    assertEquals(List.of("depth=1", "depth=2", "depth=4", "depth=8"),
        spark.sql("SELECT group_key FROM critical ORDER BY depth").collectAsList().stream().map(r -> r.getString(
            0)).toList());
    Row fit = spark.sql("SELECT * FROM fits WHERE quantity = 'critical_width' AND against = 'hidden_layers'").first();
    assertEquals(1.0, fit.getDouble(fit.fieldIndex("exponent")), 1e-9);
    assertEquals(3.0, fit.getDouble(fit.fieldIndex("prefactor")), 1e-9);
    List<Row> moves = spark.sql(
        "SELECT exponent, points FROM fits WHERE quantity = 'max_relative_distance'").collectAsList();
    assertEquals(4, moves.size());
    for (Row m : moves) {
      assertEquals(-0.5, m.getDouble(0), 1e-9);
      assertEquals(6, m.getInt(1));
    }
    // The absolute distance, at widths >= 8x the critical width 3 L: 4, 16, 64, 256 and 1024 times the
    // converged width.
    List<Row> layer = spark.sql(
        "SELECT exponent, points FROM fits WHERE quantity = 'max_layer_distance'").collectAsList();
    assertEquals(4, layer.size());
    for (Row m : layer) {
      assertEquals(-0.5, m.getDouble(0), 1e-9);
      assertEquals(5, m.getInt(1));
    }
    Map<String, String> holds = new HashMap<>();
    for (Row v : spark.sql("SELECT claim, holds FROM verdicts").collectAsList()) {
      holds.put(v.getString(0), v.getString(1));
    }
    assertEquals("true", holds.get("noy_growth_L")); // exponent 1 <= 1
    // n does not vary: time claims in n have nothing to fit (raw steps against L are described only).
    assertNull(holds.get("noy_time_log"));
    assertEquals("true", holds.get("az_zou_movement_shrinks"));
    assertNull(holds.get("noy_growth_n"), "n does not vary");
    assertNull(holds.get("du_distance_sqrt_m"), "no Du two-layer groups");
    // Width n^2 L = 100 L: L = 1 reaches it at 144, 576, 2304, 9216 (32 runs), L = 2, 4 and 8 at their three
    // widest widths (24 runs each), all converged; the critical width is 3 L = 0.03 n^2 L in every group.
    assertEquals("true", holds.get("noy_width_n2L"));
    String measured = spark.sql("SELECT measured FROM verdicts WHERE claim = 'noy_width_n2L'").first().getString(0);
    assertEquals("4 of 4 groups have widths >= n^2 L in the grid; there 104 of 104 runs converged (0 diverged or"
        + " failed); bracketed critical width / (n^2 L) from 0.0300 to 0.0300", measured);
  }

  private static Group group(int n, int depth, double lr) {
    return group(n, depth, lr, "deep", "zou");
  }

  private static Group group(int n, int depth, double lr, String model, String parameterization) {
    return group(n, depth, lr, model, parameterization, "f64");
  }

  private static Group group(int n, int depth, double lr, String model, String parameterization, String precision) {
    List<Object> values = new ArrayList<>();
    for (String c : AnalysisTables.GROUP_COLUMNS) {
      values.add(switch (c) {
        case "n" -> n;
        case "depth", "hidden_layers" -> depth;
        case "lr" -> lr;
        case "model" -> model;
        case "parameterization" -> parameterization;
        case "precision" -> precision;
        default -> null;
      });
    }
    return new Group(values);
  }

  @Test
  void aFitNeverPoolsFloat32AndFloat64Runs() {
    assertTrue(AnalysisTables.GROUP_COLUMNS.contains("precision"), "train.precision is a group column");
    // A product of n and precision: one slice per precision in a fit against n.
    List<Group> groups = new ArrayList<>();
    for (int n : new int[] {16, 32, 64}) {
      groups.add(group(n, 1, 0.5, "two_layer", "du", "f64"));
      groups.add(group(n, 1, 0.5, "two_layer", "du", "f32"));
    }
    assertEquals(List.of("n", "precision"), GroupKeys.keyColumns(groups, null));
    assertEquals(List.of("precision"), GroupKeys.keyColumns(groups, "n"));
    List<List<Object>> values = groups.stream().map(g -> g.values).toList();
    assertEquals(List.of("precision=f64", "precision=f32"), new ArrayList<>(new LinkedHashSet<>(
        GroupKeys.sliceKeys(values, "n"))));
    // Cases that give small n in f64 and large n in f32: the precision follows from n, yet a fit
    // against n must not read the change of arithmetic as an effect of n.
    List<Group> paired = new ArrayList<>();
    for (int n : new int[] {16, 32}) {
      paired.add(group(n, 1, 0.5, "two_layer", "du", "f64"));
    }
    for (int n : new int[] {64, 128}) {
      paired.add(group(n, 1, 0.5, "two_layer", "du", "f32"));
    }
    assertEquals(List.of("precision"), GroupKeys.keyColumns(paired, "n"));
  }

  @Test
  void keysLeaveOutTiedColumns() {
    // lr = 1 / n^2 (a relative lr) and hidden_layers = depth: neither names a group or a slice.
    List<Group> groups = new ArrayList<>();
    for (int n : new int[] {10, 20, 40}) {
      for (int depth : new int[] {1, 2}) {
        groups.add(group(n, depth, 1.0 / (n * n)));
      }
    }
    assertEquals(List.of("depth", "hidden_layers", "n", "lr"), GroupKeys.varying(groups));
    assertEquals(List.of("depth", "n"), GroupKeys.keyColumns(groups, null));
    assertEquals(List.of("depth"), GroupKeys.keyColumns(groups, "n"));
    assertEquals(List.of("n"), GroupKeys.keyColumns(groups, "depth"));
    assertEquals("depth=2;n=20", GroupKeys.key(groups.get(3), GroupKeys.keyColumns(groups, null), null));
    // An lr axis of its own is not tied: it names slices.
    groups.add(group(10, 1, 0.5));
    assertEquals(List.of("depth", "n", "lr"), GroupKeys.keyColumns(groups, null));
    assertEquals("0.0001", GroupKeys.format(1.0e-4));
  }

  @Test
  void aFitNeverPoolsTwoNetsThatVaryWithItsX() {
    // cases: Du's two-layer net (L = 1) and Zou's deep net (L = 2) over the same n. The net follows
    // from L, yet a fit against L would read the change of net as an effect of depth.
    List<Group> groups = new ArrayList<>();
    for (int n : new int[] {16, 32, 64, 128}) {
      groups.add(group(n, 1, 0.1, "two_layer", "du"));
      groups.add(group(n, 2, 0.1, "deep", "zou"));
    }
    assertEquals(List.of("model", "n"), GroupKeys.keyColumns(groups, null), "depth follows from the net");
    assertEquals(List.of("model", "n"), GroupKeys.keyColumns(groups, "hidden_layers"));
    assertEquals(List.of("model"), GroupKeys.keyColumns(groups, "n"));
    List<List<Object>> values = groups.stream().map(g -> g.values).toList();
    assertEquals(8, new HashSet<>(GroupKeys.sliceKeys(values, "hidden_layers")).size(),
        "every slice against L holds one net and one n: one group each, so no fit against L");
    // Two depths of one net still pool into one slice per n.
    groups.add(group(16, 3, 0.1, "deep", "zou"));
    assertEquals("model=deep;n=16", GroupKeys.key(groups.get(8), GroupKeys.keyColumns(groups, "hidden_layers"),
        "hidden_layers"));
  }

  @Test
  void oneWidthGivesEmptyFitsThatStillRead() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      rows.add(run(10, 32, s, s != 2, 0.2, Map.of("parameterization", "standard")));
    }
    String dir = write("single", rows);
    SweepAnalysis.Result r = new SweepAnalysis(spark, 0.5).analyze(dir);
    assertEquals(1, r.groups());
    assertEquals(0, r.fits());
    assertTrue(r.views().contains("fits"), r.views().toString());
    assertEquals(0L, spark.sql("SELECT count(*) FROM fits").first().getLong(0));
    Row c = spark.sql("SELECT group_key, success_rates, critical_width_status FROM critical").first();
    assertEquals("all", c.getString(0));
    assertEquals(2.0 / 3, (Double) c.getList(1).get(0), 1e-12);
    assertEquals("below_grid", c.getString(2));
    // Width n^2 L = 100 is not in the grid: every claim but one is listed with the reason. The standard
    // parameterization trains every layer, and its last hidden layer (32) is at least n = 10 wide:
    // Kawaguchi & Huang's direct check applies, and one of its three runs failed.
    Row v = spark.sql("SELECT claim, holds FROM verdicts").first();
    assertEquals(1L, spark.sql("SELECT count(*) FROM verdicts").first().getLong(0));
    assertEquals("kh_params_linear_n", v.getString(0));
    assertEquals("false", v.getString(1));
    Map<String, String> skipped = SweepAnalysis.outOfScope(spark, dir);
    assertEquals(Claims.ALL.size() - 1, skipped.size(), skipped.toString());
    assertEquals("the grid reaches width n^2 L in no group (widest width / (n^2 L) = 0.320)",
        skipped.get("noy_width_n2L"));
  }

  @Test
  void noRunsTable() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThrows(NoRunsException.class, () -> new SweepAnalysis(spark, 0.5).analyze(empty.toString()));
  }
}
