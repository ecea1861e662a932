package io.github.overparam.spark.analysis;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.github.overparam.spark.sweep.SweepViews;
import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The analysis of a sweep folder: reads {@code runs/}, writes {@code critical/}, {@code fits/} and
 * {@code verdicts/} (DESIGN.md sections 4 and 5) and registers all tables as views.
 *
 * <p>Spark aggregates runs/ to one row per (group, width) with the counts, the mean parameter count
 * and the per-seed observations; those aggregates (tiny: groups x widths) come to the driver, where
 * the interpolation, the least-squares fits and the seed bootstrap run.
 *
 * <p>Conventions (also stated in each fits row's note and each verdict's evidence):
 * <ul>
 *   <li>A group is every run sharing {@link AnalysisTables#GROUP_COLUMNS} (everything but width and
 *       seed). Its {@code group_key} is "col=value" for each group column whose value varies across
 *       the sweep's groups, in that column order, joined by ';' ("all" when the sweep has one
 *       group); a column whose value follows from the others (hidden_layers from depth, an lr
 *       given relative to n) is left out. A slice (the {@code group_key} of an across-group fit)
 *       is the same with the fit's x column, and the columns it determines, left out
 *       ({@link #keyColumns}).
 *   <li>Success = status 'converged'. Critical widths: {@link CriticalWidth}. Across-group fits use
 *       bracketed critical widths only ('below_grid' is an upper bound and 'not_reached' no value).
 *   <li>Steps to the target of a group: the median of steps_to_target over the converged runs at
 *       the group's widest width.
 *   <li>The over-parameterised regime of a group: its widths whose success rate reaches the
 *       threshold. Distance, flip fraction and rate statistics use the converged runs there; per
 *       width the mean over those runs. Zero or negative values cannot enter a log-log fit and are
 *       left out (counted in the note).
 *   <li>Fits: least squares on (ln x, ln y) (semi-log: on (ln x, y), exponent = slope of y per unit
 *       ln x). A row is written when the x column takes at least two values in the slice; with
 *       fewer than three distinct x values among the usable points the numbers are null and the
 *       note says why. Confidence intervals: 95% percentile bootstrap, {@link Bootstrap#RESAMPLES}
 *       resamples of the seeds (jointly across the groups of a slice: seeds are paired, every group
 *       sees the same data for a seed), the quantity recomputed from the resampled runs and refitted;
 *       the interval is null when fewer than half of the resamples give a fit.
 * </ul>
 */
public final class SweepAnalysis {
  public static final double DEFAULT_THRESHOLD = 0.5;

  private final SparkSession spark;
  private final double threshold;

  public SweepAnalysis(SparkSession spark, double threshold) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
    }
    this.spark = spark;
    this.threshold = threshold;
  }

  /** What an analysis wrote. */
  public record Result(String folder, int groups, int fits, int verdicts, List<String> views) {}

  // ---------------------------------------------------------------------------------------------
  // Driver-side model of the aggregates.

  record Obs(long seed, boolean converged, Integer steps, Double maxDist, Double relDist, Double flip,
      Double rateMin, Double rateFit, Double lambda0, Double testLoss, Double surrogateGap) {}

  record Cell(int width, int runs, int converged, int diverged, Double params, List<Obs> obs, Map<Long, List<Obs>> bySeed) {}

  static final class Group {
    final List<Object> values;
    final TreeMap<Integer, Cell> cells = new TreeMap<>();
    double lambda0Sum;
    long lambda0Count;
    String key;

    Group(List<Object> values) {
      this.values = values;
    }

    Object value(String column) {
      return values.get(AnalysisTables.GROUP_COLUMNS.indexOf(column));
    }

    double number(String column) {
      Object v = value(column);
      return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    int[] widths() {
      return cells.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Per width (ascending), the observations of the given seeds (with repetition); all when null. */
    List<List<Obs>> sample(long[] seeds) {
      List<List<Obs>> out = new ArrayList<>();
      for (Cell c : cells.values()) {
        if (seeds == null) {
          out.add(c.obs());
        } else {
          List<Obs> list = new ArrayList<>();
          for (long s : seeds) {
            list.addAll(c.bySeed().getOrDefault(s, List.of()));
          }
          out.add(list);
        }
      }
      return out;
    }

    boolean isDuTwoLayer() {
      return "two_layer".equals(value("model")) && "du".equals(value("parameterization"));
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Analyses the sweep folder {@code dir}. */
  public Result analyze(String dir) throws NoRunsException {
    Path root = new Path(dir);
    FileSystem fs;
    try {
      fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!hasTable(fs, new Path(root, Table.RUNS.dir()))) {
        throw new NoRunsException("no runs table under " + dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Group> groups = collectGroups(dir);
    if (groups.isEmpty()) {
      throw new NoRunsException("the runs table under " + dir + " is empty");
    }
    assignKeys(groups);

    List<Row> critical = new ArrayList<>();
    for (Group g : groups) {
      critical.add(criticalRow(g));
    }
    List<FitRow> fits = fits(groups);
    List<Row> verdicts = verdicts(groups, fits);

    List<Row> fitRows = new ArrayList<>();
    for (FitRow f : fits) {
      fitRows.add(f.row());
    }
    try {
      // All three are written beside their targets first, then swapped in: a crash while writing
      // leaves the previous tables whole.
      Map<String, Path> staged = new LinkedHashMap<>();
      staged.put(AnalysisTables.CRITICAL, stage(fs, root, AnalysisTables.CRITICAL, critical,
          AnalysisTables.CRITICAL_SCHEMA));
      staged.put(AnalysisTables.FITS, stage(fs, root, AnalysisTables.FITS, fitRows, AnalysisTables.FITS_SCHEMA));
      staged.put(AnalysisTables.VERDICTS, stage(fs, root, AnalysisTables.VERDICTS, verdicts,
          AnalysisTables.VERDICTS_SCHEMA));
      for (Map.Entry<String, Path> e : staged.entrySet()) {
        Path target = new Path(root, e.getKey());
        if (fs.exists(target) && !fs.delete(target, true)) {
          throw new IOException("cannot replace " + target);
        }
        if (!fs.rename(e.getValue(), target)) {
          throw new IOException("cannot rename " + e.getValue() + " to " + target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> views = SweepViews.register(spark, dir);
    return new Result(fs.makeQualified(root).toString(), critical.size(), fitRows.size(), verdicts.size(), views);
  }

  private static boolean hasTable(FileSystem fs, Path table) throws IOException {
    if (!fs.exists(table)) {
      return false;
    }
    for (FileStatus st : fs.listStatus(table)) {
      if (!st.getPath().getName().startsWith("_") && !st.getPath().getName().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private Path stage(FileSystem fs, Path root, String table, List<Row> rows, StructType schema) throws IOException {
    Path tmp = new Path(root, "." + table + ".tmp");
    if (fs.exists(tmp)) {
      fs.delete(tmp, true);
    }
    spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(tmp.toString());
    return tmp;
  }

  // ---------------------------------------------------------------------------------------------
  // Spark: one row per (group, width) with the per-seed observations.

  private List<Group> collectGroups(String dir) {
    // Committed waves only: what a crashed wave left behind is not a result.
    Dataset<Row> runs = SweepViews.read(spark, dir, Table.RUNS);
    if (runs == null) {
      return List.of();
    }
    // Tables written before a column existed read it as null (the model it describes did not exist).
    java.util.Set<String> present = new java.util.HashSet<>(Arrays.asList(runs.columns()));
    for (String c : AnalysisTables.GROUP_COLUMNS) {
      if (!present.contains(c)) {
        runs = runs.withColumn(c, lit(null).cast(Table.RUNS.schema().apply(c).dataType()));
      }
    }
    for (String c : List.of("surrogate_gap", "test_accuracy")) {
      if (!present.contains(c)) {
        runs = runs.withColumn(c, lit(null).cast("double"));
      }
    }
    // An lr given by a rule in the width varies with the width: the group is the rule, not the value.
    runs = runs.withColumn("lr", when(col("lr_rule").isNull(), col("lr")));
    List<Column> keys = new ArrayList<>();
    for (String c : AnalysisTables.GROUP_COLUMNS) {
      keys.add(col(c));
    }
    keys.add(col("width"));
    Column converged = col("status").equalTo("converged");
    Dataset<Row> cells = runs.where(col("width").isNotNull()).groupBy(keys.toArray(Column[]::new)).agg(
        count(lit(1)).as("runs"),
        sum(when(converged, 1).otherwise(0)).as("converged"),
        sum(when(col("status").isin("diverged", "failed"), 1).otherwise(0)).as("diverged"),
        avg(col("trained_param_count")).as("params"),
        sum(col("lambda0")).as("lambda0_sum"),
        count(col("lambda0")).as("lambda0_count"),
        sort_array(collect_list(struct(col("seed"), converged.as("converged"), col("steps_to_target"),
            col("max_neuron_distance"), col("max_relative_distance"), col("flip_fraction"), col("rate_min"),
            col("rate_fit"), col("lambda0"), col("test_loss"), col("surrogate_gap")))).as("obs"));
    Map<List<Object>, Group> groups = new LinkedHashMap<>();
    for (Row r : cells.collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (String c : AnalysisTables.GROUP_COLUMNS) {
        values.add(r.get(r.fieldIndex(c)));
      }
      Group g = groups.computeIfAbsent(values, Group::new);
      List<Obs> obs = new ArrayList<>();
      Map<Long, List<Obs>> bySeed = new TreeMap<>();
      for (Row o : r.<Row>getList(r.fieldIndex("obs"))) {
        Obs ob = new Obs(o.getLong(0), o.getBoolean(1), (Integer) o.get(2), (Double) o.get(3), (Double) o.get(4),
            (Double) o.get(5), (Double) o.get(6), (Double) o.get(7), (Double) o.get(8), (Double) o.get(9),
            (Double) o.get(10));
        obs.add(ob);
        bySeed.computeIfAbsent(ob.seed(), s -> new ArrayList<>()).add(ob);
      }
      int width = r.getInt(r.fieldIndex("width"));
      Object params = r.get(r.fieldIndex("params"));
      g.cells.put(width, new Cell(width, (int) r.getLong(r.fieldIndex("runs")), (int) r.getLong(r.fieldIndex(
          "converged")), (int) r.getLong(r.fieldIndex("diverged")), (Double) params, obs, bySeed));
      Object l0 = r.get(r.fieldIndex("lambda0_sum"));
      g.lambda0Sum += l0 == null ? 0 : (Double) l0;
      g.lambda0Count += r.getLong(r.fieldIndex("lambda0_count"));
    }
    List<Group> list = new ArrayList<>(groups.values());
    list.sort((a, b) -> compareValues(a.values, b.values));
    return list;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareValues(List<Object> a, List<Object> b) {
    for (int i = 0; i < a.size(); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      if (x == null || y == null) {
        if (x != y) {
          return x == null ? -1 : 1;
        }
        continue;
      }
      int c = ((Comparable) x).compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** The columns whose value differs between groups, in group-column order. */
  static List<String> varying(List<Group> groups) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < AnalysisTables.GROUP_COLUMNS.size(); i++) {
      Object first = groups.get(0).values.get(i);
      for (Group g : groups) {
        if (!java.util.Objects.equals(first, g.values.get(i))) {
          out.add(AnalysisTables.GROUP_COLUMNS.get(i));
          break;
        }
      }
    }
    return out;
  }

  private static void assignKeys(List<Group> groups) {
    List<String> columns = keyColumns(groups, null);
    for (Group g : groups) {
      g.key = key(g, columns, null);
    }
  }

  /**
   * The columns that name a slice of the groups for a fit against {@code x} (null: name a group):
   * the varying columns except {@code x}, without those determined by {@code x} and the columns
   * kept (hidden_layers by depth; an lr given relative to n by n), among {@link #DERIVABLE}.
   */
  static List<String> keyColumns(List<Group> groups, String x) {
    // Only columns a config can give relative to n and depth (and hidden_layers, set by depth) are
    // candidates: the primary axes always name their slices.
    List<String> kept = new ArrayList<>(varying(groups));
    kept.remove(x);
    for (int i = kept.size() - 1; i >= 0; i--) {
      String c = kept.get(i);
      if (!DERIVABLE.contains(c)) {
        continue;
      }
      List<String> others = new ArrayList<>(kept);
      others.remove(c);
      if (x != null) {
        others.add(x);
      }
      if (determined(groups, c, others)) {
        kept.remove(i);
      }
    }
    return kept;
  }

  /** Columns whose values may follow from n and depth (relative config values; hidden layers). */
  static final List<String> DERIVABLE = List.of("hidden_layers", "n_test", "teacher_width", "lr", "batch_size");

  /** Whether column {@code c} is a function of {@code columns} over the groups. */
  private static boolean determined(List<Group> groups, String c, List<String> columns) {
    Map<List<Object>, Object> seen = new java.util.HashMap<>();
    for (Group g : groups) {
      List<Object> k = new ArrayList<>();
      for (String col : columns) {
        k.add(g.value(col));
      }
      Object v = g.value(c);
      if (seen.containsKey(k) && !java.util.Objects.equals(seen.get(k), v)) {
        return false;
      }
      seen.put(k, v);
    }
    return true;
  }

  /** "col=value;..." over {@code columns} except {@code without}; "all" when empty. */
  static String key(Group g, List<String> columns, String without) {
    List<String> parts = new ArrayList<>();
    for (String c : columns) {
      if (!c.equals(without)) {
        parts.add(c + "=" + format(g.value(c)));
      }
    }
    return parts.isEmpty() ? "all" : String.join(";", parts);
  }

  static String format(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? d.toString() : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    return v.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // critical/

  /** Success rates of a sample: widths with at least one run, their rates and parameter counts. */
  private record Rates(int[] widths, double[] rates, int[] runs, Double[] params) {}

  private static Rates rates(Group g, List<List<Obs>> sample) {
    int[] all = g.widths();
    List<Integer> idx = new ArrayList<>();
    for (int k = 0; k < all.length; k++) {
      if (!sample.get(k).isEmpty()) {
        idx.add(k);
      }
    }
    int[] widths = new int[idx.size()];
    double[] rates = new double[idx.size()];
    int[] runs = new int[idx.size()];
    Double[] params = new Double[idx.size()];
    for (int j = 0; j < idx.size(); j++) {
      int k = idx.get(j);
      List<Obs> obs = sample.get(k);
      widths[j] = all[k];
      runs[j] = obs.size();
      rates[j] = obs.stream().filter(Obs::converged).count() / (double) obs.size();
      params[j] = g.cells.get(all[k]).params();
    }
    return new Rates(widths, rates, runs, params);
  }

  private CriticalWidth.Result critical(Group g, List<List<Obs>> sample) {
    Rates r = rates(g, sample);
    return CriticalWidth.of(r.widths(), r.rates(), r.params(), threshold);
  }

  private Row criticalRow(Group g) {
    List<List<Obs>> sample = g.sample(null);
    Rates r = rates(g, sample);
    CriticalWidth.Result c = CriticalWidth.of(r.widths(), r.rates(), r.params(), threshold);
    // Per seed (ascending): its converged flags at the widths where it has a run.
    TreeSet<Long> seeds = new TreeSet<>();
    for (Cell cell : g.cells.values()) {
      seeds.addAll(cell.bySeed().keySet());
    }
    List<Double> seedCritical = new ArrayList<>();
    for (long s : seeds) {
      List<Integer> w = new ArrayList<>();
      List<Boolean> ok = new ArrayList<>();
      for (Cell cell : g.cells.values()) {
        List<Obs> obs = cell.bySeed().get(s);
        if (obs != null) {
          w.add(cell.width());
          ok.add(obs.stream().allMatch(Obs::converged));
        }
      }
      boolean[] flags = new boolean[ok.size()];
      for (int i = 0; i < flags.length; i++) {
        flags[i] = ok.get(i);
      }
      seedCritical.add(CriticalWidth.seedCritical(w.stream().mapToInt(Integer::intValue).toArray(), flags));
    }
    List<Object> values = new ArrayList<>(List.of(g.key, ints(r.widths()), doubles(r.rates()), ints(r.runs()),
        threshold));
    values.add(c.width());
    values.add(c.status());
    values.add(c.params());
    values.add(seedCritical.toArray());
    values.add(g.lambda0Count == 0 ? null : g.lambda0Sum / g.lambda0Count);
    values.addAll(g.values);
    return RowFactory.create(values.toArray());
  }

  /** Array columns take Java object arrays in rows of every Spark line (Scala 2.12 and 2.13). */
  private static Integer[] ints(int[] v) {
    return Arrays.stream(v).boxed().toArray(Integer[]::new);
  }

  private static Double[] doubles(double[] v) {
    return Arrays.stream(v).boxed().toArray(Double[]::new);
  }

  // ---------------------------------------------------------------------------------------------
  // fits/

  enum Kind { LOG_LOG, SEMI_LOG, MEDIAN_RATIO, FRACTION_AT_LEAST_ONE }

  /** The (x, y) points one group contributes to a fit, from a sample of its runs. */
  @FunctionalInterface
  interface Points {
    List<double[]> of(Group g, List<List<Obs>> sample);
  }

  /** A fits/ row, kept in memory for the verdicts. */
  record FitRow(String quantity, String against, String groupKey, Double exponent, Double ciLow, Double ciHigh,
      Double prefactor, Double r2, Integer points, String note) {
    Row row() {
      return RowFactory.create(quantity, against, groupKey, exponent, ciLow, ciHigh, prefactor, r2, points, note);
    }

    boolean hasCi() {
      return ciLow != null && ciHigh != null;
    }
  }

  private record Estimate(double value, Double prefactor, Double r2, int points, int excluded) {}

  private static Estimate estimate(Kind kind, List<double[]> pts) {
    List<double[]> use = new ArrayList<>();
    for (double[] p : pts) {
      boolean ok = switch (kind) {
        case LOG_LOG -> p[0] > 0 && p[1] > 0;
        case SEMI_LOG -> p[0] > 0 && !Double.isNaN(p[1]);
        case MEDIAN_RATIO, FRACTION_AT_LEAST_ONE -> p[0] > 0 && !Double.isNaN(p[1]);
      };
      if (ok) {
        use.add(p);
      }
    }
    int excluded = pts.size() - use.size();
    double[] x = use.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = use.stream().mapToDouble(p -> p[1]).toArray();
    switch (kind) {
      case LOG_LOG, SEMI_LOG -> {
        if (PowerLaw.distinct(x) < 3) {
          return null;
        }
        PowerLaw.Fit f = kind == Kind.LOG_LOG ? PowerLaw.logLog(x, y) : PowerLaw.semiLog(x, y);
        return new Estimate(f.exponent(), f.prefactor(), Double.isNaN(f.r2()) ? null : f.r2(), f.points(), excluded);
      }
      default -> {
        if (x.length < 3) {
          return null;
        }
        double[] ratio = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          ratio[i] = y[i] / x[i];
        }
        double v = kind == Kind.MEDIAN_RATIO ? Bootstrap.quantile(ratio, 0.5)
            : Arrays.stream(ratio).filter(q -> q >= 1).count() / (double) ratio.length;
        return new Estimate(v, null, null, x.length, excluded);
      }
    }
  }

  private static List<double[]> points(List<Group> groups, Points fn, long[] seeds) {
    List<double[]> pts = new ArrayList<>();
    for (Group g : groups) {
      pts.addAll(fn.of(g, g.sample(seeds)));
    }
    return pts;
  }

  /** One fits/ row: the estimate on every run and its seed-bootstrap interval. */
  static FitRow fit(String quantity, String against, String sliceKey, List<Group> groups, Kind kind, Points fn,
      String howNote) {
    TreeSet<Long> seedSet = new TreeSet<>();
    for (Group g : groups) {
      for (Cell c : g.cells.values()) {
        seedSet.addAll(c.bySeed().keySet());
      }
    }
    long[] seeds = seedSet.stream().mapToLong(Long::longValue).toArray();
    List<double[]> pts = points(groups, fn, null);
    Estimate est = estimate(kind, pts);
    String what = switch (kind) {
      case LOG_LOG -> "log-log least squares";
      case SEMI_LOG -> "semi-log: exponent = slope of " + quantity + " per unit ln x, prefactor = intercept";
      case MEDIAN_RATIO -> "exponent = median of y/x over runs (not a power law)";
      case FRACTION_AT_LEAST_ONE -> "exponent = fraction of runs with y/x >= 1 (not a power law)";
    };
    String note = what + "; " + howNote;
    if (est == null) {
      long distinct = pts.stream().mapToDouble(p -> p[0]).distinct().count();
      return new FitRow(quantity, against, sliceKey, null, null, null, null, null, pts.size(),
          note + "; too few usable points (" + pts.size() + " points, " + distinct + " distinct x; need 3)");
    }
    if (est.excluded() > 0) {
      note += "; " + est.excluded() + " non-positive or missing points left out";
    }
    SplittableRandom rng = Bootstrap.rng(quantity + "|" + against + "|" + sliceKey);
    double[] values = new double[Bootstrap.RESAMPLES];
    int valid = 0;
    for (int b = 0; b < Bootstrap.RESAMPLES; b++) {
      Estimate e = estimate(kind, points(groups, fn, Bootstrap.resample(seeds, rng)));
      if (e != null) {
        values[valid++] = e.value();
      }
    }
    Bootstrap.Interval ci = Bootstrap.interval(values, valid, seeds.length);
    Double lo = ci.low();
    Double hi = ci.high();
    note += ci.note();
    return new FitRow(quantity, against, sliceKey, est.value(), lo, hi, est.prefactor(), est.r2(), est.points(), note);
  }

  /** Groups by slice key (varying columns except {@code column}), keeping slices where {@code column} varies. */
  private static Map<String, List<Group>> slices(List<Group> groups, String column,
      java.util.function.Predicate<Group> filter) {
    List<String> columns = keyColumns(groups, column);
    Map<String, List<Group>> out = new LinkedHashMap<>();
    for (Group g : groups) {
      if (filter.test(g)) {
        out.computeIfAbsent(key(g, columns, column), k -> new ArrayList<>()).add(g);
      }
    }
    out.values().removeIf(list -> list.stream().map(g -> g.value(column)).distinct().count() < 2);
    return out;
  }

  private Points criticalWidthPoint(String xColumn) {
    return (g, s) -> {
      CriticalWidth.Result c = critical(g, s);
      return CriticalWidth.BRACKETED.equals(c.status()) ? List.<double[]>of(new double[] {g.number(xColumn), c.width()})
          : List.of();
    };
  }

  private Points criticalParamsPoint(String xColumn) {
    return (g, s) -> {
      CriticalWidth.Result c = critical(g, s);
      return CriticalWidth.BRACKETED.equals(c.status()) && c.params() != null
          ? List.<double[]>of(new double[] {g.number(xColumn), c.params()}) : List.of();
    };
  }

  private static Points stepsPoint(String xColumn) {
    return (g, s) -> {
      for (int k = s.size() - 1; k >= 0; k--) {
        if (!s.get(k).isEmpty()) {
          double[] steps = s.get(k).stream().filter(o -> o.converged() && o.steps() != null)
              .mapToDouble(Obs::steps).toArray();
          return steps.length == 0 ? List.of()
              : List.<double[]>of(new double[] {g.number(xColumn), Bootstrap.quantile(steps, 0.5)});
        }
      }
      return List.of();
    };
  }

  /** Converged runs at the widths whose success rate reaches the threshold. */
  private List<List<Obs>> regime(List<List<Obs>> s) {
    List<List<Obs>> out = new ArrayList<>();
    for (List<Obs> obs : s) {
      long ok = obs.stream().filter(Obs::converged).count();
      out.add(!obs.isEmpty() && ok / (double) obs.size() >= threshold
          ? obs.stream().filter(Obs::converged).toList() : List.of());
    }
    return out;
  }

  private Points regimeMean(java.util.function.Function<Obs, Double> metric) {
    return (g, s) -> {
      int[] widths = g.widths();
      List<List<Obs>> reg = regime(s);
      List<double[]> pts = new ArrayList<>();
      for (int k = 0; k < widths.length; k++) {
        double[] v = reg.get(k).stream().map(metric).filter(x -> x != null && !x.isNaN())
            .mapToDouble(Double::doubleValue).toArray();
        if (v.length > 0) {
          pts.add(new double[] {widths[k], Arrays.stream(v).average().orElseThrow()});
        }
      }
      return pts;
    };
  }

  /** Per width, the mean of a metric over every run with a finite positive value, whatever its status. */
  private static Points allMean(java.util.function.Function<Obs, Double> metric) {
    return (g, s) -> {
      int[] widths = g.widths();
      List<double[]> pts = new ArrayList<>();
      for (int k = 0; k < widths.length; k++) {
        double[] v = s.get(k).stream().map(metric).filter(x -> x != null && x > 0 && Double.isFinite(x))
            .mapToDouble(Double::doubleValue).toArray();
        if (v.length > 0) {
          pts.add(new double[] {widths[k], Arrays.stream(v).average().orElseThrow()});
        }
      }
      return pts;
    };
  }

  /** Per converged run in the regime: (lr lambda0 scale, rate). */
  private Points ratePoints(double scale, java.util.function.Function<Obs, Double> rate) {
    return (g, s) -> {
      double lr = g.number("lr");
      List<double[]> pts = new ArrayList<>();
      for (List<Obs> obs : regime(s)) {
        for (Obs o : obs) {
          Double r = rate.apply(o);
          if (o.lambda0() != null && r != null) {
            pts.add(new double[] {scale * lr * o.lambda0(), r});
          }
        }
      }
      return pts;
    };
  }

  private static boolean duRateGroup(Group g) {
    return g.isDuTwoLayer() && "half_sum_squared".equals(g.value("loss_fn")) && "gd".equals(g.value("optimizer"));
  }

  private static boolean deepNeighbourhoodGroup(Group g) {
    return List.of("deep", "resnet", "cnn").contains(g.value("model"))
        && ("allen_zhu".equals(g.value("parameterization")) || "zou".equals(g.value("parameterization")));
  }

  static final String CRIT_NOTE = "points: groups with a bracketed critical width";
  static final String STEPS_NOTE = "y: median steps_to_target over converged runs at the group's widest width";
  static final String REGIME_NOTE = "y: mean over converged runs at widths whose success rate reaches the threshold";

  List<FitRow> fits(List<Group> groups) {
    List<FitRow> out = new ArrayList<>();
    java.util.function.Predicate<Group> any = g -> true;
    slices(groups, "n", any).forEach((k, gs) -> {
      out.add(fit("critical_width", "n", k, gs, Kind.LOG_LOG, criticalWidthPoint("n"), CRIT_NOTE));
      out.add(fit("critical_params", "n", k, gs, Kind.LOG_LOG, criticalParamsPoint("n"), CRIT_NOTE));
      out.add(fit("steps_to_target", "n", k, gs, Kind.LOG_LOG, stepsPoint("n"), STEPS_NOTE));
      out.add(fit("steps_to_target", "log_n", k, gs, Kind.SEMI_LOG, stepsPoint("n"), STEPS_NOTE));
    });
    slices(groups, "depth", any).forEach((k, gs) -> {
      out.add(fit("critical_width", "depth", k, gs, Kind.LOG_LOG, criticalWidthPoint("depth"), CRIT_NOTE));
      out.add(fit("steps_to_target", "depth", k, gs, Kind.LOG_LOG, stepsPoint("depth"), STEPS_NOTE));
      out.add(fit("steps_to_target", "log_depth", k, gs, Kind.SEMI_LOG, stepsPoint("depth"), STEPS_NOTE));
    });
    for (Group g : groups) {
      if (g.cells.size() < 2) {
        continue;
      }
      out.add(fit("max_neuron_distance", "width", g.key, List.of(g), Kind.LOG_LOG, regimeMean(Obs::maxDist),
          REGIME_NOTE));
      out.add(fit("flip_fraction", "width", g.key, List.of(g), Kind.LOG_LOG, regimeMean(Obs::flip), REGIME_NOTE));
      if (g.cells.values().stream().anyMatch(c -> c.obs().stream().anyMatch(o -> o.surrogateGap() != null))) {
        out.add(fit("surrogate_gap", "width", g.key, List.of(g), Kind.LOG_LOG, allMean(Obs::surrogateGap),
            "y: mean surrogate_gap over all runs (any status) with a finite, positive gap at each width"));
      }
      if (deepNeighbourhoodGroup(g)) {
        out.add(fit("max_relative_distance", "width", g.key, List.of(g), Kind.LOG_LOG, regimeMean(Obs::relDist),
            REGIME_NOTE));
      }
    }
    List<Group> du = groups.stream().filter(SweepAnalysis::duRateGroup).toList();
    if (!du.isEmpty()) {
      String k = "model=two_layer;parameterization=du;loss_fn=half_sum_squared;optimizer=gd";
      String runsNote = "points: converged runs with lambda0 at widths whose success rate reaches the threshold";
      out.add(fit("rate_min_over_bound", "lr_lambda0_over_2", k, du, Kind.MEDIAN_RATIO,
          ratePoints(0.5, Obs::rateMin), runsNote + "; bound = lr * lambda0 / 2 (Du et al.)"));
      out.add(fit("rate_min_bound_holds", "lr_lambda0_over_2", k, du, Kind.FRACTION_AT_LEAST_ONE,
          ratePoints(0.5, Obs::rateMin), runsNote));
      out.add(fit("rate_fit", "lr_lambda0", k, du, Kind.LOG_LOG, ratePoints(1.0, Obs::rateFit), runsNote));
      out.add(fit("rate_min", "lr_lambda0", k, du, Kind.LOG_LOG, ratePoints(1.0, Obs::rateMin), runsNote));
    }
    out.addAll(generalisation(groups));
    return out;
  }

  /**
   * Kawaguchi & Huang's generalisation contrast: groups with held-out points and structured labels
   * (teacher, teacher_sign, the digits' digit_parity and digit, or a user table's column), paired
   * with the group that differs only in random_labels. Per pair: at the widest width both have, the
   * median held-out test_loss of the converged random-label runs over that of the converged
   * true-label runs; the interval resamples seeds jointly (a seed gives both groups the same inputs).
   */
  List<FitRow> generalisation(List<Group> groups) {
    List<String> sliceColumns = keyColumns(groups, "random_labels");
    Map<String, Group[]> pairs = new LinkedHashMap<>();
    for (Group g : groups) {
      Object labels = g.value("labels");
      Object nTest = g.value("n_test");
      if (nTest == null || ((Number) nTest).intValue() <= 0
          || !List.of("teacher", "teacher_sign", "digit_parity", "digit", "column").contains(labels)
          || g.value("random_labels") == null) {
        continue;
      }
      Group[] pair = pairs.computeIfAbsent(key(g, AnalysisTables.GROUP_COLUMNS, "random_labels"), k -> new Group[2]);
      pair[Boolean.TRUE.equals(g.value("random_labels")) ? 1 : 0] = g;
    }
    List<FitRow> out = new ArrayList<>();
    for (Group[] pair : pairs.values()) {
      if (pair[0] == null || pair[1] == null) {
        continue;
      }
      TreeSet<Integer> common = new TreeSet<>(pair[0].cells.keySet());
      common.retainAll(pair[1].cells.keySet());
      if (common.isEmpty()) {
        continue;
      }
      int width = common.last();
      String sliceKey = key(pair[0], sliceColumns, "random_labels");
      TreeSet<Long> seedSet = new TreeSet<>(pair[0].cells.get(width).bySeed().keySet());
      seedSet.addAll(pair[1].cells.get(width).bySeed().keySet());
      long[] seeds = seedSet.stream().mapToLong(Long::longValue).toArray();
      double[] point = testLossRatio(pair, width, null);
      String note = "exponent = median test_loss (random labels) / median test_loss (true labels), converged runs"
          + " at width " + width + " (not a power law)";
      if (point == null) {
        out.add(new FitRow("test_loss_ratio", "random_labels", sliceKey, null, null, null, null, null, 0,
            note + "; no converged runs with a test loss in one of the two groups"));
        continue;
      }
      SplittableRandom rng = Bootstrap.rng("test_loss_ratio|random_labels|" + sliceKey);
      double[] values = new double[Bootstrap.RESAMPLES];
      int valid = 0;
      for (int b = 0; b < Bootstrap.RESAMPLES; b++) {
        double[] e = testLossRatio(pair, width, Bootstrap.resample(seeds, rng));
        if (e != null) {
          values[valid++] = e[0];
        }
      }
      Bootstrap.Interval ci = Bootstrap.interval(values, valid, seeds.length);
      Double lo = ci.low();
      Double hi = ci.high();
      note += ci.note();
      out.add(new FitRow("test_loss_ratio", "random_labels", sliceKey, point[0], lo, hi, null, null,
          (int) point[1], note));
    }
    return out;
  }

  /** {ratio, runs used} or null. */
  private static double[] testLossRatio(Group[] pair, int width, long[] seeds) {
    double[] medians = new double[2];
    int used = 0;
    for (int i = 0; i < 2; i++) {
      Cell c = pair[i].cells.get(width);
      List<Obs> obs = new ArrayList<>();
      if (seeds == null) {
        obs.addAll(c.obs());
      } else {
        for (long s : seeds) {
          obs.addAll(c.bySeed().getOrDefault(s, List.of()));
        }
      }
      double[] v = obs.stream().filter(o -> o.converged() && o.testLoss() != null && !o.testLoss().isNaN())
          .mapToDouble(Obs::testLoss).toArray();
      if (v.length == 0) {
        return null;
      }
      medians[i] = Bootstrap.quantile(v, 0.5);
      used += v.length;
    }
    return medians[0] > 0 ? new double[] {medians[1] / medians[0], used} : null;
  }

  // ---------------------------------------------------------------------------------------------
  // verdicts/

  private static String num(Double v) {
    return v == null ? "null" : String.format(Locale.ROOT, "%.3g", v);
  }

  /** "n^1.12 [0.95, 1.30], 6 points, R^2 0.97" for one fits row. */
  static String describe(FitRow f, String symbol, boolean withKey) {
    String where = !withKey || f.groupKey().equals("all") ? "" : f.groupKey() + ": ";
    if (f.exponent() == null) {
      return where + "no fit (" + f.points() + " points)";
    }
    String x = switch (f.against()) {
      case "depth" -> "L";
      case "width" -> "m";
      default -> f.against();
    };
    return where + symbol.replace("{x}", x) + num(f.exponent()) + " [" + num(f.ciLow()) + ", " + num(f.ciHigh()) + "], "
        + f.points() + " points" + (f.r2() == null ? "" : ", R^2 " + String.format(Locale.ROOT, "%.3f", f.r2()));
  }

  private static Row verdict(String claim, String paper, String statement, List<FitRow> rows, String symbol,
      java.util.function.Function<FitRow, String> rule, String ruleText) {
    List<String> outcomes = new ArrayList<>();
    List<String> measured = new ArrayList<>();
    for (FitRow f : rows) {
      outcomes.add(rule.apply(f));
      measured.add(describe(f, symbol, rows.size() > 1));
    }
    String holds = Verdicts.combine(outcomes);
    FitRow first = rows.get(0);
    String evidence = "fits rows quantity='" + first.quantity() + "', against='" + first.against() + "' ("
        + rows.size() + (rows.size() == 1 ? " row" : " rows") + ", per-row outcomes " + outcomes + "); rule: "
        + ruleText + "; a missing interval is inconclusive; several rows: any false -> false, all true -> true,"
        + " else inconclusive";
    return RowFactory.create(claim, paper, statement, String.join("; ", measured), holds, evidence);
  }

  private static List<FitRow> select(List<FitRow> fits, String quantity, String against) {
    return fits.stream().filter(f -> f.quantity().equals(quantity) && f.against().equals(against)).toList();
  }

  List<Row> verdicts(List<Group> groups, List<FitRow> fits) {
    List<Row> out = new ArrayList<>();
    out.add(noyWidth(groups));

    List<FitRow> cwN = select(fits, "critical_width", "n");
    if (!cwN.isEmpty()) {
      out.add(verdict("noy_growth_n", "Noy et al. 2021", "The critical width grows no faster than n^2.", cwN,
          "critical width ~ n^", f -> Verdicts.atMost(f.ciLow(), f.ciHigh(), 2.0),
          "holds if ci_high <= 2, false if ci_low > 2"));
    }
    List<FitRow> cwL = select(fits, "critical_width", "depth");
    if (!cwL.isEmpty()) {
      out.add(verdict("noy_growth_L", "Noy et al. 2021", "The critical width grows no faster than linearly in the"
          + " depth L.", cwL, "critical width ~ L^", f -> Verdicts.atMost(f.ciLow(), f.ciHigh(), 1.0),
          "holds if ci_high <= 1, false if ci_low > 1"));
    }
    List<FitRow> steps = new ArrayList<>(select(fits, "steps_to_target", "n"));
    steps.addAll(select(fits, "steps_to_target", "depth"));
    if (!steps.isEmpty()) {
      out.add(verdict("noy_time_log", "Noy et al. 2021", "Steps to the target grow about logarithmically in n and"
          + " L.", steps, "steps ~ {x}^", f -> Verdicts.atMost(f.ciLow(), f.ciHigh(), 0.5),
          "log-log exponent of median steps vs n (and vs L): holds if ci_high <= 0.5, false if ci_low > 0.5"
              + " (a + b ln x with a, b >= 0 has local log-log slope <= 1 / ln x, below 0.5 for x >= 8;"
              + " semi-log slopes are in the fits rows against log_n / log_depth)"));
    }
    List<FitRow> params = select(fits, "critical_params", "n");
    if (!params.isEmpty()) {
      out.add(verdict("kh_params_linear_n", "Kawaguchi & Huang 2019", "The critical trained-parameter count grows"
          + " about linearly in n.", params, "critical params ~ n^",
          f -> Verdicts.within(f.ciLow(), f.ciHigh(), 0.75, 1.25),
          "holds if the interval lies within [0.75, 1.25], false if it lies outside it"));
    }
    List<FitRow> bound = select(fits, "rate_min_bound_holds", "lr_lambda0_over_2");
    if (!bound.isEmpty()) {
      List<FitRow> ratio = select(fits, "rate_min_over_bound", "lr_lambda0_over_2");
      Row v = verdict("du_rate", "Du et al. 2019", "The loss falls geometrically at a rate of at least"
          + " eta * lambda_0 / 2: rate_min >= lr * lambda0 / 2.", bound, "fraction of runs with rate_min >= bound ",
          f -> Verdicts.atLeast(f.ciLow(), f.ciHigh(), 0.95),
          "holds if the fraction's ci_low >= 0.95, false if ci_high < 0.95");
      String measured = v.getString(3) + (ratio.isEmpty() ? "" : "; median rate_min / bound "
          + num(ratio.get(0).exponent()) + " [" + num(ratio.get(0).ciLow()) + ", " + num(ratio.get(0).ciHigh()) + "]");
      out.add(RowFactory.create(v.get(0), v.get(1), v.get(2), measured, v.get(4), v.get(5)));
    }
    List<String> duKeys = groups.stream().filter(Group::isDuTwoLayer).map(g -> g.key).toList();
    List<FitRow> dist = select(fits, "max_neuron_distance", "width").stream()
        .filter(f -> duKeys.contains(f.groupKey())).toList();
    if (!dist.isEmpty()) {
      out.add(verdict("du_distance_sqrt_m", "Du et al. 2019", "The max neuron distance from initialisation shrinks"
          + " like m^-1/2.", dist, "max distance ~ m^", f -> Verdicts.within(f.ciLow(), f.ciHigh(), -0.75, -0.25),
          "holds if the interval lies within [-0.75, -0.25], false if it lies outside it"));
    }
    List<FitRow> flips = select(fits, "flip_fraction", "width").stream()
        .filter(f -> duKeys.contains(f.groupKey())).toList();
    if (!flips.isEmpty()) {
      out.add(verdict("du_flips_vanish", "Du et al. 2019", "The fraction of flipped activation patterns falls"
          + " toward 0 as m grows.", flips, "flip fraction ~ m^", f -> Verdicts.below(f.ciLow(), f.ciHigh(), 0.0),
          "holds if ci_high < 0, false if ci_low >= 0"));
    }
    List<FitRow> gen = select(fits, "test_loss_ratio", "random_labels");
    if (!gen.isEmpty()) {
      out.add(verdict("kh_generalisation", "Kawaguchi & Huang 2019", "At the same width, nets fitted to true"
          + " (teacher) labels generalise and nets fitted to randomly permuted labels do not.", gen,
          "test loss random / true = ", f -> Verdicts.atLeast(f.ciLow(), f.ciHigh(), 1.5),
          "held-out test loss ratio (random labels / true labels) at the widest common width: holds if"
              + " ci_low >= 1.5, false if ci_high < 1.5"));
    }
    List<FitRow> gaps = select(fits, "surrogate_gap", "width");
    if (!gaps.isEmpty()) {
      out.add(verdict("noy_surrogate", "Noy et al. 2021", "The frozen-pattern (gated linear) surrogate describes"
          + " the ReLU net better as m grows: the gap between their loss curves shrinks.", gaps,
          "surrogate gap ~ m^", f -> Verdicts.below(f.ciLow(), f.ciHigh(), 0.0),
          "log-log slope of the mean gap max_k |loss_relu(k) - loss_surrogate(k)| / loss(0) against m: holds if"
              + " ci_high < 0, false if ci_low >= 0"));
    }
    Row sgd = sgdConverges(groups);
    if (sgd != null) {
      out.add(sgd);
    }
    List<FitRow> moves = select(fits, "max_relative_distance", "width");
    if (!moves.isEmpty()) {
      out.add(verdict("az_zou_movement_shrinks", "Allen-Zhu et al. 2019; Zou et al. 2020", "Deep nets stay in a"
          + " shrinking neighbourhood of initialisation as m grows.", moves, "relative distance ~ m^",
          f -> Verdicts.below(f.ciLow(), f.ciHigh(), 0.0), "holds if ci_high < 0, false if ci_low >= 0"));
    }
    return out;
  }

  /**
   * Zou et al.: SGD (and GD) on wide deep nets reaches the global minimum. Over the groups trained by
   * SGD: holds when every one has a bracketed critical width (success reaches the threshold at some
   * width of the grid), inconclusive otherwise (a grid that stops too narrow says nothing against
   * the claim). The measured text lists each group's critical width beside GD's where the grid has
   * the same group with gd.
   */
  private Row sgdConverges(List<Group> groups) {
    List<Group> sgd = groups.stream().filter(g -> "sgd".equals(g.value("optimizer"))).toList();
    if (sgd.isEmpty()) {
      return null;
    }
    List<String> measured = new ArrayList<>();
    int bracketed = 0;
    for (Group g : groups) {
      CriticalWidth.Result cr = critical(g, g.sample(null));
      boolean ok = CriticalWidth.BRACKETED.equals(cr.status());
      if (sgd.contains(g) && ok) {
        bracketed++;
      }
      String who = "sgd".equals(g.value("optimizer")) ? "sgd batch " + g.value("batch_size") : "gd";
      measured.add(who + " (" + g.value("model") + ", " + g.value("parameterization") + ", L=" + g.value("depth")
          + ", n=" + g.value("n") + "): critical width " + (ok ? num(cr.width()) : cr.status()));
    }
    String holds = bracketed == sgd.size() ? Verdicts.TRUE : Verdicts.INCONCLUSIVE;
    String evidence = "critical table (threshold " + threshold + "): holds if every sgd group has a bracketed"
        + " critical width, inconclusive otherwise; " + bracketed + " of " + sgd.size() + " sgd groups bracketed";
    return RowFactory.create("zou_sgd_converges", "Zou et al. 2020", "SGD drives wide deep ReLU nets to zero"
        + " training error, as GD does.", String.join("; ", measured), holds, evidence);
  }

  /** Noy et al.: at width n^2 L (c = 1) every seed converges. */
  private Row noyWidth(List<Group> groups) {
    long runs = 0;
    long converged = 0;
    long diverged = 0;
    int withWidths = 0;
    double minRatio = Double.NaN;
    double maxRatio = Double.NaN;
    for (Group g : groups) {
      double prescribed = g.number("n") * g.number("n") * g.number("depth");
      boolean any = false;
      for (Cell c : g.cells.values()) {
        if (c.width() >= prescribed) {
          runs += c.runs();
          converged += c.converged();
          diverged += c.diverged();
          any = true;
        }
      }
      withWidths += any ? 1 : 0;
      CriticalWidth.Result cr = critical(g, g.sample(null));
      if (CriticalWidth.BRACKETED.equals(cr.status())) {
        double ratio = cr.width() / prescribed;
        minRatio = Double.isNaN(minRatio) ? ratio : Math.min(minRatio, ratio);
        maxRatio = Double.isNaN(maxRatio) ? ratio : Math.max(maxRatio, ratio);
      }
    }
    String holds = runs == 0 ? Verdicts.INCONCLUSIVE : converged == runs ? Verdicts.TRUE : Verdicts.FALSE;
    String measured = String.format(Locale.ROOT, "%d of %d groups have widths >= n^2 L in the grid; there %d of %d"
        + " runs converged (%d diverged or failed)", withWidths, groups.size(), converged, runs, diverged)
        + (Double.isNaN(minRatio) ? "" : "; bracketed critical width / (n^2 L) from " + num(minRatio) + " to "
        + num(maxRatio));
    String evidence = "runs table: every run at a width >= n^2 * depth (c = 1), success = status 'converged';"
        + " holds if all of them converged, false if any did not, inconclusive if the grid has no such width;"
        + " the ratio uses the critical table (threshold " + threshold + ")";
    return RowFactory.create("noy_width_n2L", "Noy et al. 2021", "At width c * n^2 * L (here c = 1) every seed"
        + " converges.", measured, holds, evidence);
  }
}
