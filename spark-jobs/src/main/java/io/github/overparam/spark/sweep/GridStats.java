package io.github.overparam.spark.sweep;

import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.config.SweepConfig;

/**
 * What a grid holds, summed on the driver one grid point at a time (constant memory): runs, work
 * (every run to max_steps: an upper bound), the largest run, recorded curve points.
 *
 * @param runs runs of the grid
 * @param flops floating-point operations of every run to max_steps
 * @param maxFlops the largest run's
 * @param curvePoints curve points recorded in all (at most record.curve_points + 1 per run)
 * @param largest the run with the largest memory estimate
 * @param largestBytes its estimate ({@link RunFootprint#bytes})
 */
public record GridStats(long runs, double flops, double maxFlops, double curvePoints, RunSpec largest,
    double largestBytes) {

  /** Sums {@code config}'s grid. */
  public static GridStats of(SweepConfig config) {
    double[] sums = new double[4];
    RunSpec[] largest = new RunSpec[1];
    long[] runs = {0};
    config.forEachPoint((spec, count) -> {
      double f = Costs.flops(spec);
      runs[0] += count;
      sums[0] += f * count;
      sums[1] = Math.max(sums[1], f);
      sums[2] += (spec.record().curvePoints() + 1.0) * count;
      double bytes = RunFootprint.bytes(spec);
      if (largest[0] == null || bytes > sums[3]) {
        largest[0] = spec;
        sums[3] = bytes;
      }
    });
    return new GridStats(runs[0], sums[0], sums[1], sums[2], largest[0], sums[3]);
  }

  /** Curve points per run, on average. */
  public double meanCurvePoints() {
    return runs == 0 ? 0 : curvePoints / runs;
  }
}
