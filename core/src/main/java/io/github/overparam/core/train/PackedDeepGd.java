package io.github.overparam.core.train;

import io.github.overparam.core.linalg.PackedDeepKernels;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.LayerShapes;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Precision;
import org.ejml.data.DMatrixRMaj;

/**
 * Full-batch GD steps for up to {@link #LANES} ReLU nets at once, one net in each lane of the
 * vector products ({@link PackedDeepKernels}). The nets share n, d and their layers' shapes; each has
 * its own data, weights, output scale, loss and step size. Each lane's loss and weights have the bits
 * of {@link Network#forward}, {@link Loss}, {@link Network#backward} and {@link Network#step} on that
 * net alone (PackedDeepTest), so a net's result never depends on what it was packed with.
 *
 * <p>The nets: {@link Arch#DEEP} or {@link Arch#TWO_LAYER} (whose fused single-net passes compute
 * these chains too), ReLU, float64, one output whose layer is fixed, every hidden layer at least 2
 * units wide ({@link #packs}); fixed layers below the lowest trained one are computed at the first
 * forward pass and kept. Lanes left empty train an all-zero net (finite, unused). No
 * allocation per step. Not thread-safe: one instance per task thread.
 */
public final class PackedDeepGd {
  /** Nets per step. */
  public static final int LANES = PackedDeepKernels.LANES;

  private final int n;
  private final int d;
  /** The net whose shapes this instance has (its shapes only are read). */
  private final Network like;
  private final int hidden;
  private final int lowestTrained;
  private final int[] fanIn;
  private final int[] fanOut;
  private final boolean[] trained;
  private final Buffer x;
  private final Buffer y;
  private final Buffer[] w;
  private final Buffer[] h;
  private final Buffer[] back;
  private final Buffer[] grad;
  private final Buffer f;
  private final Buffer delta;
  /** W_l^T of the layer the backward pass goes through (the largest such layer's room). */
  private final Buffer wT;
  /** Every buffer, realigned at each evaluation. */
  private final Buffer[] buffers;
  private final Object[] holder = new Object[1];
  private final double[] alpha = new double[LANES];
  private final double[] minusLr = new double[LANES];
  private final double[] deltaScale = new double[LANES];
  private final Loss[] losses = new Loss[LANES];
  private final double[] loss = new double[LANES];
  private boolean fixedDone;

  /** Whether this JVM trains packed nets (the vector kernels). */
  public static boolean available() {
    return PackedDeepKernels.AVAILABLE;
  }

  /**
   * Whether {@code net} trains here: a float64 deep (not residual) or two-layer ReLU net with one
   * output whose layer is fixed, every hidden layer at least 2 units wide (a single-column product sums in
   * partials, which these passes keep for the output only), and a per-entry loss.
   */
  public static boolean packs(Network net, Loss loss) {
    Arch arch = net.spec().arch();
    if (net.precision() != Precision.F64 || arch != Arch.DEEP && arch != Arch.TWO_LAYER
        || net.spec().activation() != Activation.RELU
        || net.isSurrogate() || net.outputCount() != 1 || loss.rowWise()) {
      return false;
    }
    int hiddenLayers = net.hiddenLayers();
    if (hiddenLayers < 1 || net.trained(hiddenLayers)) {
      return false;
    }
    LayerShapes shapes = net.shapes();
    for (int l = 0; l < hiddenLayers; l++) {
      if (net.spec().residual(l) || shapes.positions(l) != 1 || shapes.fanOut(l) < 2) {
        return false;
      }
    }
    return true;
  }

  /** Room for {@link #LANES} nets shaped as {@code like} on n points. */
  public PackedDeepGd(Network like, int n) {
    if (!available()) {
      throw new IllegalStateException("packed nets need the vector kernels (jdk.incubator.vector)");
    }
    if (!packs(like, Loss.HALF_SUM_SQUARED)) {
      throw new IllegalArgumentException("packed deep nets: model " + like.spec().canonical() + " (" + like.precision()
          + ", " + like.outputCount() + " outputs) is not a float64 deep ReLU net with one fixed output layer and "
          + "hidden layers at least 2 wide");
    }
    if (n < 1) {
      throw new IllegalArgumentException("packed deep nets: n = " + n + ": must be >= 1");
    }
    this.n = n;
    this.like = like;
    this.d = like.inputs();
    this.hidden = like.hiddenLayers();
    LayerShapes shapes = like.shapes();
    this.lowestTrained = shapes.lowestTrained();
    fanIn = new int[hidden + 1];
    fanOut = new int[hidden + 1];
    trained = new boolean[hidden + 1];
    w = new Buffer[hidden + 1];
    grad = new Buffer[hidden + 1];
    h = new Buffer[hidden];
    back = new Buffer[hidden];
    java.util.List<Buffer> all = new java.util.ArrayList<>();
    for (int l = 0; l <= hidden; l++) {
      fanIn[l] = shapes.fanIn(l);
      fanOut[l] = shapes.fanOut(l);
      trained[l] = like.trained(l);
      w[l] = new Buffer(fanIn[l] * fanOut[l], all);
      if (trained[l]) {
        grad[l] = new Buffer(fanIn[l] * fanOut[l], all);
      }
      if (l < hidden) {
        h[l] = new Buffer(n * fanOut[l], all);
        back[l] = new Buffer(n * fanOut[l], all);
      }
    }
    int transposed = 1;
    for (int l = lowestTrained + 1; l < hidden; l++) {
      transposed = Math.max(transposed, fanIn[l] * fanOut[l]);
    }
    wT = new Buffer(transposed, all);
    x = new Buffer(n * d, all);
    y = new Buffer(n, all);
    f = new Buffer(n, all);
    delta = new Buffer(n, all);
    buffers = all.toArray(new Buffer[0]);
  }

  /**
   * A packed matrix of {@code entries} entries (each {@link #LANES} doubles) held from offset {@code
   * o} of {@code a}, where a cache line starts (moved there again when the collector has moved the
   * array: {@link PackedDeepKernels#align}), so that no vector load straddles two lines.
   */
  private static final class Buffer {
    final double[] a;
    final int doubles;
    int o;

    Buffer(int entries, java.util.List<Buffer> all) {
      doubles = entries * LANES;
      a = new double[doubles + PackedDeepKernels.SLACK];
      all.add(this);
    }
  }

  /**
   * Puts {@code net} (its current weights), its data (x n x d, y n x 1), its loss and step size in
   * lane {@code lane}. The net must have this instance's shapes.
   */
  public void set(int lane, Network net, DMatrixRMaj xTrain, DMatrixRMaj yTrain, Loss lossFn, double stepSize) {
    if (lane < 0 || lane >= LANES) {
      throw new IllegalArgumentException("lane = " + lane + ": must be in [0, " + LANES + ")");
    }
    if (!packs(net, lossFn) || !fits(net) || xTrain.numRows != n || xTrain.numCols != d || yTrain.numRows != n
        || yTrain.numCols != 1) {
      throw new IllegalArgumentException("packed deep nets of n = " + n + ", d = " + d + ": lane " + lane
          + " has model " + net.spec().canonical() + ", loss " + lossFn + ", x " + xTrain.numRows + " x "
          + xTrain.numCols + ", y " + yTrain.numRows + " x " + yTrain.numCols);
    }
    put(xTrain.data, n * d, x, lane);
    put(yTrain.data, n, y, lane);
    for (int l = 0; l <= hidden; l++) {
      put(net.weights(l).data, fanIn[l] * fanOut[l], w[l], lane);
    }
    alpha[lane] = net.outputScale();
    minusLr[lane] = -stepSize;
    losses[lane] = lossFn;
    fixedDone = false;
  }

  /** Whether {@code net}'s layers have this instance's shapes and trained layers. */
  public boolean fits(Network net) {
    return sameShapes(like, net);
  }

  /** Whether nets a and b have the same inputs, layers' shapes and trained layers. */
  public static boolean sameShapes(Network a, Network b) {
    if (a.inputs() != b.inputs() || a.hiddenLayers() != b.hiddenLayers()) {
      return false;
    }
    for (int l = 0; l <= a.hiddenLayers(); l++) {
      if (a.shapes().fanIn(l) != b.shapes().fanIn(l) || a.shapes().fanOut(l) != b.shapes().fanOut(l)
          || a.trained(l) != b.trained(l)) {
        return false;
      }
    }
    return true;
  }

  private static void put(double[] source, int size, Buffer packed, int lane) {
    for (int e = 0; e < size; e++) {
      packed.a[packed.o + e * LANES + lane] = source[e];
    }
  }

  /** The loss of every lane's current weights ({@link #loss}): the forward pass and the loss. */
  public void evaluate() {
    for (Buffer b : buffers) {
      b.o = PackedDeepKernels.align(holder, b.a, b.o, b.doubles);
    }
    int first = fixedDone ? Math.min(lowestTrained, hidden) : 0;
    for (int l = first; l < hidden; l++) {
      Buffer input = l == 0 ? x : h[l - 1];
      PackedDeepKernels.product(n, fanOut[l], fanIn[l], input.a, input.o, fanIn[l], 1, w[l].a, w[l].o, fanOut[l], 1,
          h[l].a, h[l].o, PackedDeepKernels.RELU, null, 0);
    }
    fixedDone = true;
    Buffer top = h[hidden - 1];
    PackedDeepKernels.multVec(n, fanIn[hidden], alpha, top.a, top.o, w[hidden].a, w[hidden].o, f.a, f.o);
    Loss shared = sharedLoss();
    if (shared != null) {
      PackedDeepKernels.squaredErrors(n, shared == Loss.MSE ? 1.0 : 0.5, f.a, f.o, y.a, y.o, loss);
      for (int lane = 0; lane < LANES; lane++) {
        loss[lane] = losses[lane] == null ? 0 : loss[lane] * shared.normalizer(n, 1);
      }
      return;
    }
    for (int lane = 0; lane < LANES; lane++) {
      Loss lossFn = losses[lane];
      if (lossFn == null) {
        loss[lane] = 0;
        continue;
      }
      double s = 0;
      for (int i = 0; i < n; i++) {
        int e = i * LANES + lane;
        s += lossFn.term(f.a[f.o + e], y.a[y.o + e]);
      }
      loss[lane] = s * lossFn.normalizer(n, 1);
    }
  }

  /**
   * The loss every lane in use shares when it is the half sum of squares or the mean squared error
   * (whose terms and derivatives the vector passes compute with the scalar's bits), else null.
   */
  private Loss sharedLoss() {
    Loss shared = null;
    for (Loss l : losses) {
      if (l != null) {
        if (shared != null && l != shared || l != Loss.HALF_SUM_SQUARED && l != Loss.MSE) {
          return null;
        }
        shared = l;
      }
    }
    return shared;
  }

  /**
   * The gradient of every lane's loss at the weights of the last {@link #evaluate}, and the update
   * W_l = fma(-lr, grad_l, W_l) of every trained layer.
   */
  public void update() {
    // As the trainer: weight * dTerm/df (full batch: c(n, 1) n / n), then the net scales by its output scale.
    Loss shared = sharedLoss();
    if (shared != null) {
      for (int lane = 0; lane < LANES; lane++) {
        // weight (c(n, 1) n / n) then the output scale; 0 for an empty lane.
        deltaScale[lane] = losses[lane] == null ? 0 : shared.normalizer(n, 1) * n / n;
      }
      PackedDeepKernels.squaredErrorGradient(n, shared == Loss.MSE ? 2.0 : 1.0, deltaScale, alpha, f.a, f.o, y.a, y.o,
          delta.a, delta.o);
    }
    for (int lane = 0; shared == null && lane < LANES; lane++) {
      Loss lossFn = losses[lane];
      double weight = lossFn == null ? 0 : lossFn.normalizer(n, 1) * n / n;
      double scale = alpha[lane];
      for (int i = 0; i < n; i++) {
        int e = i * LANES + lane;
        delta.a[delta.o + e] = lossFn == null ? 0 : scale * (weight * lossFn.termDerivative(f.a[f.o + e],
            y.a[y.o + e]));
      }
    }
    int top = hidden - 1;
    // dLoss/dz of the last hidden layer: delta W_out^T through its ReLU mask (inner dimension 1).
    PackedDeepKernels.product(n, fanOut[top], 1, delta.a, delta.o, 1, 1, w[hidden].a, w[hidden].o, 1, 1, back[top].a,
        back[top].o, PackedDeepKernels.MASK, h[top].a, h[top].o);
    for (int l = top; l >= lowestTrained; l--) {
      Buffer input = l == 0 ? x : h[l - 1];
      if (trained[l]) {
        PackedDeepKernels.product(fanIn[l], fanOut[l], n, input.a, input.o, 1, fanIn[l], back[l].a, back[l].o,
            fanOut[l], 1, grad[l].a, grad[l].o, PackedDeepKernels.PLAIN, null, 0);
      }
      if (l == lowestTrained) {
        break;
      }
      // Through W_l^T, read from a transposed copy: its columns adjacent, so the product takes its strips.
      PackedDeepKernels.transpose(fanIn[l], fanOut[l], w[l].a, w[l].o, wT.a, wT.o);
      PackedDeepKernels.product(n, fanIn[l], fanOut[l], back[l].a, back[l].o, fanOut[l], 1, wT.a, wT.o, fanIn[l], 1,
          back[l - 1].a, back[l - 1].o, PackedDeepKernels.MASK, h[l - 1].a, h[l - 1].o);
    }
    for (int l = 0; l <= hidden; l++) {
      if (trained[l]) {
        PackedDeepKernels.addScaled(fanIn[l] * fanOut[l], minusLr, grad[l].a, grad[l].o, w[l].a, w[l].o);
      }
    }
  }

  /** Lane {@code lane}'s loss at the last {@link #evaluate}. */
  public double loss(int lane) {
    return loss[lane];
  }

  /** Lane {@code lane}'s weights of every trained layer into {@code net}'s weight matrices. */
  public void weightsInto(int lane, Network net) {
    for (int l = 0; l <= hidden; l++) {
      if (trained[l]) {
        double[] out = net.weights(l).data;
        Buffer packed = w[l];
        for (int e = 0, size = fanIn[l] * fanOut[l]; e < size; e++) {
          out[e] = packed.a[packed.o + e * LANES + lane];
        }
      }
    }
  }

  /** Empties lane {@code lane}: an all-zero net with no loss, which stays finite. */
  public void clear(int lane) {
    clearLane(x, lane);
    clearLane(y, lane);
    for (int l = 0; l <= hidden; l++) {
      clearLane(w[l], lane);
    }
    alpha[lane] = 0;
    minusLr[lane] = 0;
    losses[lane] = null;
    fixedDone = false;
  }

  private static void clearLane(Buffer packed, int lane) {
    for (int e = lane; e < packed.doubles; e += LANES) {
      packed.a[packed.o + e] = 0;
    }
  }
}
