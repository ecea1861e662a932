package io.github.overparam.core.run;

import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.LayerShapes;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.train.Optimizer;

/**
 * Cost estimates of a run from its spec alone, without building anything: used to plan sweeps and
 * to balance them over executors (longest first). Parameter and operation counts come from
 * {@link LayerShapes}, the counts {@code Network} reports.
 */
public final class Costs {
  private Costs() {}

  /**
   * Floating-point operations of one training step (forward, backward, update) as the network counts
   * them ({@link LayerShapes}). SGD also evaluates the full loss once per epoch: n rows every n / b
   * steps, so b rows per step. The surrogate trains a second net beside the first (plus the frozen
   * net's forward pass on each batch).
   */
  public static double flopsPerStep(RunSpec spec) {
    LayerShapes shapes = shapes(spec);
    int n = spec.data().n();
    boolean sgd = spec.train().optimizer() == Optimizer.SGD;
    int rows = sgd ? spec.train().batchSize() : n;
    double forward = shapes.forwardFlops(rows);
    double step = forward + shapes.backwardFlops(rows) + (sgd ? forward : 0);
    return spec.record().surrogate() ? 2 * step + (sgd ? forward : 0) : step;
  }

  /** Worst-case floating-point operations of the whole run (max_steps steps). */
  public static double flops(RunSpec spec) {
    return flopsPerStep(spec) * (spec.train().maxSteps() + 1.0);
  }

  /**
   * {@code spec} with fewer steps when its training would take more than about {@code flops}: at
   * least two steps, at most max_steps (the same spec when nothing is cut). The calibration of a
   * plan and the JIT warm-up time and run shortened copies of runs: a shape's rate and its code do not
   * depend on the step count.
   */
  public static RunSpec shortened(RunSpec spec, double flops) {
    double perStep = flopsPerStep(spec);
    int steps = (int) Math.min(spec.train().maxSteps(), Math.max(2, flops / Math.max(1, perStep)));
    if (steps == spec.train().maxSteps()) {
      return spec;
    }
    return new RunSpec(spec.data(), spec.model(), spec.train().withMaxSteps(steps), spec.record(), spec.seed());
  }

  /** Number of weights. */
  public static double parameters(RunSpec spec) {
    return shapes(spec).parameters();
  }

  /** Number of trained weights. */
  public static double trainedParameters(RunSpec spec) {
    return shapes(spec).trainedParameters();
  }

  private static LayerShapes shapes(RunSpec spec) {
    return LayerShapes.of(spec.model(), spec.data().d(), spec.data().outputs());
  }

  /**
   * Bytes a run holds at its peak: weights (three copies: current, initial, gradient), the
   * activations of the training and evaluation workspaces (four buffers per hidden layer of n x
   * positions x width each, plus a cnn's patch buffers) and the n x n kernels when recorded. The
   * surrogate doubles the net's share. A float32 run ({@code train.precision: f32}) holds the net's
   * share in 4-byte floats, and a double copy of the net while it computes the empirical NTK.
   */
  public static double memoryBytes(RunSpec spec) {
    ModelSpec m = spec.model();
    int n = spec.data().n();
    int d = spec.data().d();
    double positions = m.positions(d);
    double perRow = 0;
    for (int l = 0; l < m.hiddenLayers(); l++) {
      perRow += 4.0 * positions * m.layerWidth(l);
      if (m.arch() == Arch.CNN) {
        perRow += 2.0 * positions * m.fanIn(l, d);
      }
    }
    double activations = n * perRow + 2.0 * n * m.width();
    double net = 3 * parameters(spec) + activations;
    boolean kernelsRecorded = spec.record().ntk() && n <= spec.record().ntkMaxN();
    double kernels = kernelsRecorded ? 4.0 * n * n : 0;
    if (spec.train().precision() == Precision.F32) {
      // Weights and workspaces in 4 bytes; the empirical NTK runs on a double copy of the net (its
      // weights and one workspace), the kernels are double.
      double ntkCopy = kernelsRecorded && spec.data().outputs() == 1 ? parameters(spec) + n * perRow : 0;
      return 4 * net + 8 * (ntkCopy + kernels);
    }
    return 8 * ((spec.record().surrogate() ? 2 * net : net) + kernels);
  }
}
