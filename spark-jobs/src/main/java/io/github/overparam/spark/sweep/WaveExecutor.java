package io.github.overparam.spark.sweep;

import io.github.overparam.core.Names;
import io.github.overparam.core.run.RunContext;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Status;
import io.github.overparam.spark.table.RunRecord;
import io.github.overparam.spark.table.Table;
import io.github.overparam.spark.table.Tables;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Runs one wave and commits its tables: each partition of runs is one Spark task (one network at a
 * time per task thread, through the pure {@link Runs#execute}), which builds its rows in one batch;
 * datasets/ and curves/ are written first and runs/ last, so that runs/'s commit marks the wave as done. A run's own failure is a
 * row; only infrastructure failures fail tasks, and Spark retries those (runs are deterministic,
 * so a retried task writes the same rows).
 */
final class WaveExecutor {
  /**
   * What the runs of this executor JVM share: the user tables shipped to it and the memo of data
   * sets (the run function itself holds no state; the scheduler keeps one context per JVM).
   */
  static final RunContext EXECUTOR_CONTEXT = new RunContext();

  private final SparkSession spark;
  private final PrintStream console;
  private final Duration progressEvery;
  private final Faults faults;
  private final String sweep;
  private final FolderLease lease;

  WaveExecutor(SparkSession spark, PrintStream console, Duration progressEvery, Faults faults, String sweep,
      FolderLease lease) {
    this.spark = spark;
    this.console = console;
    this.progressEvery = progressEvery;
    this.faults = faults;
    this.sweep = sweep;
    this.lease = lease;
  }

  /**
   * What one task produced: the rows of each table for all its runs (one object per task, never
   * one per run, so that Spark handles a few objects per task whatever the runs' count), its data
   * sets once each, and its status counts.
   */
  record Batch(List<Row> runs, List<Row> curves, List<Row> datasets, Map<String, Long> statusCounts, long sumRunMs)
      implements Serializable {}

  /** What a committed wave held. */
  record WaveResult(int runs, long sumRunMs, Map<String, Long> statusCounts) {}

  /**
   * Runs and commits wave {@code wave}: the runs {@code specs} yields (decoded on the executors),
   * one Spark task per partition.
   *
   * @param expectedRuns about how many runs the wave holds (for the progress line and file sizes)
   * @param curvePoints about how many curve points a run records
   * @param index the wave's position among {@code total} in this session, for the progress line
   * @param searchRounds search round per run id, or null in a grid
   */
  WaveResult run(SweepFolder folder, int wave, JavaRDD<RunSpec> specs, long expectedRuns, double curvePoints,
      Progress progress, int index, int total, Map<String, Integer> searchRounds) throws SweepException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator finished = spark.sparkContext().longAccumulator("runs finished");
    LongAccumulator converged = spark.sparkContext().longAccumulator("runs converged");
    LongAccumulator failed = spark.sparkContext().longAccumulator("runs failed or diverged");
    jsc.setJobGroup("overparam-" + sweep + "-wave-" + wave, "overparam sweep " + sweep + " wave " + wave, false);
    Faults faults = this.faults;
    String sweep = this.sweep;
    String session = lease.session();
    JavaRDD<Batch> batches = specs.mapPartitions(it -> {
      String host = InetAddress.getLocalHost().getHostName();
      List<Row> runs = new ArrayList<>();
      List<Row> curves = new ArrayList<>();
      Map<String, Row> datasets = new LinkedHashMap<>();
      Map<String, Long> counts = new LinkedHashMap<>();
      long sumMs = 0;
      while (it.hasNext()) {
        RunSpec spec = it.next();
        RunResult r;
        try {
          faults.beforeRun(spec, wave);
          r = Runs.execute(spec, EXECUTOR_CONTEXT);
        } catch (RuntimeException e) {
          // Runs.execute turns a run's own exceptions into results; this catches what is thrown around
          // it, so that one bad run is a failed row and not a task that Spark retries and then aborts.
          r = Runs.failed(spec, e);
        }
        Integer round = searchRounds == null ? null : searchRounds.get(r.runId());
        runs.add(Tables.runRow(new RunRecord(sweep, r, host, round, session)));
        curves.addAll(Tables.curveRows(r));
        if (r.dataset() != null && !datasets.containsKey(r.dataset().datasetId())) {
          datasets.put(r.dataset().datasetId(), Tables.datasetRow(spec.data(), r.dataset()));
        }
        counts.merge(Names.of(r.status()), 1L, Long::sum);
        sumMs += r.cost().wallMs();
        finished.add(1);
        if (r.status() == Status.CONVERGED) {
          converged.add(1);
        } else if (r.status() == Status.FAILED || r.status() == Status.DIVERGED) {
          failed.add(1);
        }
      }
      return List.of(new Batch(runs, curves, List.copyOf(datasets.values()), counts, sumMs)).iterator();
    }).persist(StorageLevel.MEMORY_AND_DISK());

    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "overparam-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(() -> progress.print(console, index, total, finished.value(), converged.value(),
        failed.value()), progressEvery.toMillis(), progressEvery.toMillis(), TimeUnit.MILLISECONDS);
    try {
      // Compute once; only each task's counts come to the driver, the writes below read the persisted batches.
      List<Batch> summaries = batches.map(b -> new Batch(List.of(), List.of(), List.of(), b.statusCounts(),
          b.sumRunMs())).collect();
      Map<String, Long> counts = new LinkedHashMap<>();
      long sumMs = 0;
      for (Batch b : summaries) {
        b.statusCounts().forEach((k, v) -> counts.merge(k, v, Long::sum));
        sumMs += b.sumRunMs();
      }
      int runsInWave = (int) counts.values().stream().mapToLong(Long::longValue).sum();
      if (runsInWave == 0) {
        return new WaveResult(0, 0, counts); // every run of it was done before: nothing to commit
      }
      writeDatasets(folder, wave, batches);
      spark.createDataFrame(batches.flatMap(b -> {
        faults.duringWrite(Table.CURVES.dir(), wave);
        return b.curves().iterator();
      }), Table.CURVES.schema()).coalesce(writers(runsInWave * curvePoints * OutputSize.CURVE_ROW_BYTES,
          summaries.size())).write().mode(SaveMode.ErrorIfExists).parquet(folder.wavePath(Table.CURVES,
              wave).toString());
      // runs/ last: its commit marks the wave as done; only while this driver holds the folder.
      lease.assertHeld();
      spark.createDataFrame(batches.flatMap(b -> {
        faults.duringWrite(Table.RUNS.dir(), wave);
        return b.runs().iterator();
      }), Table.RUNS.schema()).coalesce(writers(runsInWave * OutputSize.RUN_ROW_BYTES, summaries.size())).write().mode(
          SaveMode.ErrorIfExists).parquet(folder.wavePath(Table.RUNS, wave).toString());
      String convergedName = Names.of(Status.CONVERGED);
      progress.finishWave(runsInWave, counts.getOrDefault(convergedName, 0L),
          counts.getOrDefault(Names.of(Status.FAILED), 0L) + counts.getOrDefault(Names.of(Status.DIVERGED), 0L));
      progress.print(console, index, total, 0, 0, 0);
      return new WaveResult(runsInWave, sumMs, counts);
    } catch (Exception e) { // Spark's job failures are undeclared checked exceptions
      throw new SweepException("wave " + wave + " failed and was not committed: " + SweepRunner.rootCause(e)
          + "; the waves committed before it are intact in " + folder.root() + ": fix the cause (space,"
          + " permissions, cluster) and rerun the same command with --resume to finish the sweep", e);
    } finally {
      ticker.shutdownNow();
      batches.unpersist(false);
      jsc.clearJobGroup();
    }
  }

  /**
   * Files (and writing tasks) for about {@code bytes} of Parquet: one per
   * {@link OutputSize#TARGET_FILE_BYTES}, but at least one per core (up to the wave's tasks), so
   * that encoding Parquet never runs on one core while the others idle.
   */
  private int writers(double bytes, int tasks) {
    return Math.max(OutputSize.files(bytes, tasks), Math.min(tasks, spark.sparkContext().defaultParallelism()));
  }

  /**
   * datasets/ of this wave: the data sets its runs used that no committed wave holds, each once,
   * found on the executors (an anti-join on the data set id against the committed datasets/).
   */
  private void writeDatasets(SweepFolder folder, int wave, JavaRDD<Batch> batches) throws IOException {
    // Few partitions: a wave uses few data sets, and each shuffle partition is a task.
    int partitions = Math.max(1, Math.min(batches.getNumPartitions(), spark.sparkContext().defaultParallelism()));
    int id = Table.DATASETS.schema().fieldIndex("dataset_id");
    JavaPairRDD<String, Row> used = batches.flatMapToPair(b -> b.datasets().stream().map(r -> new Tuple2<>(r.getString(
        id), r)).iterator()).reduceByKey((a, b) -> a, partitions);
    List<String> committed = committedPaths(folder, Table.DATASETS);
    if (!committed.isEmpty()) {
      JavaPairRDD<String, Boolean> written = spark.read().schema(Table.DATASETS.schema()).parquet(committed.toArray(
          String[]::new)).select("dataset_id").javaRDD().mapToPair(r -> new Tuple2<>(r.getString(0), Boolean.TRUE));
      used = used.subtractByKey(written, partitions);
    }
    JavaRDD<Row> fresh = used.values().coalesce(1).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      if (!fresh.isEmpty()) {
        spark.createDataFrame(fresh, Table.DATASETS.schema()).write().mode(SaveMode.ErrorIfExists).parquet(
            folder.wavePath(Table.DATASETS, wave).toString());
      }
    } finally {
      fresh.unpersist(false);
    }
  }

  /** The Parquet folders of the committed waves of {@code table} that exist. */
  List<String> committedPaths(SweepFolder folder, Table table) throws IOException {
    List<String> paths = new ArrayList<>();
    for (int wave : folder.committedWaves()) {
      Path p = folder.wavePath(table, wave);
      if (p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        paths.add(p.toString());
      }
    }
    return paths;
  }

  /** The run id -> converged of committed wave {@code wave}. */
  void readStatuses(SweepFolder folder, int wave, Map<String, Boolean> converged) {
    String ok = Names.of(Status.CONVERGED);
    for (Row r : spark.read().schema(Table.RUNS.schema()).parquet(folder.wavePath(Table.RUNS, wave).toString()).select(
        "run_id", "status").collectAsList()) {
      converged.put(r.getString(0), ok.equals(r.getString(1)));
    }
  }
}
