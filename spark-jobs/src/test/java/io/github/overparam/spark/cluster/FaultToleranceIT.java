package io.github.overparam.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.cli.Main;
import io.github.overparam.spark.config.ConfigLoader;
import io.github.overparam.spark.sweep.Faults;
import io.github.overparam.spark.sweep.FolderLease;
import io.github.overparam.spark.sweep.SparkSessions;
import io.github.overparam.spark.sweep.SweepViews;
import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five faults of the reliability contract, each injected into a sweep submitted with
 * SparkSubmit (client mode: the driver is the SparkSubmit JVM, as on a real cluster) to a real
 * standalone cluster on 127.0.0.1 (the one the integration tests share, {@link SharedCluster}: a
 * worker-kill test leaves its Worker dead, and the next user gets the cluster with that Worker
 * restarted). Each ends with a
 * table equal to the fault-free one (every column but wall_ms, host and wave; the same run ids,
 * none twice), or with a clear error, earlier waves intact, and a resume that gets there.
 *
 * <p>Deterministic, not timed: the test-only {@link Faults} hooks stop an executor at the chosen
 * point (training a run of wave 1, or writing runs/wave=1) and tell the test its pid; the test
 * then kills what the scenario says. Every process is stopped by its pid (the cluster's in its
 * close, the SparkSubmit JVMs here), and every wait is bounded. The tests run one after another:
 * side by side, their applications starve one another of the machine's two cores.
 */
@Tag("cluster")
class FaultToleranceIT {
  /** 2 sample sizes x 3 widths x 2 seeds = 12 runs in 3 waves of 4. */
  static final String CONFIG = """
      sweep: faults
      data: {n: [8, 16], d: 5, labels: gaussian}
      model: {arch: two_layer, parameterization: du, width: [8, 64, 256]}
      train: {lr: 0.5, loss: half_sum_squared, max_steps: 600, target_loss: {relative: 1.0e-3}}
      seeds: 2
      record: {curve_points: 20}
      execution: {wave_size: 4, partitions: 2}
      """;

  /**
   * 2 step sizes x 2 widths x 2 seeds = 8 runs; lr 1e4 diverges (to Inf or NaN: no loss bound stops it
   * first). The 4 runs 4 units wide train packed, so the run that throws is one of a pack.
   */
  static final String UNSTABLE = """
      sweep: unstable
      data: {n: 8, d: 5, labels: gaussian}
      model: {arch: two_layer, parameterization: du, width: [4, 64]}
      train: {lr: [0.5, 1.0e4], loss: half_sum_squared, max_steps: 400, divergence_factor: 1.0e300,
              target_loss: {relative: 1.0e-3}}
      seeds: 2
      record: {curve_points: 20}
      execution: {wave_size: 8, partitions: 2}
      """;

  /**
   * Generous: on a loaded 2-core machine a sweep of 12 runs on the cluster takes minutes (at load
   * average 20, 3 minutes were too few to reach wave 1: an executor JVM took a minute to register).
   */
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration MARKER_TIMEOUT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final SharedCluster SHARED = new SharedCluster();
  @TempDir
  static Path shared;
  @TempDir
  Path tmp;
  private static Path appJar;
  private static Path config;
  private static Path unstable;
  private static Path reference; // fault-free sweep folders, local mode
  private static SparkSession spark;

  @BeforeAll
  static void faultFreeReference() throws IOException {
    appJar = StandaloneCluster.appJar();
    config = Files.writeString(shared.resolve("faults.yaml"), CONFIG);
    unstable = Files.writeString(shared.resolve("unstable.yaml"), UNSTABLE);
    reference = shared.resolve("reference");
    for (Path c : List.of(config, unstable)) {
      StringWriter out = new StringWriter();
      int code = Main.execute(new String[] {"run", c.toString(), "--out", reference.toString(), "--master",
          "local[2]", "--no-analyze"}, new PrintWriter(out, true), new PrintWriter(out, true));
      assertEquals(0, code, out.toString());
    }
    spark = SparkSessions.create("local[1]", "fault-compare");
    spark.sparkContext().setLogLevel("WARN");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  // ---------------------------------------------------------------- the five faults

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void workerKilledWhileRunsAreComputing() throws Exception {
    Path out = tmp.resolve("out");
    Path marker = tmp.resolve("compute-marker");
    StandaloneCluster cluster = SHARED.get();
    Path log = tmp.resolve("submit.log");
    Process driver = submit(cluster, log, pauseAt("compute:1", marker), "run", config.toString(), "--out",
        out.toString(), "--no-analyze");
    try {
      long executor = awaitMarker(marker, driver, log);
      killMachine(cluster, executor);
      assertEquals(0, awaitExit(driver, log), "sweep failed:\n" + Files.readString(log));
    } finally {
      SweepFolders.stopTree(driver);
    }
    cluster.awaitAliveWorkers(cluster.workerCount() - 1, Duration.ofSeconds(30));
    assertTrue(Files.readString(log).contains("[wave 3/3] 12/12 runs done"), Files.readString(log));
    SweepFolders.assertSameTables(spark, reference.resolve("faults"), out.resolve("faults"), 12, List.of());
  }

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void workerKilledDuringTheParquetWriteOfAWave() throws Exception {
    Path out = tmp.resolve("out");
    Path marker = tmp.resolve("write-marker");
    StandaloneCluster cluster = SHARED.get();
    Path log = tmp.resolve("submit.log");
    Process driver = submit(cluster, log, pauseAt("write:runs:1", marker), "run", config.toString(), "--out",
        out.toString(), "--no-analyze");
    try {
      long executor = awaitMarker(marker, driver, log);
      Path wave = out.resolve("faults/runs/wave=1");
      assertTrue(Files.isDirectory(wave.resolve("_temporary")), "runs/wave=1 is being written");
      assertFalse(Files.exists(wave.resolve("_SUCCESS")));
      killMachine(cluster, executor);
      assertEquals(0, awaitExit(driver, log), "sweep failed:\n" + Files.readString(log));
    } finally {
      SweepFolders.stopTree(driver);
    }
    assertTrue(Files.readString(log).contains("[wave 3/3] 12/12 runs done"), Files.readString(log));
    SweepFolders.assertSameTables(spark, reference.resolve("faults"), out.resolve("faults"), 12, List.of());
  }

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void driverKilledMidSweepThenResumed() throws Exception {
    Path out = tmp.resolve("out");
    Path marker = tmp.resolve("driver-marker");
    StandaloneCluster cluster = SHARED.get();
    Path log = tmp.resolve("submit.log");
    Process driver = submit(cluster, log, pauseAt("write:runs:1", marker), "run", config.toString(), "--out",
        out.toString(), "--no-analyze");
    try {
      awaitMarker(marker, driver, log);
      driver.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      assertTrue(driver.waitFor(30, TimeUnit.SECONDS), "driver survived SIGKILL");
      assertEquals(137, driver.exitValue(), "killed by SIGKILL");
    } finally {
      SweepFolders.stopTree(driver);
    }
    Path folder = out.resolve("faults");
    assertTrue(Files.exists(folder.resolve(FolderLease.FILE)), "the dead driver's lease is still there");
    String firstSession = JSON.readTree(folder.resolve(FolderLease.FILE).toFile()).path("session").asText();
    assertTrue(Files.exists(folder.resolve("runs/wave=0/_SUCCESS")), "wave 0 was committed");
    assertFalse(Files.exists(folder.resolve("runs/wave=1/_SUCCESS")), "wave 1 was cut short");
    assertTrue(Files.isDirectory(folder.resolve("curves/wave=1")), "wave 1 left partial output");
    // Readers see committed waves only: the partial wave is not read as results, even before a resume.
    Dataset<Row> runs = SweepViews.read(spark, folder.toString(), Table.RUNS);
    Dataset<Row> curves = SweepViews.read(spark, folder.toString(), Table.CURVES);
    assertEquals(4, runs.count());
    assertEquals(0, curves.select("run_id").distinct().except(runs.select("run_id")).count());

    Path resumeLog = tmp.resolve("resume.log");
    int code = cluster.runSparkSubmit(resumeLog, SUBMIT_TIMEOUT, submitArgs(List.of(), "run", config.toString(),
        "--out", out.toString(), "--resume", "--no-analyze"));
    String resumed = Files.readString(resumeLog);
    assertEquals(0, code, "resume failed:\n" + resumed);
    // At most one wave recomputed: the 4 runs of the wave in flight, nothing committed.
    assertTrue(resumed.contains("12 runs in the grid, 4 already done, 8 to run"), resumed);
    assertTrue(resumed.contains("removed uncommitted output"), resumed);
    // The second driver took the dead one's lease over (its heartbeat went stale) and released it.
    assertTrue(resumed.contains("took over the stale lease of driver session") && resumed.contains("pid "
        + driver.pid()), resumed);
    assertFalse(Files.exists(folder.resolve(FolderLease.FILE)), "released at the end");
    SweepFolders.assertSameTables(spark, reference.resolve("faults"), out.resolve("faults"), 12, List.of());

    // Provenance survives the crash: both sessions in manifest.json, the takeover in the second's
    // entry, and every runs/ row names the session that wrote it.
    JsonNode sessions = JSON.readTree(folder.resolve("manifest.json").toFile()).path("sessions");
    assertEquals(2, sessions.size(), sessions.toString());
    assertEquals(firstSession, sessions.get(0).path("session_id").asText(), sessions.toString());
    assertEquals("[0]", sessions.get(0).path("waves_committed").toString(), "the killed session committed wave 0");
    String secondSession = sessions.get(1).path("session_id").asText();
    assertEquals("[1,2]", sessions.get(1).path("waves_committed").toString(), sessions.toString());
    assertEquals(firstSession, sessions.get(1).path("lease_takeover").path("session_id").asText(),
        sessions.toString());
    assertEquals(driver.pid(), sessions.get(1).path("lease_takeover").path("pid").asLong());
    Map<String, Long> rowsBySession = new TreeMap<>();
    for (Row r : spark.read().parquet(folder.resolve(Table.RUNS.dir()).toString()).groupBy("driver_session",
        "wave").count().collectAsList()) {
      rowsBySession.merge(r.getString(0) + " wave " + r.getInt(1), r.getLong(2), Long::sum);
    }
    assertEquals(Map.of(firstSession + " wave 0", 4L, secondSession + " wave 1", 4L, secondSession + " wave 2", 4L),
        rowsBySession);
  }

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void aRunThatThrowsOrDivergesOnAnExecutorIsARowAndTheRestComplete() throws Exception {
    List<RunSpec> grid = ConfigLoader.load(UNSTABLE, List.of()).runs();
    RunSpec thrower = grid.stream().filter(r -> r.train().lr() == 0.5).findFirst().orElseThrow();
    Path out = tmp.resolve("out");
    StandaloneCluster cluster = SHARED.get();
    Path log = tmp.resolve("submit.log");
    int code = cluster.runSparkSubmit(log, SUBMIT_TIMEOUT, submitArgs(
        List.of("--conf", Faults.THROW_RUNS + "=" + thrower.runId()), "run", unstable.toString(), "--out",
        out.toString(), "--no-analyze"));
    assertEquals(0, code, "sweep failed:\n" + Files.readString(log));
    Dataset<Row> runs = spark.read().parquet(out.resolve("unstable/runs").toString());
    assertEquals(8, runs.count());
    List<Row> failed = runs.where("status = 'failed'").select("run_id", "error").collectAsList();
    assertEquals(1, failed.size(), "one failed row");
    assertEquals(thrower.runId(), failed.get(0).getString(0));
    assertTrue(failed.get(0).getString(1).contains("injected fault"), failed.get(0).getString(1));
    assertEquals(4, runs.where("status = 'diverged' AND lr = 10000.0").count(), "lr 1e4 diverges");
    assertEquals(0, runs.where("status IN ('failed', 'diverged') AND lr = 0.5 AND run_id != '"
        + thrower.runId() + "'").count());
    // Every other run is exactly what the fault-free sweep has.
    SweepFolders.assertSameTables(spark, reference.resolve("unstable"), out.resolve("unstable"), 8, List.of(
        thrower.runId()));
  }

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void diskFullMidSweepIsAClearErrorAndTheSweepResumes() throws Exception {
    Path out = tmp.resolve("out");
    Path testJar = StandaloneCluster.jarOf(FullDiskFileSystem.class, tmp.resolve("jars"), "spark-jobs-tests");
    StandaloneCluster cluster = SHARED.get();
    Path log = tmp.resolve("submit.log");
    int code = cluster.runSparkSubmit(log, SUBMIT_TIMEOUT, submitArgs(List.of(
        // The driver's (client mode: this SparkSubmit JVM's) class loader takes --jars; executors
        // need the file system class on their own class path before any task runs.
        "--jars", testJar.toString(),
        "--conf", "spark.executor.extraClassPath=" + testJar,
        "--conf", "spark.hadoop.fs." + FullDiskFileSystem.SCHEME + ".impl=" + FullDiskFileSystem.class.getName(),
        "--conf", "spark.hadoop." + FullDiskFileSystem.FULL_FROM_WAVE + "=1",
        "--conf", "spark.task.maxFailures=2"),
        "run", config.toString(), "--out", FullDiskFileSystem.SCHEME + "://" + out, "--no-analyze"));
    String failure = Files.readString(log);
    assertEquals(1, code, "the sweep must fail:\n" + failure);
    assertTrue(failure.contains("error: wave 1 failed and was not committed: IOException: No space left on device"),
        failure);
    assertTrue(failure.contains("rerun the same command with --resume"), failure);
    Path folder = out.resolve("faults");
    assertTrue(Files.exists(folder.resolve("runs/wave=0/_SUCCESS")), "wave 0 committed");
    assertFalse(Files.exists(folder.resolve("runs/wave=1/_SUCCESS")));
    Map<String, String> wave0 = snapshot(folder, "wave=0");
    assertEquals(4, SweepViews.read(spark, folder.toString(), Table.RUNS).count(), "wave 0 reads back");

    // Space again (the same folder through file:): --resume finishes the sweep, wave 0 untouched.
    Path resumeLog = tmp.resolve("resume.log");
    code = cluster.runSparkSubmit(resumeLog, SUBMIT_TIMEOUT, submitArgs(List.of(), "run", config.toString(),
        "--out", out.toString(), "--resume", "--no-analyze"));
    String resumed = Files.readString(resumeLog);
    assertEquals(0, code, "resume failed:\n" + resumed);
    assertTrue(resumed.contains("12 runs in the grid, 4 already done, 8 to run"), resumed);
    assertEquals(wave0, snapshot(folder, "wave=0"), "committed wave 0 changed");
    SweepFolders.assertSameTables(spark, reference.resolve("faults"), out.resolve("faults"), 12, List.of());
  }

  // ---------------------------------------------------------------- helpers

  private static List<String> pauseAt(String point, Path marker) {
    return List.of("--conf", Faults.PAUSE_AT + "=" + point, "--conf", Faults.PAUSE_MARKER + "=" + marker,
        "--conf", Faults.PAUSE_MS + "=" + MARKER_TIMEOUT.toMillis());
  }

  /**
   * SparkSubmit's arguments: its options, the application jar, then overparam's arguments. One
   * executor takes the application's {@value SharedCluster#APP_CORES} cores: a killed machine takes
   * every task in flight with it and the sweep must get a new executor from the Master (the harder
   * case), and each submission starts one executor JVM instead of two.
   */
  private static List<String> submitArgs(List<String> options, String... args) {
    List<String> all = new ArrayList<>(List.of("--class", Main.class.getName(), "--conf",
        "spark.executor.cores=" + SharedCluster.APP_CORES));
    all.addAll(options);
    all.add(appJar.toString());
    all.addAll(List.of(args));
    return all;
  }

  private static Process submit(StandaloneCluster cluster, Path log, List<String> options, String... args)
      throws IOException {
    Files.writeString(log, "# SparkSubmit " + submitArgs(options, args) + "\n");
    return cluster.sparkSubmit(log, submitArgs(options, args)).start();
  }

  /** Waits until an executor reached the fault point; returns that executor's pid. */
  private static long awaitMarker(Path marker, Process driver, Path log) throws Exception {
    long deadline = System.nanoTime() + MARKER_TIMEOUT.toNanos();
    while (true) {
      if (Files.exists(marker)) {
        String pid = Files.readString(marker).trim();
        if (!pid.isEmpty()) {
          return Long.parseLong(pid);
        }
      }
      assertTrue(driver.isAlive(), () -> "driver exited before the fault point:\n" + read(log));
      assertTrue(System.nanoTime() < deadline, () -> "no executor reached the fault point:\n" + read(log));
      Thread.sleep(100);
    }
  }

  /** A machine lost: SIGKILL to the Worker that runs {@code executorPid}, and to that executor. */
  private static void killMachine(StandaloneCluster cluster, long executorPid) {
    ProcessHandle executor = ProcessHandle.of(executorPid).orElseThrow();
    long parent = executor.parent().map(ProcessHandle::pid).orElseThrow();
    int worker = cluster.workerPids().indexOf(parent);
    assertTrue(worker >= 0, "executor " + executorPid + " is not a child of a worker " + cluster.workerPids());
    cluster.killWorker(worker);
    executor.destroyForcibly();
    assertTrue(executor.onExit().orTimeout(10, TimeUnit.SECONDS).handle((h, e) -> e == null).join(),
        "executor survived SIGKILL");
  }

  private static int awaitExit(Process p, Path log) throws InterruptedException {
    assertTrue(p.waitFor(SUBMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
        () -> "SparkSubmit did not finish within " + SUBMIT_TIMEOUT + ":\n" + read(log));
    return p.exitValue();
  }

  /** Path, size and content digest of every file under {@code folder} whose path contains {@code part}. */
  private static Map<String, String> snapshot(Path folder, String part) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String rel = folder.relativize(p).toString();
        if (rel.contains(part)) {
          files.put(rel, Files.size(p) + " " + Arrays.hashCode(Files.readAllBytes(p)));
        }
      }
    }
    return files;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
