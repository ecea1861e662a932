package io.github.overparam.core.linalg;

import static io.github.overparam.core.linalg.DoubleKernels.PARTIALS;
import static io.github.overparam.core.linalg.DoubleKernels.S;
import static io.github.overparam.core.linalg.DoubleKernels.VL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The passes of {@link #LANES} two-layer ReLU nets with one output trained side by side, one net in
 * each lane of a vector: the lane-packed form of {@link DoubleTwoLayerKernels} and the training
 * step around it. Every array holds entry e of net l at {@code e * LANES + l}, so each vector
 * operation is the scalar reference's operation on every net at once, and a net's arithmetic never
 * meets its neighbours': lane l's bits are those of net l trained alone, whatever the other lanes
 * hold (PackedTwoLayerTest). The nets share n, d and m; each has its own x, y, w, a, output
 * scale and step size.
 *
 * <p>The same bits as the single-net passes: z_ir the chain fma(x_ip, w_pr, .) over p from zero, h
 * = max(z, 0) (NaN gives 0), f_i = alpha ((0 + part_0 + ... + part_{P-1}) then fma(h_ir, a_r, .) over
 * the columns from the last multiple of P), part_l the chain fma(h_ir, a_r, .) over the columns r =
 * l mod P below it (P = {@link DoubleKernels#PARTIALS}); the loss 0.5 sum_i (f_i - y_i)^2 added in
 * order; delta_i = alpha (weight (f_i - y_i)); g_ir = fma(delta_i, a_r, 0) where z_ir > 0, else +0,
 * and grad_pr the chain fma(x_ip, g_ir, .) over i from zero; w_pr = fma(-lr, grad_pr, w_pr).
 *
 * <p>Blocks past the last column or input repeat it (the same chains, stored with the same bits).
 * No allocation. Not thread-safe: one instance of the arrays per task thread.
 */
public final class PackedTwoLayerKernels {
  private PackedTwoLayerKernels() {}

  /** Nets per vector: the lanes of the preferred float64 vector. */
  public static final int LANES = VL;

  /** Whether these passes run here: one vector holds all of a row's partial sums (8 float64 lanes). */
  public static final boolean AVAILABLE = Dense.vectorized() && VL == PARTIALS;

  /** Entries of {@link #forward}'s scratch: a row's partial sums, for every lane. */
  public static final int PARTIAL_SUMS = PARTIALS * LANES;

  /** Columns of z per block of the forward pass: one partial sum each. */
  private static final int BLOCK = PARTIALS;

  /**
   * z (n x m) = x w and f (n) = alpha (h a), h = max(z, 0), for every lane; x (n x d), w (d x m), a
   * (m), alpha (one per lane), all packed; part is scratch of {@link #PARTIAL_SUMS} entries. z is
   * kept for the gates of {@link #gradientStep}.
   */
  public static void forward(int n, int d, int m, double[] alpha, double[] x, double[] w, double[] a, double[] z,
      double[] f, double[] part) {
    if (!AVAILABLE) {
      throw new IllegalStateException("packed passes need the vector kernels with " + PARTIALS
          + " float64 lanes, have " + (Dense.vectorized() ? VL + " lanes" : "none"));
    }
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector scale = DoubleVector.fromArray(S, alpha, 0);
    int bound = m - m % BLOCK;
    for (int i = 0; i < n; i++) {
      int xi = i * d * VL;
      int zi = i * m * VL;
      // Each row's partial sums live in part (PARTIALS vectors): vectors carried across the
      // blocks' loop would be boxed on every pass by this JIT.
      for (int l = 0; l < BLOCK; l++) {
        zero.intoArray(part, l * VL);
      }
      for (int r = 0; r < bound; r += BLOCK) {
        DoubleVector s0 = zero;
        DoubleVector s1 = zero;
        DoubleVector s2 = zero;
        DoubleVector s3 = zero;
        DoubleVector s4 = zero;
        DoubleVector s5 = zero;
        DoubleVector s6 = zero;
        DoubleVector s7 = zero;
        int wStride = m * VL;
        int xEnd = xi + d * VL;
        for (int xp = xi, wp = r * VL; xp < xEnd; xp += VL, wp += wStride) {
          DoubleVector xv = DoubleVector.fromArray(S, x, xp);
          s0 = xv.fma(DoubleVector.fromArray(S, w, wp), s0);
          s1 = xv.fma(DoubleVector.fromArray(S, w, wp + VL), s1);
          s2 = xv.fma(DoubleVector.fromArray(S, w, wp + 2 * VL), s2);
          s3 = xv.fma(DoubleVector.fromArray(S, w, wp + 3 * VL), s3);
          s4 = xv.fma(DoubleVector.fromArray(S, w, wp + 4 * VL), s4);
          s5 = xv.fma(DoubleVector.fromArray(S, w, wp + 5 * VL), s5);
          s6 = xv.fma(DoubleVector.fromArray(S, w, wp + 6 * VL), s6);
          s7 = xv.fma(DoubleVector.fromArray(S, w, wp + 7 * VL), s7);
        }
        int zr = zi + r * VL;
        int ar = r * VL;
        s0.intoArray(z, zr);
        s1.intoArray(z, zr + VL);
        s2.intoArray(z, zr + 2 * VL);
        s3.intoArray(z, zr + 3 * VL);
        s4.intoArray(z, zr + 4 * VL);
        s5.intoArray(z, zr + 5 * VL);
        s6.intoArray(z, zr + 6 * VL);
        s7.intoArray(z, zr + 7 * VL);
        zero.blend(s0, s0.compare(VectorOperators.GT, zero)).fma(DoubleVector.fromArray(S, a, ar + 0 * VL),
            DoubleVector.fromArray(S, part, 0 * VL)).intoArray(part, 0 * VL);
        zero.blend(s1, s1.compare(VectorOperators.GT, zero)).fma(DoubleVector.fromArray(S, a, ar + 1 * VL),
            DoubleVector.fromArray(S, part, 1 * VL)).intoArray(part, 1 * VL);
        zero.blend(s2, s2.compare(VectorOperators.GT, zero)).fma(DoubleVector.fromArray(S, a, ar + 2 * VL),
            DoubleVector.fromArray(S, part, 2 * VL)).intoArray(part, 2 * VL);
        zero.blend(s3, s3.compare(VectorOperators.GT, zero)).fma(DoubleVector.fromArray(S, a, ar + 3 * VL),
            DoubleVector.fromArray(S, part, 3 * VL)).intoArray(part, 3 * VL);
        zero.blend(s4, s4.compare(VectorOperators.GT, zero)).fma(DoubleVector.fromArray(S, a, ar + 4 * VL),
            DoubleVector.fromArray(S, part, 4 * VL)).intoArray(part, 4 * VL);
        zero.blend(s5, s5.compare(VectorOperators.GT, zero)).fma(DoubleVector.fromArray(S, a, ar + 5 * VL),
            DoubleVector.fromArray(S, part, 5 * VL)).intoArray(part, 5 * VL);
        zero.blend(s6, s6.compare(VectorOperators.GT, zero)).fma(DoubleVector.fromArray(S, a, ar + 6 * VL),
            DoubleVector.fromArray(S, part, 6 * VL)).intoArray(part, 6 * VL);
        zero.blend(s7, s7.compare(VectorOperators.GT, zero)).fma(DoubleVector.fromArray(S, a, ar + 7 * VL),
            DoubleVector.fromArray(S, part, 7 * VL)).intoArray(part, 7 * VL);
      }
      // 0 + part_0 + ... + part_7, in order (the scalar reference starts its sum from 0).
      DoubleVector s = zero;
      for (int l = 0; l < BLOCK; l++) {
        s = s.add(DoubleVector.fromArray(S, part, l * VL));
      }
      // The columns from bound on: their own chains, then their terms chained after the partials.
      for (int r = bound; r < m; r++) {
        DoubleVector t = zero;
        for (int p = 0; p < d; p++) {
          t = DoubleVector.fromArray(S, x, xi + p * VL).fma(DoubleVector.fromArray(S, w, (p * m + r) * VL), t);
        }
        t.intoArray(z, zi + r * VL);
        s = zero.blend(t, t.compare(VectorOperators.GT, zero)).fma(DoubleVector.fromArray(S, a, r * VL), s);
      }
      scale.mul(s).intoArray(f, i * VL);
    }
  }

  /**
   * The half sum of squared errors of f against y into loss (one per lane), and delta = alpha
   * (weight (f - y)), the output gradient scaled as the net's backward pass scales it. The sum
   * over i in order from 0, each term 0.5 (f_i - y_i) (f_i - y_i).
   */
  public static void halfSquared(int n, double weight, double[] alpha, double[] f, double[] y, double[] loss,
      double[] delta) {
    DoubleVector sum = DoubleVector.zero(S);
    DoubleVector half = DoubleVector.broadcast(S, 0.5);
    DoubleVector wv = DoubleVector.broadcast(S, weight);
    DoubleVector scale = DoubleVector.fromArray(S, alpha, 0);
    for (int i = 0; i < n; i++) {
      DoubleVector diff = DoubleVector.fromArray(S, f, i * VL).sub(DoubleVector.fromArray(S, y, i * VL));
      sum = sum.add(half.mul(diff).mul(diff));
      scale.mul(wv.mul(diff)).intoArray(delta, i * VL);
    }
    sum.intoArray(loss, 0);
  }

  /**
   * grad (d x m) = x^T g, g_ir = fma(delta_i, a_r, 0) where z_ir > 0, else +0, then w = fma(-lr,
   * grad, w) (minusLr holds -lr per lane). g is formed once, over z (which it replaces), then grad by
   * {@link PackedDeepKernels#product}. grad is the caller's scratch (d x m packed), left holding the
   * gradient; z is left holding g.
   */
  public static void gradientStep(int n, int d, int m, double[] minusLr, double[] x, double[] delta, double[] a,
      double[] z, double[] grad, double[] w) {
    gates(n, m, delta, a, z);
    // grad = x^T g: every entry the chain over i from +0 (the deep nets' packed product).
    PackedDeepKernels.product(d, m, n, x, 1, d, z, m, 1, grad, PackedDeepKernels.PLAIN, null);
    for (int e = 0; e < d * m * VL; e += VL) {
      // -lr read at each step: a vector held across this loop is boxed once per call by this JIT.
      DoubleVector.fromArray(S, minusLr, 0).fma(DoubleVector.fromArray(S, grad, e), DoubleVector.fromArray(S, w,
          e)).intoArray(w, e);
    }
  }

  /** g_ir = fma(delta_i, a_r, 0) where z_ir > 0, else +0, written over z. */
  private static void gates(int n, int m, double[] delta, double[] a, double[] z) {
    for (int i = 0; i < n; i++) {
      int zi = i * m * VL;
      for (int r = 0; r < m; r++) {
        // Everything loaded or made inside the loop: vectors held across it are boxed by this JIT.
        DoubleVector zero = DoubleVector.zero(S);
        int e = zi + r * VL;
        DoubleVector zv = DoubleVector.fromArray(S, z, e);
        DoubleVector g = DoubleVector.fromArray(S, delta, i * VL).fma(DoubleVector.fromArray(S, a, r * VL), zero);
        zero.blend(g, zv.compare(VectorOperators.GT, zero)).intoArray(z, e);
      }
    }
  }
}
