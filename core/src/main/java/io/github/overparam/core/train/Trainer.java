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
    Loop loop = new Loop(net, data, spec, options, exact, lastStep, lossLog);
    while (loop.step()) {
      // Each call evaluates where due and makes one update.
    }
    return loop.trajectory();
  }

  /**
   * A run's training, one step a call ({@link #step}), with every buffer allocated up front.
   *
   * <p>The steps run through a method of their own rather than the body of {@link #train}'s loop,
   * for the JIT: {@code train} is called once a run, so HotSpot compiles it last, from its loop's back
   * edges, and with the passes inlined its two optimizing compiles took 130-160 ms each; an S6
   * sweep's first run after the warm-up waited 230-360 ms for them, the warm-up's short runs having
   * left the loop in its profiling tier (docs/benchmarks.md, 2026-12-04). {@link #step}, called every
   * step, is compiled from its calls within the warm-up's first runs, and the late compiles of
   * {@code train} are of a small loop.
   */
  private static final class Loop {
    private final Network net;
    private final TrainSpec spec;
    private final boolean exact;
    private final int lastStep;
    private final double[] lossLog;
    private final Drift drift;
    private final DMatrixRMaj x;
    private final DMatrixRMaj y;
    private final boolean sgd;
    private final int b;
    private final Workspace full;
    private final Workspace batch;
    private final DMatrixRMaj xb;
    private final DMatrixRMaj yb;
    private final Gradients gradients;
    private final int[] perm;
    private final int batchesPerEpoch;
    private final Rng rng;
    private final Loss loss;
    private final double weight;
    private final long fullForward;
    private final long batchForward;
    private final long batchBackward;
    private final CurveRecorder curve;

    private final Progress progress;

    private int batchIndex;
    private long flops;
    private int step;

    Loop(Network net, Dataset data, TrainSpec spec, TrainOptions options, boolean exact, int lastStep,
        double[] lossLog) {
      this.net = net;
      this.spec = spec;
      this.exact = exact;
      this.lastStep = lastStep;
      this.lossLog = lossLog;
      drift = options.drift();
      x = data.xTrain();
      y = data.yTrain();
      int n = x.numRows;
      int k = y.numCols;
      sgd = spec.optimizer() == Optimizer.SGD;
      b = sgd ? spec.batchSize() : n;
      full = net.workspace(n);
      // The training inputs are never modified: fixed layers at the bottom are computed once.
      full.pinInput(x);
      batch = sgd ? net.workspace(b) : full;
      xb = sgd ? new DMatrixRMaj(b, x.numCols) : x;
      yb = sgd ? new DMatrixRMaj(b, k) : y;
      gradients = net.gradients();
      perm = sgd ? new int[n] : null;
      batchesPerEpoch = n / b;
      batchIndex = batchesPerEpoch;
      rng = new Rng(options.batchSeed());
      loss = spec.loss();
      // Unbiased: E over batches of this weighted batch gradient is the full-data gradient.
      weight = loss.normalizer(n, k) * n / b;
      fullForward = net.forwardFlops(n);
      batchForward = net.forwardFlops(b);
      batchBackward = net.backwardFlops(b);
      curve = new CurveRecorder(spec.maxSteps(), options.curvePoints());
      progress = new Progress(spec);
    }

    /**
     * Evaluates the weights after {@code step} updates where due and, unless that ends the run, makes
     * the next update; whether the run goes on.
     */
    boolean step() {
      boolean scheduled = curve.due(step);
      boolean evaluate = !sgd || scheduled || step % batchesPerEpoch == 0 || step == lastStep;
      if (evaluate) {
        net.forward(x, full);
        flops += fullForward;
        double value = loss.value(full.outputs(), y);
        if (lossLog != null) {
          lossLog[step] = value;
        }
        if (step == 0) {
          drift.capturePatterns(full);
        }
        boolean ended = progress.evaluate(step, value, exact, lastStep);
        if (scheduled || ended) {
          curve.add(step, value, drift.flipFraction(full), drift.maxNeuronDistance());
        }
        if (ended) {
          return false;
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
      return true;
    }

    Trajectory trajectory() {
      return progress.trajectory(step, curve, flops, full);
    }
  }

  private static void gather(DMatrixRMaj source, int[] perm, int from, DMatrixRMaj out) {
    int cols = source.numCols;
    for (int i = 0; i < out.numRows; i++) {
      System.arraycopy(source.data, perm[from + i] * cols, out.data, i * cols, cols);
    }
  }
}
