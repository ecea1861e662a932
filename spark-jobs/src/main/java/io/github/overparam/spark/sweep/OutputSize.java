package io.github.overparam.spark.sweep;

import java.util.Locale;

/**
 * What a sweep writes, estimated from its grid before it runs: rows and Parquet bytes of runs/
 * and curves/, and their files (one per {@link #TARGET_FILE_BYTES} of a wave, at least one per core,
 * at most one per task).
 * Bytes per row were measured on sweeps written here (docs/scaling.md); they vary with the values
 * (compression), so the bytes are estimates within a factor of about two.
 *
 * @param runs runs/ rows
 * @param runsBytes runs/ bytes
 * @param curves curves/ rows, at most
 * @param curvesBytes curves/ bytes, at most
 * @param files files of runs/ and curves/ together
 */
public record OutputSize(long runs, double runsBytes, double curves, double curvesBytes, long files) {
  /** Bytes of Parquet aimed at per output file of runs/ and curves/ (files of tens to hundreds of MB). */
  public static final long TARGET_FILE_BYTES = 128L << 20;
  /** Compressed bytes of one runs/ row (measured: 134 on a grid of tiny runs, 355 on the quickstart). */
  public static final double RUN_ROW_BYTES = 300;
  /** Compressed bytes of one curves/ row (measured: 10 to 21). */
  public static final double CURVE_ROW_BYTES = 20;

  /** The output of a grid run in {@code plan}'s waves. */
  public static OutputSize of(GridStats stats, GridWaves plan, int cores) {
    double runsBytes = stats.runs() * RUN_ROW_BYTES;
    double curvesBytes = stats.curvePoints() * CURVE_ROW_BYTES;
    int writers = Math.min(plan.tasks(), cores);
    long files = (long) plan.waves() * (Math.max(writers, files(runsBytes / plan.waves(), plan.tasks()))
        + Math.max(writers, files(curvesBytes / plan.waves(), plan.tasks())));
    return new OutputSize(stats.runs(), runsBytes, stats.curvePoints(), curvesBytes, files);
  }

  /** Output files for about {@code bytes} of Parquet of one wave: one per {@link #TARGET_FILE_BYTES}, at most one per task. */
  public static int files(double bytes, int tasks) {
    return (int) Math.max(1, Math.min(Math.max(1, tasks), Math.ceil(bytes / TARGET_FILE_BYTES)));
  }

  /** One line for the plan. */
  public String describe() {
    return String.format(Locale.ROOT, "runs/ %,d rows, about %s; curves/ up to %,.0f rows, about %s; %,d files",
        runs, MemoryGuard.format(runsBytes), curves, MemoryGuard.format(curvesBytes), files);
  }
}
