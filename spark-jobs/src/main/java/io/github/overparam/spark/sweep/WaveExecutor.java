package io.github.overparam.spark.sweep;

import io.github.overparam.core.Names;
import io.github.overparam.core.run.RunContext;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Status;
import io.github.overparam.spark.table.ParquetRows;
import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Runs one wave and commits its tables in one Spark job: each partition of runs is one task (one
 * network at a time per task thread, through the pure {@link Runs#execute}) that streams its rows
 * into its own files of runs/ and curves/ ({@link WaveTask}); the data sets the tasks used are
 * deduplicated and anti-joined against the committed datasets/ in the same job (a shuffle on the
 * data set id) and written by its last stage. The driver then commits the files ({@link WaveFiles}):
 * curves/ and datasets/ first and runs/ last, so that runs/'s commit marks the wave as done. A run's
 * own failure is a row; only infrastructure failures fail tasks, and Spark retries those (runs are
 * deterministic, so a retried task writes the same rows).
 */
final class WaveExecutor {
  /**
   * What the runs of this executor JVM share: the user tables shipped to it and the memo of data
   * sets (the run function itself holds no state; the scheduler keeps one context per JVM).
   */
  static final RunContext EXECUTOR_CONTEXT = new RunContext();

  /** Runs per datasets/ writing task (data sets are at most one per run, mostly far fewer). */
  private static final long RUNS_PER_DATASET_WRITER = 2_000_000;

  private final SparkSession spark;
  private final PrintStream console;
  private final Duration progressEvery;
  private final Faults faults;
  private final String sweep;
  private final FolderLease lease;
  private final boolean warmUp;
  private Broadcast<HadoopConf> hadoopConf;

  WaveExecutor(SparkSession spark, PrintStream console, Duration progressEvery, Faults faults, String sweep,
      FolderLease lease, boolean warmUp) {
    this.spark = spark;
    this.console = console;
    this.progressEvery = progressEvery;
    this.faults = faults;
    this.sweep = sweep;
    this.lease = lease;
    this.warmUp = warmUp;
  }

  /** What a committed wave held. */
  record WaveResult(int runs, long sumRunMs, Map<String, Long> statusCounts) {}

  /** The datasets/ file a task of the job's last stage wrote. */
  record DatasetsFile(int partition, String path) implements Serializable {}

  /**
   * Runs and commits wave {@code wave}: the runs {@code specs} yields (decoded on the executors),
   * one Spark task per partition.
   *
   * @param expectedRuns about how many runs the wave holds (for the number of datasets/ writers)
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
    if (hadoopConf == null) {
      hadoopConf = jsc.broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    }
    Broadcast<HadoopConf> conf = hadoopConf;
    WaveFiles files = new WaveFiles(folder, wave, spark.version());
    WaveTask task = new WaveTask(sweep, lease.session(), wave, faults, searchRounds, files, conf, finished, converged,
        failed, warmUp);
    int tasks = specs.getNumPartitions();
    int writers = (int) Math.max(1, Math.min(tasks, (expectedRuns + RUNS_PER_DATASET_WRITER - 1)
        / RUNS_PER_DATASET_WRITER));

    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "overparam-progress");
      t.setDaemon(true);
      return t;
    });
    RunningCounts running = new RunningCounts(finished, converged, failed);
    spark.sparkContext().addSparkListener(running);
    ticker.scheduleAtFixedRate(() -> progress.print(console, index, total, Math.max(finished.value(), Math.min(
        expectedRuns, finished.value() + running.running(0))), converged.value() + running.running(1), failed.value()
            + running.running(2)),
        progressEvery.toMillis(), progressEvery.toMillis(), TimeUnit.MILLISECONDS);
    try {
      FileSystem fs = folder.root().getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (Table table : Table.waveTables()) {
        if (fs.exists(files.waveDir(table))) {
          throw new IOException(files.waveDir(table) + " already exists");
        }
      }
      // One job: the runs (writing runs/ and curves/) in the first stage, the data sets' deduplication
      // and datasets/ in the last; only the tasks' summaries come to the driver.
      JavaPairRDD<String, Object> used = specs.mapPartitionsToPair(task::apply).reduceByKey((a, b) -> a, writers);
      Dataset<Row> committed = CommittedTables.read(spark, folder, Table.DATASETS);
      if (committed != null) {
        JavaPairRDD<String, Boolean> written = committed.select("dataset_id").javaRDD().mapToPair(r -> new Tuple2<>(
            r.getString(0), Boolean.TRUE));
        used = used.subtractByKey(written, writers);
      }
      List<Object> outputs = used.mapPartitions(it -> writeDatasets(it, files, conf)).collect();
      List<WaveTask.Summary> summaries = new ArrayList<>();
      List<DatasetsFile> datasets = new ArrayList<>();
      for (Object o : outputs) {
        if (o instanceof WaveTask.Summary s) {
          summaries.add(s);
        } else {
          datasets.add((DatasetsFile) o);
        }
      }
      if (summaries.size() != tasks) {
        throw new IOException("wave " + wave + ": " + summaries.size() + " of its " + tasks + " tasks reported");
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      long sumMs = 0;
      long runsInWave = 0;
      for (WaveTask.Summary s : summaries) {
        s.statusCounts().forEach((k, v) -> counts.merge(k, v, Long::sum));
        sumMs += s.sumRunMs();
        runsInWave += s.runs();
      }
      if (runsInWave == 0) {
        for (Table table : Table.waveTables()) {
          files.discard(fs, table);
        }
        return new WaveResult(0, 0, counts); // every run of it was done before: nothing to commit
      }
      commit(fs, files, summaries, datasets);
      String convergedName = Names.of(Status.CONVERGED);
      progress.finishWave(runsInWave, counts.getOrDefault(convergedName, 0L),
          counts.getOrDefault(Names.of(Status.FAILED), 0L) + counts.getOrDefault(Names.of(Status.DIVERGED), 0L));
      progress.print(console, index, total, 0, 0, 0);
      return new WaveResult((int) runsInWave, sumMs, counts);
    } catch (Exception e) { // Spark's job failures are undeclared checked exceptions
      throw new SweepException("wave " + wave + " failed and was not committed: " + SweepRunner.rootCause(e)
          + "; the waves committed before it are intact in " + folder.root() + ": fix the cause (space,"
          + " permissions, cluster) and rerun the same command with --resume to finish the sweep", e);
    } finally {
      ticker.shutdownNow();
      spark.sparkContext().removeSparkListener(running);
      jsc.clearJobGroup();
    }
  }

  /**
   * Moves the successful attempts' files in: curves/ and datasets/ first, runs/ last (its marker
   * commits the wave), and only while this driver holds the folder.
   */
  private void commit(FileSystem fs, WaveFiles files, List<WaveTask.Summary> summaries, List<DatasetsFile> datasets)
      throws IOException, SweepException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    boolean anyCurves = false;
    for (WaveTask.Summary s : summaries) {
      if (s.curvesFile() != null) {
        files.moveIn(fs, Table.CURVES, s.partition(), s.curvesFile());
        anyCurves = true;
      }
    }
    files.finish(fs, conf, Table.CURVES, anyCurves);
    if (datasets.isEmpty()) {
      files.discard(fs, Table.DATASETS);
    } else {
      for (DatasetsFile d : datasets) {
        files.moveIn(fs, Table.DATASETS, d.partition(), d.path());
      }
      files.finish(fs, conf, Table.DATASETS, true);
    }
    lease.assertHeld();
    for (WaveTask.Summary s : summaries) {
      if (s.runsFile() != null) {
        files.moveIn(fs, Table.RUNS, s.partition(), s.runsFile());
      }
    }
    files.finish(fs, conf, Table.RUNS, true);
  }

  /**
   * A task of the job's last stage: writes the data set rows of its share of the ids (each once, none
   * committed before) to its own datasets/ file, and passes the run tasks' summaries on.
   */
  private static Iterator<Object> writeDatasets(Iterator<Tuple2<String, Object>> rows, WaveFiles files,
      Broadcast<HadoopConf> conf) throws IOException {
    TaskContext context = TaskContext.get();
    List<Object> out = new ArrayList<>();
    ParquetWriter<Row> writer = null;
    Path path = null;
    try {
      while (rows.hasNext()) {
        Object value = rows.next()._2();
        if (value instanceof WaveTask.Summary) {
          out.add(value);
          continue;
        }
        if (writer == null) {
          path = files.staging(Table.DATASETS, context.partitionId(), context.taskAttemptId());
          writer = ParquetRows.writer(path, conf.value().get(), Table.DATASETS, files.sparkVersion());
        }
        writer.write((Row) value);
      }
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
    if (path != null) {
      out.add(new DatasetsFile(context.partitionId(), path.toString()));
    }
    return out.iterator();
  }

  /** The run id -> converged of the committed runs (every wave, {@code wave} null) or of wave {@code wave}. */
  void readStatuses(SweepFolder folder, Integer wave, Map<String, Boolean> converged) throws IOException {
    String ok = Names.of(Status.CONVERGED);
    Dataset<Row> runs = wave == null ? CommittedTables.read(spark, folder, Table.RUNS) : spark.read().schema(
        Table.RUNS.schema()).parquet(folder.wavePath(Table.RUNS, wave).toString());
    if (runs == null) {
      return;
    }
    for (Row r : runs.select("run_id", "status").collectAsList()) {
      converged.put(r.getString(0), ok.equals(r.getString(1)));
    }
  }
}
