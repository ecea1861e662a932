package io.github.overparam.spark.sweep;

/**
 * How a grid's indices are cut into waves (each committed on its own) of contiguous index ranges,
 * and each wave into Spark tasks: a task carries its index range, never its runs, and writes one
 * file of runs/ and one of curves/ ({@link WaveTask}). Pure: tested without Spark.
 *
 * @param size the grid's indices (repeats of earlier runs included)
 * @param waves waves
 * @param tasks Spark tasks per wave
 */
public record GridWaves(long size, int waves, int tasks) {
  /** Wave length aimed at when the wave size is chosen automatically, in estimated seconds. */
  public static final double TARGET_WAVE_SECONDS = 120;
  /** Task length aimed at, in estimated seconds (long enough that scheduling is negligible). */
  public static final double TARGET_TASK_SECONDS = 5;
  /** At most this many waves when the wave size is chosen automatically. */
  public static final int MAX_AUTO_WAVES = 20;
  /** Estimated time of a run besides its training (data set, rows, writing), in seconds (docs/scaling.md). */
  public static final double OVERHEAD_SECONDS_PER_RUN = 60e-6;
  /**
   * Parquet bytes a task's file should reach at least (a task writes one file per table): tasks
   * are made longer than {@link #TARGET_TASK_SECONDS} rather than write smaller files.
   */
  public static final double MIN_FILE_BYTES = 32 << 20;

  /**
   * The plan for {@code cores} executor cores at the default rate ({@link WavePlan#GFLOPS_PER_CORE}).
   */
  public static GridWaves auto(long size, GridStats stats, int cores, Integer waveSize, Integer partitions) {
    return auto(size, stats, cores, waveSize, partitions, WavePlan.GFLOPS_PER_CORE);
  }

  /**
   * The plan for {@code cores} executor cores at {@code gflopsPerCore}; {@code waveSize} (runs) and
   * {@code partitions} (tasks per wave) where given, else automatic: waves of about
   * {@link #TARGET_WAVE_SECONDS} of estimated work, at most {@link #MAX_AUTO_WAVES} (rows are
   * streamed to their files, so memory does not bound a wave), and the same number of tasks on
   * every core: tasks of about {@link #TARGET_TASK_SECONDS} (at least 4 per core, so that Spark's
   * dynamic assignment evens out runs that stop early), but fewer and longer where that would make
   * the files of runs/ and curves/ smaller than {@link #MIN_FILE_BYTES}, down to one task per core.
   */
  public static GridWaves auto(long size, GridStats stats, int cores, Integer waveSize, Integer partitions,
      double gflopsPerCore) {
    int slots = Math.max(1, cores);
    long runs = Math.max(1, stats.runs());
    double seconds = (stats.flops() / (gflopsPerCore * 1e9) + runs * OVERHEAD_SECONDS_PER_RUN) / slots;
    long waves;
    if (waveSize != null) {
      waves = (runs + waveSize - 1) / waveSize;
    } else {
      waves = Math.max(1, Math.min(MAX_AUTO_WAVES, Math.round(seconds / TARGET_WAVE_SECONDS)));
    }
    waves = Math.max(1, Math.min(waves, size));
    long perWave = (runs + waves - 1) / waves;
    long tasks;
    if (partitions != null) {
      tasks = partitions;
    } else {
      double waveSeconds = seconds * slots / waves;
      long bySeconds = Math.max(4L * slots, Math.round(waveSeconds / TARGET_TASK_SECONDS));
      double waveBytes = OutputSize.of(stats).runsBytes() / waves;
      long byBytes = (long) Math.floor(waveBytes / MIN_FILE_BYTES);
      long perCore = Math.max(1, Math.min((bySeconds + slots - 1) / slots, byBytes / slots));
      tasks = perCore * slots;
    }
    tasks = Math.max(1, Math.min(tasks, Math.min(perWave, Integer.MAX_VALUE)));
    return new GridWaves(size, (int) waves, (int) tasks);
  }

  /** The first index of wave i. */
  public long from(int i) {
    return size * i / waves;
  }

  /** The index after the last of wave i. */
  public long to(int i) {
    return size * (i + 1) / waves;
  }

  /** About how many of {@code runs} (the grid's runs) wave i holds. */
  public long runsIn(int i, long runs) {
    return Math.round((double) runs * (to(i) - from(i)) / Math.max(1, size));
  }

  /** The most runs one wave holds, about. */
  public long runsPerWave(long runs) {
    return (runs + waves - 1) / waves;
  }
}
