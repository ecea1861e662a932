package io.github.overparam.core.train;

import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.model.Gradients;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Workspace;
import io.github.overparam.core.random.Rng;
import org.ejml.data.DMatrixRMaj;

/**
 * The training loop: GD or SGD with a constant step, stopping at the target loss, at max_steps, or
 * at divergence (a status, never an exception).
 *
 * <p>Step k evaluates the full training loss of the weights after k updates; the run stops at the
 * first evaluated step that meets a stopping rule, so {@code steps} updates were made and the
 * final loss is that of the final weights. GD evaluates every step (its forward pass is the
 * evaluation). SGD evaluates at each epoch start, at the recorded curve steps and at max_steps;
 * between evaluations it cannot stop. Every buffer is allocated before the first step. The net's
 * precision ({@link Network#withPrecision}) decides the format of its passes; the loss is summed
 * in double either way.
 */
public final class Trainer {
  private Trainer() {}

  /** Trains {@code net} in place on {@code data} by {@code spec}, recording as {@code options} asks. */
  public static Trajectory train(Network net, Dataset data, TrainSpec spec, TrainOptions options) {
    boolean exact = options.exactSteps().isPresent();
    int lastStep = exact ? options.exactSteps().getAsInt() : spec.maxSteps();
    if (lastStep > spec.maxSteps()) {
      throw new IllegalArgumentException("exactSteps = " + lastStep + " > train.max_steps = " + spec.maxSteps());
    }
    double[] lossLog = options.lossLog().orElse(null);
    if (lossLog != null && lossLog.length <= lastStep) {
      throw new IllegalArgumentException("lossLog has " + lossLog.length + " entries, needs " + (lastStep + 1));
    }
    Drift drift = options.drift();
    DMatrixRMaj x = data.xTrain();
    DMatrixRMaj y = data.yTrain();
    int n = x.numRows;
    int k = y.numCols;
    boolean sgd = spec.optimizer() == Optimizer.SGD;
    int b = sgd ? spec.batchSize() : n;
    Workspace full = net.workspace(n);
    // The training inputs are never modified: fixed layers at the bottom are computed once.
    full.pinInput(x);
    Workspace batch = sgd ? net.workspace(b) : full;
    DMatrixRMaj xb = sgd ? new DMatrixRMaj(b, x.numCols) : x;
    DMatrixRMaj yb = sgd ? new DMatrixRMaj(b, k) : y;
    Gradients gradients = net.gradients();
    int[] perm = sgd ? new int[n] : null;
    int batchesPerEpoch = n / b;
    int batchIndex = batchesPerEpoch;
    Rng rng = new Rng(options.batchSeed());
    Loss loss = spec.loss();
    // Unbiased: E over batches of this weighted batch gradient is the full-data gradient.
    double weight = loss.normalizer(n, k) * n / b;
    long fullForward = net.forwardFlops(n);
    long batchForward = net.forwardFlops(b);
    long batchBackward = net.backwardFlops(b);

    CurveRecorder curve = new CurveRecorder(spec.maxSteps(), options.curvePoints());

    double initialLoss = Double.NaN;
    double threshold = Double.NaN;
    double lastLoss = Double.NaN;
    int stepsToTarget = -1;
    long flops = 0;
    Status status = null;
    int step = 0;
    while (true) {
      boolean scheduled = curve.due(step);
      boolean evaluate = !sgd || scheduled || step % batchesPerEpoch == 0 || step == lastStep;
      if (evaluate) {
        net.forward(x, full);
        flops += fullForward;
        lastLoss = loss.value(full.outputs(), y);
        if (lossLog != null) {
          lossLog[step] = lastLoss;
        }
        if (step == 0) {
          initialLoss = lastLoss;
          threshold = spec.target().threshold(initialLoss);
          drift.capturePatterns(full);
        }
        if (diverged(lastLoss, initialLoss, spec)) {
          status = Status.DIVERGED;
        } else if (exact) {
          if (lastLoss <= threshold && stepsToTarget < 0) {
            stepsToTarget = step;
          }
          if (step == lastStep) {
            status = lastLoss <= threshold ? Status.CONVERGED : Status.MAX_STEPS;
          }
        } else if (lastLoss <= threshold) {
          status = Status.CONVERGED;
          stepsToTarget = step;
        } else if (step == spec.maxSteps()) {
          status = Status.MAX_STEPS;
        }
        if (scheduled || status != null) {
          curve.add(step, lastLoss, drift.flipFraction(full), drift.maxNeuronDistance());
        }
        if (status != null) {
          break;
        }
      }
      if (sgd) {
        if (batchIndex == batchesPerEpoch) {
          rng.permutation(perm);
          batchIndex = 0;
        }
        gather(x, perm, batchIndex * b, xb);
        gather(y, perm, batchIndex * b, yb);
        batchIndex++;
        net.forward(xb, batch);
        flops += batchForward;
      }
      loss.gradient(batch.outputs(), yb, weight, batch.outputGradient());
      net.backward(xb, batch, gradients);
      net.step(gradients, spec.lr());
      flops += batchBackward;
      step++;
    }
    return new Trajectory(status, step, stepsToTarget, initialLoss, lastLoss, threshold, curve.curve(), flops, full);
  }

  /** Whether a loss ends the run as diverged: not finite, or above divergence_factor times the initial loss. */
  static boolean diverged(double loss, double initialLoss, TrainSpec spec) {
    return !Double.isFinite(loss) || loss > spec.divergenceFactor() * Math.max(initialLoss, Double.MIN_NORMAL);
  }

  private static void gather(DMatrixRMaj source, int[] perm, int from, DMatrixRMaj out) {
    int cols = source.numCols;
    for (int i = 0; i < out.numRows; i++) {
      System.arraycopy(source.data, perm[from + i] * cols, out.data, i * cols, cols);
    }
  }
}
