package io.github.overparam.core.run;

import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.train.Optimizer;

/**
 * Cost estimates of a run from its spec alone, without building anything: used to plan sweeps and
 * to balance them over executors (longest first). They match the counts {@code Network} reports.
 */
public final class Costs {
  private Costs() {}

  /** Floating-point operations of one training step (forward, backward, update) at the worst case. */
  public static double flopsPerStep(RunSpec spec) {
    int n = spec.data().n();
    int rows = spec.train().optimizer() == Optimizer.SGD ? spec.train().batchSize() : n;
    double forwardPerRow = 2 * multiplyAddsPerRow(spec);
    double trained = trainedParameters(spec);
    // Backward: one product per trained layer for the gradient and one per layer above the lowest
    // trained one to propagate; bounded by twice the forward work.
    double backwardPerRow = 2 * forwardPerRow;
    // SGD also evaluates the full loss once per epoch: n rows every n / b steps, b rows per step.
    double evaluation = spec.train().optimizer() == Optimizer.SGD ? rows * forwardPerRow : 0;
    double step = rows * (forwardPerRow + backwardPerRow) + 2 * trained + evaluation;
    // The surrogate trains a second net beside the first (plus the frozen net's forward on batches).
    return spec.record().surrogate() ? 2 * step + (rows == n ? 0 : rows * forwardPerRow) : step;
  }

  /** Worst-case floating-point operations of the whole run (max_steps steps). */
  public static double flops(RunSpec spec) {
    return flopsPerStep(spec) * (spec.train().maxSteps() + 1.0);
  }

  /** Multiply-adds of one forward pass per input row: every layer's weights times its positions. */
  private static double multiplyAddsPerRow(RunSpec spec) {
    ModelSpec m = spec.model();
    int d = spec.data().d();
    double positions = m.positions(d);
    double total = 0;
    for (int l = 0; l < m.hiddenLayers(); l++) {
      total += positions * m.fanIn(l, d) * (double) m.layerWidth(l);
    }
    return total + (double) m.outputFanIn(d) * spec.data().outputs();
  }

  /** Number of weights. */
  public static double parameters(RunSpec spec) {
    ModelSpec m = spec.model();
    int d = spec.data().d();
    double total = 0;
    for (int l = 0; l < m.hiddenLayers(); l++) {
      total += m.fanIn(l, d) * (double) m.layerWidth(l);
    }
    return total + (double) m.outputFanIn(d) * spec.data().outputs();
  }

  /** Number of trained weights. */
  public static double trainedParameters(RunSpec spec) {
    ModelSpec m = spec.model();
    int d = spec.data().d();
    double total = 0;
    for (int l = 0; l < m.hiddenLayers(); l++) {
      if (m.trainedHidden(l)) {
        total += m.fanIn(l, d) * (double) m.layerWidth(l);
      }
    }
    if (m.trainOutput()) {
      total += (double) m.outputFanIn(d) * spec.data().outputs();
    }
    return total;
  }

  /**
   * Bytes a run holds at its peak: weights (three copies: current, initial, gradient), the
   * activations of the training and evaluation workspaces (four buffers per hidden layer of n x
   * positions x width each, plus a cnn's patch buffers) and the n x n kernels when recorded. The
   * surrogate doubles the net's share.
   */
  public static double memoryBytes(RunSpec spec) {
    ModelSpec m = spec.model();
    int n = spec.data().n();
    int d = spec.data().d();
    double positions = m.positions(d);
    double perRow = 0;
    for (int l = 0; l < m.hiddenLayers(); l++) {
      perRow += 4.0 * positions * m.layerWidth(l);
      if (m.arch() == io.github.overparam.core.model.Arch.CNN) {
        perRow += 2.0 * positions * m.fanIn(l, d);
      }
    }
    double activations = n * perRow + 2.0 * n * m.width();
    double net = 3 * parameters(spec) + activations;
    double kernels = spec.record().ntk() && n <= spec.record().ntkMaxN() ? 4.0 * n * n : 0;
    return 8 * ((spec.record().surrogate() ? 2 * net : net) + kernels);
  }
}
