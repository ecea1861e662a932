package io.github.overparam.core.run;

import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.train.Optimizer;

/**
 * Cost estimates of a run from its spec alone, without building anything: used to plan sweeps and
 * to balance them over executors (longest first). They match the counts {@code Network} reports.
 */
public final class Costs {
  private Costs() {}

  /** Floating-point operations of one training step (forward, backward, update) at the worst case. */
  public static double flopsPerStep(RunSpec spec) {
    ModelSpec m = spec.model();
    int n = spec.data().n();
    int rows = spec.train().optimizer() == Optimizer.SGD ? spec.train().batchSize() : n;
    double width = m.width();
    int hidden = m.hiddenLayers();
    int d = spec.data().d();
    double forwardPerRow = 2 * (d * width + (hidden - 1) * width * width + width);
    double trained = trainedParameters(spec);
    double params = d * width + (hidden - 1) * width * width + width;
    // Backward: one product per trained layer for the gradient and one per layer above the lowest
    // trained one to propagate; bounded by twice the forward work.
    double backwardPerRow = 2 * trained + 2 * params;
    // SGD also evaluates the full loss once per epoch: n rows every n / b steps, b rows per step.
    double evaluation = spec.train().optimizer() == Optimizer.SGD ? rows * forwardPerRow : 0;
    return rows * (forwardPerRow + backwardPerRow) + 2 * trained + evaluation;
  }

  /** Worst-case floating-point operations of the whole run (max_steps steps). */
  public static double flops(RunSpec spec) {
    return flopsPerStep(spec) * (spec.train().maxSteps() + 1.0);
  }

  /** Number of trained weights. */
  public static double trainedParameters(RunSpec spec) {
    ModelSpec m = spec.model();
    double width = m.width();
    int hidden = m.hiddenLayers();
    int d = spec.data().d();
    double total = 0;
    for (int l = 0; l < hidden; l++) {
      boolean trained = m.parameterization() != Parameterization.ALLEN_ZHU || l > 0;
      if (trained) {
        total += (l == 0 ? d : width) * width;
      }
    }
    if (m.trainOutput()) {
      total += width;
    }
    return total;
  }

  /**
   * Bytes a run holds at its peak: weights (three copies: current, initial, gradient), the
   * activations of the training and evaluation workspaces (four n x m buffers per hidden layer)
   * and the n x n kernels when recorded.
   */
  public static double memoryBytes(RunSpec spec) {
    ModelSpec m = spec.model();
    double width = m.width();
    int hidden = m.hiddenLayers();
    int n = spec.data().n();
    double params = spec.data().d() * width + (hidden - 1) * width * width + width;
    double activations = 4.0 * n * width * hidden + 2.0 * n * width;
    double kernels = spec.record().ntk() && n <= spec.record().ntkMaxN() ? 4.0 * n * n : 0;
    return 8 * (3 * params + activations + kernels);
  }
}
