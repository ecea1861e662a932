package io.github.overparam.spark.sweep;

import java.util.Locale;

/**
 * What a sweep writes, estimated from its grid before it runs: rows and Parquet bytes of runs/
 * and curves/, and their files (each task of a wave writes one file of each).
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
  /** Compressed bytes of one runs/ row (measured: 134 on a grid of tiny runs, 355 on the quickstart). */
  public static final double RUN_ROW_BYTES = 300;
  /** Compressed bytes of one curves/ row (measured: 10 to 21). */
  public static final double CURVE_ROW_BYTES = 20;

  /** The rows and bytes of a grid's output (files not counted). */
  public static OutputSize of(GridStats stats) {
    return new OutputSize(stats.runs(), stats.runs() * RUN_ROW_BYTES, stats.curvePoints(), stats.curvePoints()
        * CURVE_ROW_BYTES, 0);
  }

  /** The output of a grid run in {@code plan}'s waves: one file of each table per task and wave. */
  public static OutputSize of(GridStats stats, GridWaves plan) {
    OutputSize size = of(stats);
    long files = (long) plan.waves() * plan.tasks() * (stats.curvePoints() > 0 ? 2 : 1);
    return new OutputSize(size.runs, size.runsBytes, size.curves, size.curvesBytes, files);
  }

  /** One line for the plan. */
  public String describe() {
    return String.format(Locale.ROOT, "runs/ %,d rows, about %s; curves/ up to %,.0f rows, about %s; %,d files",
        runs, MemoryGuard.format(runsBytes), curves, MemoryGuard.format(curvesBytes), files);
  }
}
