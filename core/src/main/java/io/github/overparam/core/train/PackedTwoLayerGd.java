package io.github.overparam.core.train;

import io.github.overparam.core.linalg.Dense;
import io.github.overparam.core.linalg.PackedTwoLayerKernels;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import org.ejml.data.DMatrixRMaj;

/**
 * Full-batch GD on the half sum of squares for up to {@link #LANES} two-layer ReLU nets in Du et
 * al.'s form at once (float64, one output, the output layer fixed), one net in each lane of the
 * vector kernels ({@link PackedTwoLayerKernels}). The nets share n, d and m; each has its own data,
 * initial weights and step size. Each lane's losses and weights have the bits of {@link
 * Trainer#train} on that net alone (PackedTwoLayerTest): packing changes how many nets a step
 * trains, never what a net computes, so a run's result does not depend on what it was packed with.
 *
 * <p>A building block and a measuring instrument ({@code GdStepBenchmark --impl packed}), not a path
 * of {@code overparam run}: it takes the nets and the number of steps; stopping rules, curves and
 * the other records stay with {@link Trainer}. Measured on a 512-bit core (docs/benchmarks.md), a
 * net trains about as fast here as alone through {@link Trainer} (0.6 to 1.35 times, faster only
 * at 4 units): the single-net fused passes already fill the vectors at these widths, and 8 nets'
 * data is 8 times one net's for the caches. Deep nets, whose single-net passes are slower at
 * narrow widths, are where packing may pay. Needs the vector
 * kernels ({@link Dense#vectorized()}) with 8 float64 lanes (512-bit vectors). Lanes left empty
 * train an all-zero net (finite, unused). Not thread-safe: one instance per task thread.
 */
public final class PackedTwoLayerGd {
  /** Nets per step. */
  public static final int LANES = PackedTwoLayerKernels.LANES;

  private final int n;
  private final int d;
  private final int m;
  private final double weight;
  private final double[] x;
  private final double[] y;
  private final double[] w;
  private final double[] a;
  private final double[] alpha = new double[LANES];
  private final double[] minusLr = new double[LANES];
  private final double[] z;
  private final double[] f;
  private final double[] delta;
  private final double[] grad;
  private final double[] loss = new double[LANES];
  private final double[] part = new double[PackedTwoLayerKernels.PARTIAL_SUMS];

  /** Whether this JVM trains packed nets: the vector kernels with 8 float64 lanes (512-bit vectors). */
  public static boolean available() {
    return PackedTwoLayerKernels.AVAILABLE;
  }

  /** Room for {@link #LANES} nets of m hidden units on n points in R^d. */
  public PackedTwoLayerGd(int n, int d, int m) {
    if (n < 1 || d < 1 || m < 1) {
      throw new IllegalArgumentException("packed nets: n = " + n + ", d = " + d + ", m = " + m + ": each must be >= 1");
    }
    if (!available()) {
      throw new IllegalStateException("packed nets need the vector kernels with 8 float64 lanes (512-bit vectors); "
          + "this JVM has " + (Dense.vectorized() ? LANES + " lanes" : "no vector kernels"));
    }
    this.n = n;
    this.d = d;
    this.m = m;
    // As the trainer weights a full batch: c(n, 1) n / n.
    this.weight = Loss.HALF_SUM_SQUARED.normalizer(n, 1) * n / n;
    x = new double[n * d * LANES];
    y = new double[n * LANES];
    w = new double[d * m * LANES];
    a = new double[m * LANES];
    z = new double[n * m * LANES];
    f = new double[n * LANES];
    delta = new double[n * LANES];
    grad = new double[d * m * LANES];
  }

  /**
   * Puts {@code net} (its current weights), its data (x n x d, y n x 1) and its step size in lane
   * {@code lane}. The net must be a float64 two-layer ReLU net in Du et al.'s form with one output.
   */
  public void set(int lane, Network net, DMatrixRMaj xTrain, DMatrixRMaj yTrain, double stepSize) {
    if (lane < 0 || lane >= LANES) {
      throw new IllegalArgumentException("lane = " + lane + ": must be in [0, " + LANES + ")");
    }
    var spec = net.spec();
    if (spec.arch() != Arch.TWO_LAYER || spec.parameterization() != Parameterization.DU
        || net.precision() != Precision.F64 || net.outputCount() != 1 || !net.trained(0) || net.trained(1)) {
      throw new IllegalArgumentException("packed nets: model " + spec.canonical() + " (" + net.precision()
          + ", " + net.outputCount() + " outputs): needs a float64 two_layer du net with one output");
    }
    if (net.inputs() != d || spec.width() != m || xTrain.numRows != n || xTrain.numCols != d || yTrain.numRows != n
        || yTrain.numCols != 1) {
      throw new IllegalArgumentException("packed nets of n = " + n + ", d = " + d + ", m = " + m + ": lane " + lane
          + " has width " + spec.width() + ", " + net.inputs() + " inputs, x " + xTrain.numRows + " x "
          + xTrain.numCols + ", y " + yTrain.numRows + " x " + yTrain.numCols);
    }
    put(xTrain.data, n * d, x, lane);
    put(yTrain.data, n, y, lane);
    put(net.weights(0).data, d * m, w, lane);
    put(net.weights(1).data, m, a, lane);
    alpha[lane] = net.outputScale();
    minusLr[lane] = -stepSize;
  }

  private static void put(double[] source, int size, double[] packed, int lane) {
    for (int e = 0; e < size; e++) {
      packed[e * LANES + lane] = source[e];
    }
  }

  /** One step for every lane: the loss of the current weights ({@link #loss}), then the update. */
  public void step() {
    evaluate();
    PackedTwoLayerKernels.gradientStep(n, d, m, minusLr, x, delta, a, z, grad, w);
  }

  /** The loss of the current weights and its output gradient, without an update. */
  public void evaluate() {
    PackedTwoLayerKernels.forward(n, d, m, alpha, x, w, a, z, f, part);
    PackedTwoLayerKernels.halfSquared(n, weight, alpha, f, y, loss, delta);
  }

  /** Lane {@code lane}'s loss at the last {@link #step} or {@link #evaluate} (before its update). */
  public double loss(int lane) {
    return loss[lane];
  }

  /** Lane {@code lane}'s first-layer weights (d x m) into {@code out}. */
  public void weights(int lane, DMatrixRMaj out) {
    out.reshape(d, m);
    for (int e = 0; e < d * m; e++) {
      out.data[e] = w[e * LANES + lane];
    }
  }

  /** Floating-point operations of one {@link #step} per net (multiply-adds count 2). */
  public long flopsPerNet() {
    return 2L * n * d * m * 2 + 6L * n * m + 2L * d * m;
  }
}
