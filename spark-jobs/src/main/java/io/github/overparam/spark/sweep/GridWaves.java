package io.github.overparam.spark.sweep;

/**
 * How a grid's indices are cut into waves (each committed on its own) of contiguous index ranges,
 * and each wave into Spark tasks of a few seconds of work: a task carries its index range, never
 * its runs. Pure: tested without Spark.
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
  /** Heap a run's row takes until its wave is written (about 70 boxed values). */
  public static final double ROW_MEMORY_BYTES = 2_500;
  /** Heap a curve point's row takes until its wave is written. */
  public static final double CURVE_POINT_MEMORY_BYTES = 250;

  /**
   * The plan for {@code cores} executor cores; {@code waveSize} (runs) and {@code partitions}
   * (tasks per wave) where given, else automatic: waves of about {@link #TARGET_WAVE_SECONDS} of
   * estimated work at most {@link #MAX_AUTO_WAVES}, tasks of about {@link #TARGET_TASK_SECONDS},
   * at least 4 per core so that Spark's dynamic assignment evens out runs that stop early.
   */
  public static GridWaves auto(long size, GridStats stats, int cores, Integer waveSize, Integer partitions) {
    return auto(size, stats, cores, waveSize, partitions, WavePlan.GFLOPS_PER_CORE, Long.MAX_VALUE);
  }

  /**
   * {@link #auto(long, GridStats, int, Integer, Integer)} at a given rate of one core, with waves
   * small enough that their rows, held until the wave's tables are written, take at most
   * {@code waveMemory} bytes ({@link #ROW_MEMORY_BYTES} per run and {@link #CURVE_POINT_MEMORY_BYTES}
   * per curve point).
   */
  public static GridWaves auto(long size, GridStats stats, int cores, Integer waveSize, Integer partitions,
      double gflopsPerCore, long waveMemory) {
    int slots = Math.max(1, cores);
    long runs = Math.max(1, stats.runs());
    double seconds = (stats.flops() / (gflopsPerCore * 1e9) + runs * OVERHEAD_SECONDS_PER_RUN) / slots;
    long waves;
    if (waveSize != null) {
      waves = (runs + waveSize - 1) / waveSize;
    } else {
      waves = Math.max(1, Math.min(MAX_AUTO_WAVES, Math.round(seconds / TARGET_WAVE_SECONDS)));
      double rowBytes = runs * ROW_MEMORY_BYTES + stats.curvePoints() * CURVE_POINT_MEMORY_BYTES;
      waves = Math.max(waves, (long) Math.ceil(rowBytes / Math.max(1, waveMemory)));
    }
    waves = Math.max(1, Math.min(waves, size));
    long perWave = (runs + waves - 1) / waves;
    long tasks;
    if (partitions != null) {
      tasks = partitions;
    } else {
      double waveSeconds = seconds * slots / waves;
      tasks = Math.max(4L * slots, Math.round(waveSeconds / TARGET_TASK_SECONDS));
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
