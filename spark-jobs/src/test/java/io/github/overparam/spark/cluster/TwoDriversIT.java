package io.github.overparam.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.cli.Main;
import io.github.overparam.spark.sweep.Faults;
import io.github.overparam.spark.sweep.FolderLease;
import io.github.overparam.spark.sweep.SparkSessions;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real drivers (separate JVMs running the CLI, Spark local mode) on one sweep folder, in the
 * interleavings that matter while the first lives: the second starts before the first has written a
 * wave, and while the first writes one. The second is refused with exit code 2 naming the first and
 * changes nothing; the final tables equal an uninterrupted run's, no row lost or twice. The first
 * driver is stopped at the chosen point deterministically by the test-only {@link Faults} pause.
 *
 * <p>The third interleaving, after the first driver was SIGKILLed, runs on the cluster: {@link
 * FaultToleranceIT}'s {@code driverKilledMidSweepThenResumed} kills the first driver while it writes
 * a wave; {@code --resume} takes its stale lease over, and manifest.json and the runs/ rows record
 * both driver sessions.
 */
class TwoDriversIT {
  /** 2 sample sizes x 3 widths x 2 seeds = 12 runs in 3 waves of 4. */
  // One task per wave: a write paused in its task then holds the whole wave's write. With more tasks
  // the others commit their part meanwhile, and the folder would move by the first driver's own hand.
  static final String CONFIG = FaultToleranceIT.CONFIG.replace("partitions: 2", "partitions: 1");
  private static final Duration DRIVER_TIMEOUT = Duration.ofMinutes(5);

  @TempDir
  static Path shared;
  @TempDir
  Path tmp;
  private static Path config;
  private static Path reference;

  @BeforeAll
  static void uninterruptedReference() {
    config = write(shared.resolve("faults.yaml"), CONFIG);
    reference = shared.resolve("reference");
    StringWriter out = new StringWriter();
    int code = Main.execute(new String[] {"run", config.toString(), "--out", reference.toString(), "--master",
        "local[2]", "--no-analyze"}, new PrintWriter(out, true), new PrintWriter(out, true));
    assertEquals(0, code, out.toString());
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void aSecondDriverBeforeTheFirstWroteAWaveIsRefusedAndChangesNothing() throws Exception {
    Path out = tmp.resolve("out");
    Path marker = tmp.resolve("compute-0");
    Process first = driver(tmp.resolve("first.log"), pauseAt("compute:0", marker), "run", config.toString(),
        "--out", out.toString(), "--no-analyze");
    try {
      awaitMarker(marker, first, tmp.resolve("first.log"));
      Path folder = out.resolve("faults");
      assertFalse(Files.exists(folder.resolve("runs")), "no wave written yet");
      Map<String, String> before = snapshot(folder);
      for (String resume : List.of("", "--resume")) {
        Path log = tmp.resolve("second" + resume + ".log");
        int code = await(driver(log, List.of(), "run", config.toString(), "--out", out.toString(), "--no-analyze",
            resume), log);
        String said = Files.readString(log);
        assertEquals(2, code, said);
        assertTrue(said.contains("is being written by driver session") && said.contains("pid " + first.pid()),
            "names the owner:\n" + said);
      }
      assertEquals(before, snapshot(folder), "the refused drivers changed nothing");
      release(marker);
      assertEquals(0, await(first, tmp.resolve("first.log")), Files.readString(tmp.resolve("first.log")));
    } finally {
      SweepFolders.stopTree(first);
    }
    assertFalse(Files.exists(out.resolve("faults").resolve(FolderLease.FILE)), "released at the end");
    assertSameTables(out.resolve("faults"));
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void aSecondDriverWhileTheFirstWritesAWaveDeletesNothingAndReadersSeeCommittedWaves() throws Exception {
    Path out = tmp.resolve("out");
    Path marker = tmp.resolve("write-runs-1");
    Process first = driver(tmp.resolve("first.log"), pauseAt("write:runs:1", marker), "run", config.toString(),
        "--out", out.toString(), "--no-analyze");
    Path folder = out.resolve("faults");
    try {
      awaitMarker(marker, first, tmp.resolve("first.log"));
      assertTrue(Files.isDirectory(folder.resolve("curves/wave=1")), "wave 1 is being written");
      assertFalse(Files.exists(folder.resolve("runs/wave=1/_SUCCESS")));
      Map<String, String> before = snapshot(folder);
      Path log = tmp.resolve("second.log");
      int code = await(driver(log, List.of(), "run", config.toString(), "--out", out.toString(), "--resume",
          "--no-analyze"), log);
      String said = Files.readString(log);
      assertEquals(2, code, said);
      assertTrue(said.contains("pid " + first.pid()), "names the owner:\n" + said);
      assertFalse(said.contains("removed uncommitted output"), said);
      assertEquals(before, snapshot(folder), "the second driver deleted nothing of the wave in flight");

      // A reader meanwhile: committed waves only (wave 0, 4 runs), and it says a run is in progress.
      StringWriter sqlOut = new StringWriter();
      StringWriter sqlErr = new StringWriter();
      int sql = Main.execute(new String[] {"sql", folder.toString(), "SELECT concat('committed=', count(*)) AS c"
          + " FROM runs", "--master", "local[1]"}, new PrintWriter(sqlOut, true), new PrintWriter(sqlErr, true));
      assertEquals(0, sql, sqlErr.toString());
      assertTrue(sqlOut.toString().contains("committed=4"), sqlOut.toString());
      assertTrue(sqlErr.toString().contains("a run is in progress") && sqlErr.toString().contains("pid "
          + first.pid()), sqlErr.toString());

      release(marker);
      assertEquals(0, await(first, tmp.resolve("first.log")), Files.readString(tmp.resolve("first.log")));
    } finally {
      SweepFolders.stopTree(first);
    }
    assertSameTables(folder);
  }

  // ---------------------------------------------------------------- drivers

  private static List<String> pauseAt(String point, Path marker) {
    return List.of("-D" + Faults.PAUSE_AT + "=" + point, "-D" + Faults.PAUSE_MARKER + "=" + marker);
  }

  /**
   * A driver JVM: {@code java <Spark's options> -cp <this JVM's class path> Main args} in local mode,
   * on the quick compiler alone as the cluster harness's applications ({@link
   * StandaloneCluster#APP_JVM_OPTIONS}: it lives for one small sweep).
   */
  private static Process driver(Path log, List<String> properties, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    cmd.addAll(StandaloneCluster.APP_JVM_OPTIONS);
    cmd.addAll(Arrays.asList(StandaloneCluster.sparkJvmOptions().split("\\s+")));
    cmd.addAll(properties);
    cmd.add("-Dspark.ui.enabled=false");
    cmd.add("-cp");
    cmd.add(StandaloneCluster.classpathEntries().stream().map(Path::toString).collect(Collectors.joining(
        File.pathSeparator)));
    cmd.add(Main.class.getName());
    Arrays.stream(args).filter(a -> !a.isEmpty()).forEach(cmd::add);
    cmd.add("--master");
    cmd.add("local[2]");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(
        log.toFile())).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("SPARK_LOCAL_IP", StandaloneCluster.HOST);
    return pb.start();
  }

  private static void awaitMarker(Path marker, Process driver, Path log) throws Exception {
    long deadline = System.nanoTime() + DRIVER_TIMEOUT.toNanos();
    while (!(Files.exists(marker) && !Files.readString(marker).isBlank())) {
      assertTrue(driver.isAlive(), () -> "driver exited before the pause point:\n" + read(log));
      assertTrue(System.nanoTime() < deadline, () -> "the driver did not reach the pause point:\n" + read(log));
      Thread.sleep(100);
    }
    assertEquals(Long.toString(driver.pid()), Files.readString(marker).trim(), "local mode: the driver pauses");
  }

  private static void release(Path marker) throws IOException {
    Files.createFile(marker.resolveSibling(marker.getFileName() + ".release"));
  }

  private static int await(Process p, Path log) throws InterruptedException {
    assertTrue(p.waitFor(DRIVER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
        () -> "driver did not finish within " + DRIVER_TIMEOUT + ":\n" + read(log));
    return p.exitValue();
  }

  // ---------------------------------------------------------------- checks

  /** Every file and folder under {@code folder} with its size, modification time and content hash. */
  private static Map<String, String> snapshot(Path folder) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.toList()) {
        String key = folder.relativize(p).toString();
        files.put(key, Files.isDirectory(p) ? "dir" : Files.size(p) + " " + Files.getLastModifiedTime(p) + " "
            + Arrays.hashCode(Files.readAllBytes(p)));
      }
    }
    // The first driver's heartbeat renews its lease: its modification time moves by design.
    files.computeIfPresent(FolderLease.FILE, (k, v) -> "the lease");
    return files;
  }

  /** The folder's tables equal the uninterrupted run's (all but the non-deterministic columns); 12 run ids, each once. */
  private static void assertSameTables(Path folder) {
    SparkSession spark = SparkSessions.create("local[1]", "two-drivers-compare");
    try {
      SweepFolders.assertSameTables(spark, reference.resolve("faults"), folder, 12);
    } finally {
      spark.stop();
    }
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
