package io.github.overparam.spark.sweep;

import io.github.overparam.core.data.UserTable;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.config.ConfigGrid;
import io.github.overparam.spark.config.SweepConfig;
import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a sweep on Spark: the {@link FolderGuard} checks the folder and finds the runs already
 * done (resume, counted on the executors), the {@link Manifest} records this driver session, the
 * grid's indices are cut into waves of index ranges ({@link GridWaves}) whose runs are decoded on
 * the executors ({@link WaveInputs}, less the runs already done: an anti-join on the run id) and
 * that the {@link WaveExecutor} runs and commits one by one, or, for a critical-width search, the {@link SearchDriver} decides round by round what to
 * run.
 */
public final class SweepRunner {
  private final SparkSession spark;
  private final PrintStream console;
  private final Duration progressEvery;
  private final Faults faults;
  /** This driver session's lease on the sweep folder (one driver per folder). */
  private FolderLease lease;
  private boolean compact;
  private boolean warmUp;

  public SweepRunner(SparkSession spark, PrintStream console, Duration progressEvery) {
    this.spark = spark;
    this.console = console;
    this.progressEvery = progressEvery;
    this.faults = Faults.from(spark.sparkContext().getConf());
    if (faults.any()) {
      console.println("warning: test-only fault injection is on (" + faults + ")");
    }
  }

  /** Whether a sweep that completes is then compacted ({@link Compaction}); returns this runner. */
  public SweepRunner compact(boolean compactWhenComplete) {
    this.compact = compactWhenComplete;
    return this;
  }

  /**
   * Whether executors warm the JIT up before the first run of each small shape ({@link
   * io.github.overparam.core.run.Warmup}), so that run times in runs/ are the code's steady state;
   * the warm-up's own time goes to runs/ warmup_ms. Off by default: the compiler's work is the same
   * either way, so a sweep takes longer with it (the throwaway runs), and only its per-run times are
   * cleaner. Returns this runner.
   */
  public SweepRunner warmUp(boolean warmUpShapes) {
    this.warmUp = warmUpShapes;
    return this;
  }

  /** What a sweep did. */
  public record Outcome(String folder, long gridSize, long alreadyDone, long ran, int waves,
      Map<String, Long> statusCounts, long wallMs, long sumRunMs) {}

  /**
   * Runs (or, with {@code resume}, finishes) the sweep into {@code <outRoot>/<sweep>/}.
   *
   * @param stopAfterWaves stop after this many waves (a controlled interruption, for tests and
   *     for splitting a long sweep over several sessions); 0 for no limit
   */
  public Outcome run(SweepConfig request, String outRoot, boolean resume, int stopAfterWaves)
      throws SweepException {
    Instant started = Instant.now();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    WaveInputs inputs = new WaveInputs(jsc, shipTables(request));
    try {
      SweepFolder folder = new SweepFolder(new Path(outRoot, request.sweep()),
          spark.sparkContext().hadoopConfiguration());
      // One driver per folder: refused at once when another driver holds it; taken (by the guard) before
      // anything is written, released when this session ends, however it ends.
      lease = FolderLease.forSession(folder.root(), spark);
      lease.refuseIfHeld(resume);
      long done = new FolderGuard(spark, console, inputs).prepare(folder, request, resume, lease);
      Manifest manifest = Manifest.open(folder, spark, request.sweep(), request.runCount(),
          request.fingerprint(), started, lease.session());
      if (lease.takenOver() != null) {
        manifest.tookOver(lease.takenOver());
      }
      int firstWave = folder.committedWaves().isEmpty() ? 0 : folder.committedWaves().last() + 1;
      // Before any wave: a crash in the first wave must still leave a resumable folder.
      manifest.write(firstWave, done, null);
      WaveExecutor executor = new WaveExecutor(spark, console, progressEvery, faults, request.sweep(), lease,
          warmUp);
      Tally tally = new Tally();
      int cores = spark.sparkContext().defaultParallelism();
      if (request.search() != null) {
        int next = new SearchDriver(executor, inputs, console, cores).search(request, folder, firstWave,
            stopAfterWaves, tally, wave -> {
              manifest.committed(wave - 1);
              manifest.write(wave, done + tally.runs, null);
            });
        if (next >= 0) {
          manifest.write(next, done + tally.runs, Instant.now());
          compactIfAsked(folder);
        }
        return new Outcome(folder.root().toString(), done + tally.runs, done, tally.runs, tally.waves,
            tally.statusCounts, Duration.between(started, Instant.now()).toMillis(), tally.sumRunMs);
      }
      GridStats stats = GridStats.of(request);
      GridWaves plan = GridWaves.auto(request.grid().size(), stats, cores, request.waveSize(), request.partitions());
      long todo = request.runCount() - done;
      console.printf("sweep %s: %d runs in the grid, %d already done, %d to run in %d waves of up to %d runs "
          + "(%d tasks each) on %s%n", request.sweep(), request.runCount(), done, todo, plan.waves(),
          plan.runsPerWave(stats.runs()), plan.tasks(), spark.sparkContext().master());
      Dataset<Row> doneRuns = done == 0 ? null : CommittedTables.read(spark, folder, Table.RUNS);
      Progress progress = new Progress(todo);
      int wave = firstWave;
      for (int i = 0; i < plan.waves(); i++) {
        if (stopAfterWaves > 0 && tally.waves >= stopAfterWaves) {
          console.printf("stopping after %d waves as asked; finish with --resume%n", tally.waves);
          break;
        }
        long from = plan.from(i);
        long to = plan.to(i);
        JavaRDD<RunSpec> specs = doneRuns == null ? inputs.range(request.grid(), from, to, plan.tasks())
            : inputs.remaining(request.grid(), from, to, plan.tasks(), doneRuns);
        WaveExecutor.WaveResult result = executor.run(folder, wave, specs, plan.runsIn(i, stats.runs()),
            stats.meanCurvePoints(), progress, i + 1, plan.waves(), null);
        if (result.runs() == 0) {
          continue; // every run of this range was done before: nothing written, the wave number is reused
        }
        tally.add(result);
        manifest.committed(wave);
        wave++;
        manifest.write(wave, done + tally.runs, null);
      }
      boolean complete = done + tally.runs == request.runCount();
      manifest.write(wave, done + tally.runs, complete ? Instant.now() : null);
      if (complete) {
        compactIfAsked(folder);
      }
      return new Outcome(folder.root().toString(), request.runCount(), done, tally.runs, tally.waves,
          tally.statusCounts, Duration.between(started, Instant.now()).toMillis(), tally.sumRunMs);
    } catch (IOException e) {
      throw new SweepException("I/O error in the sweep folder: " + e.getMessage(), e);
    } finally {
      if (lease != null) {
        lease.close();
      }
    }
  }

  private void compactIfAsked(SweepFolder folder) throws IOException, SweepException {
    if (compact) {
      new Compaction(spark, console).compact(folder, lease);
    }
  }

  /**
   * Broadcasts the user tables the runs read (source csv or parquet), which the driver registered
   * when it read the config, so that every task can register them before it runs anything.
   */
  private List<Broadcast<UserTable>> shipTables(SweepConfig request) throws SweepException {
    Map<String, Broadcast<UserTable>> tables = new LinkedHashMap<>();
    Set<String> hashes = new LinkedHashSet<>();
    if (request.grid() instanceof ConfigGrid g) {
      if (g.tableHash() != null) {
        hashes.add(g.tableHash());
      }
    } else {
      for (RunSpec spec : request.runs()) {
        if (spec.data().table() != null) {
          hashes.add(spec.data().table().hash());
        }
      }
    }
    for (String hash : hashes) {
      UserTable table = request.tables().find(hash);
      if (table == null) {
        throw new SweepException("the user table (sha256 " + hash + ") is not loaded on the driver: load the config"
            + " with a table reader (ConfigLoader.load with UserTableLoader)");
      }
      tables.put(hash, JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(table));
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
