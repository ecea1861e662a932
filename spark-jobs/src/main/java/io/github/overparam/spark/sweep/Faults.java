package io.github.overparam.spark.sweep;

import io.github.overparam.core.run.RunSpec;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;

/**
 * Test-only fault injection for the reliability tests (README, "Reliability"): lets a test hit a
 * chosen point of a sweep on a real cluster deterministically instead of by timing. Configured only
 * through Spark properties that a config file cannot set ({@code --conf} of spark-submit, or the
 * driver's system properties); with none of them set (the normal case) every hook is a no-op.
 *
 * <ul>
 *   <li>{@value #THROW_RUNS}: comma-separated run-id prefixes; those runs throw on the executor, as a
 *       run with a bug would (their rows say {@code failed}).
 *   <li>{@value #PAUSE_AT}: {@code compute:W} (an executor is about to train a run of wave W) or
 *       {@code write:TABLE:W} (an executor is writing the Parquet file of TABLE's wave W: the file is
 *       open, its rows are being written). The first task to reach the point creates the marker file
 *       {@value #PAUSE_MARKER} (exclusively; it holds the executor's pid) and waits until the
 *       file {@code <marker>.release} appears, at most {@value #PAUSE_MS} ms (default 120000). Tasks
 *       that find the marker already created go on, so a retried task is not paused again. The test
 *       kills what it wants while the task waits, or creates the release file to let it go on.
 * </ul>
 *
 * <p>Captured on the driver and shipped in the task closures, so executors need no set-up.
 */
public record Faults(List<String> throwRuns, String pauseAt, String pauseMarker, long pauseMs)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String THROW_RUNS = "spark.overparam.test.throwRuns";
  public static final String PAUSE_AT = "spark.overparam.test.pauseAt";
  public static final String PAUSE_MARKER = "spark.overparam.test.pauseMarker";
  public static final String PAUSE_MS = "spark.overparam.test.pauseMs";

  /** No fault: every hook does nothing. */
  public static final Faults NONE = new Faults(List.of(), null, null, 0);

  public Faults {
    throwRuns = List.copyOf(throwRuns);
  }

  /** The faults the Spark properties ask for ({@link #NONE} when none is set). */
  public static Faults from(SparkConf conf) {
    String throwing = conf.get(THROW_RUNS, "").trim();
    String at = conf.get(PAUSE_AT, "").trim();
    if (throwing.isEmpty() && at.isEmpty()) {
      return NONE;
    }
    List<String> prefixes = throwing.isEmpty() ? List.of()
        : Arrays.stream(throwing.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    String marker = conf.get(PAUSE_MARKER, "").trim();
    if (!at.isEmpty() && marker.isEmpty()) {
      throw new IllegalArgumentException(PAUSE_AT + " needs " + PAUSE_MARKER);
    }
    return new Faults(prefixes, at.isEmpty() ? null : at, marker.isEmpty() ? null : marker,
        Long.parseLong(conf.get(PAUSE_MS, "120000").trim()));
  }

  public boolean any() {
    return !throwRuns.isEmpty() || pauseAt != null;
  }

  /** Executor side, before a run of {@code wave} is trained. */
  public void beforeRun(RunSpec spec, int wave) {
    for (String prefix : throwRuns) {
      if (spec.runId().startsWith(prefix)) {
        throw new IllegalStateException("injected fault: run " + spec.runId() + " throws (" + THROW_RUNS + ")");
      }
    }
    if (pauseAt != null) {
      pauseIf("compute:" + wave);
    }
  }

  /** Executor side, for each row a task writes to its open file of {@code table}'s wave. */
  public void duringWrite(String table, int wave) {
    if (pauseAt != null) { // called per row: nothing to build when no pause is asked for
      pauseIf("write:" + table + ":" + wave);
    }
  }

  private void pauseIf(String point) {
    if (!pauseAt.equals(point)) {
      return;
    }
    Path marker = Paths.get(pauseMarker);
    try {
      Files.createDirectories(marker.toAbsolutePath().getParent());
      Files.writeString(Files.createFile(marker), Long.toString(ProcessHandle.current().pid()),
          StandardCharsets.UTF_8);
    } catch (FileAlreadyExistsException e) {
      return; // reached before (a retried task, or another task): go on
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path release = marker.resolveSibling(marker.getFileName() + ".release");
    long deadline = System.nanoTime() + pauseMs * 1_000_000L;
    while (!Files.exists(release) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
