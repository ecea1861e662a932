package io.github.overparam.spark.analysis;

import io.github.overparam.spark.analysis.FitTable.FitRow;
import io.github.overparam.spark.sweep.SweepViews;
import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The analysis of a sweep folder: reads {@code runs/}, writes {@code critical/}, {@code fits/} and
 * {@code verdicts/} and registers all tables as views.
 *
 * <p>Spark aggregates runs/ to one row per (group, width) ({@link RunGroups}); on the driver,
 * {@link CriticalTable} interpolates the critical widths, {@link FitTable} fits the laws with the
 * seed bootstrap ({@link Bootstrap}) and {@link VerdictTable} applies the rules of the claims
 * ({@link Claims}).
 *
 * <p>Conventions (also stated in each fits row's note and each verdict's evidence):
 * <ul>
 *   <li>Groups and their keys: {@link GroupKeys}.
 *   <li>Success = status 'converged'. Critical widths: {@link CriticalWidth}. Across-group fits use
 *       bracketed critical widths only ('below_grid' is an upper bound and 'not_reached' no value),
 *       of budget-stable groups only ({@link BudgetLadder}: a critical width that moves with the step
 *       budget is the budget's, not the network's).
 *   <li>Steps to the target of a group: the median of steps_to_target over the converged runs at
 *       the group's widest width.
 *   <li>The over-parameterized regime of a group: its widths whose success rate reaches the
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
  public record Result(String folder, int groups, int fits, int verdicts, List<String> views,
      Map<String, String> outOfScope) {}

  /** The file in verdicts/ that lists the claims the sweep cannot speak to: "claim TAB reason" per line. */
  public static final String OUT_OF_SCOPE = "_out_of_scope.tsv";

  /** The claims the sweep under {@code dir} cannot speak to (claim id to reason), as its last analysis wrote them. */
  public static Map<String, String> outOfScope(SparkSession spark, String dir) {
    Map<String, String> out = new LinkedHashMap<>();
    Path file = new Path(new Path(dir, AnalysisTables.VERDICTS), OUT_OF_SCOPE);
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(file)) {
        return out;
      }
      try (FSDataInputStream in = fs.open(file)) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          int tab = line.indexOf('\t');
          if (tab > 0) {
            out.put(line.substring(0, tab), line.substring(tab + 1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

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
    List<Group> groups = RunGroups.collect(spark, dir);
    if (groups.isEmpty()) {
      throw new NoRunsException("the runs table under " + dir + " is empty");
    }
    GroupKeys.assign(groups);

    CriticalTable criticalTable = new CriticalTable(threshold);
    List<Row> critical = new ArrayList<>();
    for (Group g : groups) {
      critical.add(criticalTable.row(g));
    }
    List<FitRow> fits = new FitTable(criticalTable).fits(groups);
    VerdictTable.Verdicts v = new VerdictTable(criticalTable).verdicts(groups, fits);
    List<Row> verdicts = v.rows().stream().map(VerdictTable.VerdictRow::row).toList();

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
      Path verdictsTmp = stage(fs, root, AnalysisTables.VERDICTS, verdicts, AnalysisTables.VERDICTS_SCHEMA);
      StringBuilder tsv = new StringBuilder();
      v.outOfScope().forEach((claim, why) -> tsv.append(claim).append('\t').append(why.replace('\n', ' ')).append(
          '\n'));
      try (FSDataOutputStream o = fs.create(new Path(verdictsTmp, OUT_OF_SCOPE), true)) {
        o.write(tsv.toString().getBytes(StandardCharsets.UTF_8));
      }
      staged.put(AnalysisTables.VERDICTS, verdictsTmp);
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
    return new Result(fs.makeQualified(root).toString(), critical.size(), fitRows.size(), verdicts.size(), views,
        v.outOfScope());
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
}
