package io.github.overparam.spark.sweep;

import io.github.overparam.core.Names;
import io.github.overparam.core.data.UserTable;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs one wave and commits its tables: each bucket of runs is one Spark task (one network at a
 * time per task thread, through the pure {@link Runs#execute}); datasets/ and curves/ are written
 * first and runs/ last, so that runs/'s commit marks the wave as done. A run's own failure is a
 * row; only infrastructure failures fail tasks, and Spark retries those (runs are deterministic,
 * so a retried task writes the same rows).
 */
final class WaveExecutor {
  /**
   * What the runs of this executor JVM share: the user tables shipped to it and the memo of data
   * sets (the run function itself holds no state; the scheduler keeps one context per JVM).
   */
  private static final RunContext EXECUTOR_CONTEXT = new RunContext();

  private final SparkSession spark;
  private final PrintStream console;
  private final Duration progressEvery;
  private final Faults faults;
  private final String sweep;
  private final List<Broadcast<UserTable>> tables;
  private final FolderLease lease;

  WaveExecutor(SparkSession spark, PrintStream console, Duration progressEvery, Faults faults, String sweep,
      List<Broadcast<UserTable>> tables, FolderLease lease) {
    this.spark = spark;
    this.console = console;
    this.progressEvery = progressEvery;
    this.faults = faults;
    this.sweep = sweep;
    this.tables = List.copyOf(tables);
    this.lease = lease;
  }

  /** The rows one run contributes to each table. */
  record Produced(Row run, List<Row> curve, String datasetId, Row dataset, String status, long wallMs)
      implements Serializable {}

  /** What a committed wave held. */
  record WaveResult(int runs, long sumRunMs, Map<String, Long> statusCounts) {}

  /**
   * Runs and commits wave {@code wave}.
   *
   * @param datasetsWritten ids of the data sets already in datasets/ (modified: this wave's are added)
   * @param index the wave's position among {@code total} in this session, for the progress line
   * @param searchRounds search round per run id, or null in a grid
   */
  WaveResult run(SweepFolder folder, int wave, List<List<RunSpec>> buckets, Set<String> datasetsWritten,
      Progress progress, int index, int total, Map<String, Integer> searchRounds) throws SweepException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator finished = spark.sparkContext().longAccumulator("runs finished");
    LongAccumulator converged = spark.sparkContext().longAccumulator("runs converged");
    LongAccumulator failed = spark.sparkContext().longAccumulator("runs failed or diverged");
    jsc.setJobGroup("overparam-" + sweep + "-wave-" + wave, "overparam sweep " + sweep + " wave " + wave, false);
    List<Broadcast<UserTable>> shipped = tables;
    Faults faults = this.faults;
    String sweep = this.sweep;
    String session = lease.session();
    JavaRDD<Produced> produced = jsc.parallelize(buckets, buckets.size()).flatMap(bucket -> {
      for (Broadcast<UserTable> table : shipped) {
        EXECUTOR_CONTEXT.tables().register(table.value());
      }
      String host = InetAddress.getLocalHost().getHostName();
      List<Produced> out = new ArrayList<>(bucket.size());
      for (RunSpec spec : bucket) {
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
        out.add(new Produced(Tables.runRow(new RunRecord(sweep, r, host, round, session)), Tables.curveRows(r),
            r.dataset() == null ? null : r.dataset().datasetId(),
            r.dataset() == null ? null : Tables.datasetRow(spec.data(), r.dataset()),
            Names.of(r.status()), r.cost().wallMs()));
        finished.add(1);
        if (r.status() == Status.CONVERGED) {
          converged.add(1);
        } else if (r.status() == Status.FAILED || r.status() == Status.DIVERGED) {
          failed.add(1);
        }
      }
      return out.iterator();
    }).persist(StorageLevel.MEMORY_AND_DISK());

    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "overparam-progress");
      t.setDaemon(true);
      return t;
    });
    int runsInWave = buckets.stream().mapToInt(List::size).sum();
    ticker.scheduleAtFixedRate(() -> progress.print(console, index, total, finished.value(), converged.value(),
        failed.value()), progressEvery.toMillis(), progressEvery.toMillis(), TimeUnit.MILLISECONDS);
    try {
      // Compute once; this small projection comes to the driver, the writes below read the persisted rows.
      List<Produced> summaries = produced.map(p -> new Produced(null, List.of(), p.datasetId(), p.dataset(),
          p.status(), p.wallMs())).collect();
      Map<String, Long> counts = new LinkedHashMap<>();
      long sumMs = 0;
      List<Row> newDatasets = new ArrayList<>();
      Set<String> fresh = new HashSet<>();
      for (Produced p : summaries) {
        counts.merge(p.status(), 1L, Long::sum);
        sumMs += p.wallMs();
        if (p.datasetId() != null && !datasetsWritten.contains(p.datasetId()) && fresh.add(p.datasetId())) {
          newDatasets.add(p.dataset());
        }
      }
      if (!newDatasets.isEmpty()) {
        spark.createDataFrame(newDatasets, Table.DATASETS.schema()).coalesce(1).write().mode(SaveMode.ErrorIfExists)
            .parquet(folder.wavePath(Table.DATASETS, wave).toString());
      }
      spark.createDataFrame(produced.flatMap(p -> {
        faults.duringWrite(Table.CURVES.dir(), wave);
        return p.curve().iterator();
      }), Table.CURVES.schema())
          .coalesce(Math.max(1, Math.min(4, buckets.size()))).write().mode(SaveMode.ErrorIfExists)
          .parquet(folder.wavePath(Table.CURVES, wave).toString());
      // runs/ last: its commit marks the wave as done; only while this driver holds the folder.
      lease.assertHeld();
      spark.createDataFrame(produced.map(p -> {
        faults.duringWrite(Table.RUNS.dir(), wave);
        return p.run();
      }), Table.RUNS.schema()).coalesce(1).write()
          .mode(SaveMode.ErrorIfExists).parquet(folder.wavePath(Table.RUNS, wave).toString());
      datasetsWritten.addAll(fresh);
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
      produced.unpersist(false);
      jsc.clearJobGroup();
    }
  }

  /** The run id -> converged of committed wave {@code wave}. */
  void readStatuses(SweepFolder folder, int wave, Map<String, Boolean> converged) {
    String ok = Names.of(Status.CONVERGED);
    for (Row r : spark.read().schema(Table.RUNS.schema()).parquet(folder.wavePath(Table.RUNS, wave).toString())
        .select("run_id", "status").collectAsList()) {
      converged.put(r.getString(0), ok.equals(r.getString(1)));
    }
  }

  /** The ids in {@code column} of the committed waves of {@code table}. */
  Set<String> existingIds(SweepFolder folder, Table table, String column) throws IOException {
    Set<String> ids = new HashSet<>();
    for (int wave : folder.committedWaves()) {
      Path p = folder.wavePath(table, wave);
      if (p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        for (Row r : spark.read().schema(table.schema()).parquet(p.toString()).select(column).collectAsList()) {
          ids.add(r.getString(0));
        }
      }
    }
    return ids;
  }
}
