package io.github.overparam.spark.sweep;

import io.github.overparam.core.data.TableSpec;
import io.github.overparam.core.data.UserTable;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a sweep on Spark: the {@link FolderGuard} checks the folder and finds the runs already
 * done (resume), the {@link Manifest} records this driver session, the rest is cut into waves of
 * cost-balanced buckets ({@link WavePlan}) that the {@link WaveExecutor} runs and commits one by
 * one, or, for a critical-width search, the {@link SearchDriver} decides round by round what to
 * run.
 */
public final class SweepRunner {
  private final SparkSession spark;
  private final PrintStream console;
  private final Duration progressEvery;
  private final Faults faults;
  /** This driver session's lease on the sweep folder (one driver per folder). */
  private FolderLease lease;

  public SweepRunner(SparkSession spark, PrintStream console, Duration progressEvery) {
    this.spark = spark;
    this.console = console;
    this.progressEvery = progressEvery;
    this.faults = Faults.from(spark.sparkContext().getConf());
    if (faults.any()) {
      console.println("warning: test-only fault injection is on (" + faults + ")");
    }
  }

  /** What a sweep did. */
  public record Outcome(String folder, int gridSize, int alreadyDone, int ran, int waves,
      Map<String, Long> statusCounts, long wallMs, long sumRunMs) {}

  /**
   * Runs (or, with {@code resume}, finishes) the sweep into {@code <outRoot>/<sweep>/}.
   *
   * @param stopAfterWaves stop after this many waves (a controlled interruption, for tests and
   *     for splitting a long sweep over several sessions); 0 for no limit
   */
  public Outcome run(SweepRequest request, String outRoot, boolean resume, int stopAfterWaves)
      throws SweepException {
    Instant started = Instant.now();
    List<Broadcast<UserTable>> tables = shipTables(request);
    try {
      SweepFolder folder = new SweepFolder(new Path(outRoot, request.sweep()),
          spark.sparkContext().hadoopConfiguration());
      // One driver per folder: refused at once when another driver holds it; taken (by the guard) before
      // anything is written, released when this session ends, however it ends.
      lease = new FolderLease(folder.root(), spark.sparkContext().hadoopConfiguration(), Manifest.newSessionId(),
          Duration.ofMillis(spark.sparkContext().getConf().getTimeAsMs(FolderLease.HEARTBEAT_CONF, "10s")),
          Duration.ofMillis(spark.sparkContext().getConf().getTimeAsMs(FolderLease.TIMEOUT_CONF, "60s")));
      lease.refuseIfHeld(resume);
      Set<String> done = new FolderGuard(spark, console).prepare(folder, request, resume, lease);
      Manifest manifest = Manifest.open(folder, spark, request.sweep(), request.runs().size(),
          request.gridFingerprint(), started, lease.session());
      if (lease.takenOver() != null) {
        manifest.tookOver(lease.takenOver());
      }
      int firstWave = folder.committedWaves().isEmpty() ? 0 : folder.committedWaves().last() + 1;
      // Before any wave: a crash in the first wave must still leave a resumable folder.
      manifest.write(firstWave, done.size(), null);
      WaveExecutor executor = new WaveExecutor(spark, console, progressEvery, faults, request.sweep(), tables,
          lease);
      Set<String> datasetsWritten = executor.existingIds(folder, Table.DATASETS, "dataset_id");
      Tally tally = new Tally();
      int cores = spark.sparkContext().defaultParallelism();
      if (request.search() != null) {
        int next = new SearchDriver(executor, console, cores).search(request, folder, datasetsWritten, firstWave,
            stopAfterWaves, tally, wave -> {
              manifest.committed(wave - 1);
              manifest.write(wave, done.size() + tally.runs, null);
            });
        if (next >= 0) {
          manifest.write(next, done.size() + tally.runs, Instant.now());
        }
        return new Outcome(folder.root().toString(), done.size() + tally.runs, done.size(), tally.runs, tally.waves,
            tally.statusCounts, Duration.between(started, Instant.now()).toMillis(), tally.sumRunMs);
      }
      List<RunSpec> todo = new ArrayList<>();
      for (RunSpec spec : request.runs()) {
        if (!done.contains(spec.runId())) {
          todo.add(spec);
        }
      }
      WavePlan plan = WavePlan.auto(todo, cores, request.waveSize(), request.partitions());
      console.printf("sweep %s: %d runs in the grid, %d already done, %d to run in %d waves of up to %d runs "
          + "(%d tasks each) on %s%n", request.sweep(), request.runs().size(), done.size(), todo.size(),
          plan.waves().size(), plan.maxWaveSize(), plan.maxTasks(), spark.sparkContext().master());
      Progress progress = new Progress(todo.size());
      for (int i = 0; i < plan.waves().size(); i++) {
        if (stopAfterWaves > 0 && tally.waves >= stopAfterWaves) {
          console.printf("stopping after %d waves as asked; finish with --resume%n", tally.waves);
          break;
        }
        tally.add(executor.run(folder, firstWave + i, plan.waves().get(i), datasetsWritten, progress, i + 1,
            plan.waves().size(), null));
        manifest.committed(firstWave + i);
        manifest.write(firstWave + i + 1, done.size() + tally.runs, null);
      }
      boolean complete = done.size() + tally.runs == request.runs().size();
      manifest.write(firstWave + tally.waves, done.size() + tally.runs, complete ? Instant.now() : null);
      return new Outcome(folder.root().toString(), request.runs().size(), done.size(), tally.runs, tally.waves,
          tally.statusCounts, Duration.between(started, Instant.now()).toMillis(), tally.sumRunMs);
    } catch (IOException e) {
      throw new SweepException("I/O error in the sweep folder: " + e.getMessage(), e);
    } finally {
      if (lease != null) {
        lease.close();
      }
    }
  }

  /**
   * Broadcasts the user tables the runs read (source csv or parquet), which the driver registered
   * when it read the config, so that every task can register them before it runs anything.
   */
  private List<Broadcast<UserTable>> shipTables(SweepRequest request) throws SweepException {
    Map<String, Broadcast<UserTable>> tables = new LinkedHashMap<>();
    for (RunSpec spec : request.runs()) {
      TableSpec t = spec.data().table();
      if (t != null && !tables.containsKey(t.hash())) {
        UserTable table = request.tables().find(t.hash());
        if (table == null) {
          throw new SweepException("the user table " + t.path() + " (sha256 " + t.hash() + ") is not loaded on the"
              + " driver: load the config with a table reader (ConfigLoader.load with UserTableLoader)");
        }
        tables.put(t.hash(), JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(table));
      }
    }
    return List.copyOf(tables.values());
  }

  /** The innermost message of {@code e}'s causes (a task's own exception inside Spark's job failure). */
  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
    return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
