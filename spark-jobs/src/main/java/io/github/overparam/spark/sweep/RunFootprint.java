package io.github.overparam.spark.sweep;

import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RunSpec;

/**
 * Everything one run holds at its peak in an executor, estimated from its spec: the network's
 * share ({@link Costs#memoryBytes}: weights, workspaces, n x n kernels, the surrogate's second net),
 * plus what that leaves out: the data set (train and test inputs and labels), the recorded curve
 * (the step schedule is built as a sorted set before four arrays are filled) and its rows, the
 * surrogate's loss log (one double per step), and the run's own row.
 */
public final class RunFootprint {
  /** Bytes per stored curve point: the schedule's boxed, sorted entry (56), four arrays (24), its Row (220). */
  static final double CURVE_POINT_BYTES = 300;
  /** Bytes of a runs/ row in memory (about 70 boxed values). */
  static final double RUN_ROW_BYTES = 4_000;

  private RunFootprint() {}

  /** The peak bytes of {@code spec}. */
  public static double bytes(RunSpec spec) {
    int n = spec.data().n();
    double rows = n + (double) spec.data().nTest();
    double data = 8 * rows * (spec.data().d() + spec.data().outputs());
    double points = curvePoints(spec);
    double lossLog = spec.record().surrogate() ? 8.0 * (spec.train().maxSteps() + 1.0) : 0;
    return Costs.memoryBytes(spec) + data + points * CURVE_POINT_BYTES + lossLog + RUN_ROW_BYTES;
  }

  /** What the estimate of {@code spec} is made of, e.g. "net 1.2 GB, data 3 MB, curve 10 MB". */
  public static String describe(RunSpec spec) {
    if (spec == null) {
      return "no run";
    }
    double data = 8 * (spec.data().n() + (double) spec.data().nTest()) * (spec.data().d() + spec.data().outputs());
    double curve = curvePoints(spec) * CURVE_POINT_BYTES;
    double log = spec.record().surrogate() ? 8.0 * (spec.train().maxSteps() + 1.0) : 0;
    return "net, workspaces and kernels " + MemoryGuard.format(Costs.memoryBytes(spec)) + ", data "
        + MemoryGuard.format(data) + ", recorded curve " + MemoryGuard.format(curve)
        + (log > 0 ? ", surrogate loss log " + MemoryGuard.format(log) : "") + "; width " + spec.model().width()
        + ", n " + spec.data().n();
  }

  /**
   * The key whose value makes most of {@code spec}'s footprint when it is not the network:
   * {@code record.curve_points} (the recorded curve) or {@code train.max_steps} (the surrogate's
   * loss log); null when the network, its workspaces and kernels make most of it.
   */
  public static String largestPart(RunSpec spec) {
    double net = Costs.memoryBytes(spec);
    double curve = curvePoints(spec) * CURVE_POINT_BYTES;
    double log = spec.record().surrogate() ? 8.0 * (spec.train().maxSteps() + 1.0) : 0;
    if (curve > net && curve >= log) {
      return "record.curve_points";
    }
    return log > net ? "train.max_steps" : null;
  }

  /** Points of the recorded curve, at most: the schedule's steps (record.curve_points, at most max_steps + 1). */
  public static double curvePoints(RunSpec spec) {
    return Math.min(spec.record().curvePoints() + 1.0, spec.train().maxSteps() + 1.0);
  }
}
