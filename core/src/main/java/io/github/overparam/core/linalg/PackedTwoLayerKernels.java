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

  /** Columns of z per block of the forward pass: one partial sum each. */
  private static final int BLOCK = PARTIALS;

  /**
   * z (n x m) = x w and f (n) = alpha (h a), h = max(z, 0), for every lane; x (n x d), w (d x m), a
   * (m), alpha (one per lane), all packed. z is kept for the gates of {@link #gradient}.
   */
  public static void forward(int n, int d, int m, double[] alpha, double[] x, double[] w, double[] a, double[] z,
      double[] f) {
    if (VL != PARTIALS) {
      throw new IllegalStateException("packed passes need " + PARTIALS + " lanes of float64, have " + VL);
    }
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector scale = DoubleVector.fromArray(S, alpha, 0);
    int bound = m - m % BLOCK;
    for (int i = 0; i < n; i++) {
      int xi = i * d * VL;
      int zi = i * m * VL;
      DoubleVector p0 = zero;
      DoubleVector p1 = zero;
      DoubleVector p2 = zero;
      DoubleVector p3 = zero;
      DoubleVector p4 = zero;
      DoubleVector p5 = zero;
      DoubleVector p6 = zero;
      DoubleVector p7 = zero;
      for (int r = 0; r < bound; r += BLOCK) {
        DoubleVector s0 = zero;
        DoubleVector s1 = zero;
        DoubleVector s2 = zero;
        DoubleVector s3 = zero;
        DoubleVector s4 = zero;
        DoubleVector s5 = zero;
        DoubleVector s6 = zero;
        DoubleVector s7 = zero;
        for (int p = 0; p < d; p++) {
          DoubleVector xv = DoubleVector.fromArray(S, x, xi + p * VL);
          int wp = (p * m + r) * VL;
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
        p0 = relu(s0, zero).fma(DoubleVector.fromArray(S, a, ar), p0);
        p1 = relu(s1, zero).fma(DoubleVector.fromArray(S, a, ar + VL), p1);
        p2 = relu(s2, zero).fma(DoubleVector.fromArray(S, a, ar + 2 * VL), p2);
        p3 = relu(s3, zero).fma(DoubleVector.fromArray(S, a, ar + 3 * VL), p3);
        p4 = relu(s4, zero).fma(DoubleVector.fromArray(S, a, ar + 4 * VL), p4);
        p5 = relu(s5, zero).fma(DoubleVector.fromArray(S, a, ar + 5 * VL), p5);
        p6 = relu(s6, zero).fma(DoubleVector.fromArray(S, a, ar + 6 * VL), p6);
        p7 = relu(s7, zero).fma(DoubleVector.fromArray(S, a, ar + 7 * VL), p7);
      }
      // 0 + part_0 + ... + part_7, in order (the scalar reference starts its sum from 0).
      DoubleVector s = zero.add(p0).add(p1).add(p2).add(p3).add(p4).add(p5).add(p6).add(p7);
      // The columns from bound on: their own chains, then their terms chained after the partials.
      for (int r = bound; r < m; r++) {
        DoubleVector t = zero;
        for (int p = 0; p < d; p++) {
          t = DoubleVector.fromArray(S, x, xi + p * VL).fma(DoubleVector.fromArray(S, w, (p * m + r) * VL), t);
        }
        t.intoArray(z, zi + r * VL);
        s = relu(t, zero).fma(DoubleVector.fromArray(S, a, r * VL), s);
      }
      scale.mul(s).intoArray(f, i * VL);
    }
  }

  private static DoubleVector relu(DoubleVector v, DoubleVector zero) {
    return zero.blend(v, v.compare(VectorOperators.GT, zero));
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
   * grad, w): blocks of 4 inputs x 4 columns (16 chains over i), the last block of each repeating
   * its last input or column. grad is the caller's scratch (d x m packed), left holding the
   * gradient.
   */
  public static void gradientStep(int n, int d, int m, double[] lr, double[] x, double[] delta, double[] a,
      double[] z, double[] grad, double[] w) {
    DoubleVector zero = DoubleVector.zero(S);
    int lastP = d - 1;
    int lastR = m - 1;
    for (int r = 0; r < m; r += 4) {
      int r1 = Math.min(r + 1, lastR);
      int r2 = Math.min(r + 2, lastR);
      int r3 = Math.min(r + 3, lastR);
      DoubleVector a0 = DoubleVector.fromArray(S, a, r * VL);
      DoubleVector a1 = DoubleVector.fromArray(S, a, r1 * VL);
      DoubleVector a2 = DoubleVector.fromArray(S, a, r2 * VL);
      DoubleVector a3 = DoubleVector.fromArray(S, a, r3 * VL);
      for (int p = 0; p < d; p += 4) {
        int q1 = Math.min(p + 1, lastP);
        int q2 = Math.min(p + 2, lastP);
        int q3 = Math.min(p + 3, lastP);
        DoubleVector s00 = zero;
        DoubleVector s01 = zero;
        DoubleVector s02 = zero;
        DoubleVector s03 = zero;
        DoubleVector s10 = zero;
        DoubleVector s11 = zero;
        DoubleVector s12 = zero;
        DoubleVector s13 = zero;
        DoubleVector s20 = zero;
        DoubleVector s21 = zero;
        DoubleVector s22 = zero;
        DoubleVector s23 = zero;
        DoubleVector s30 = zero;
        DoubleVector s31 = zero;
        DoubleVector s32 = zero;
        DoubleVector s33 = zero;
        for (int i = 0; i < n; i++) {
          DoubleVector di = DoubleVector.fromArray(S, delta, i * VL);
          int zi = i * m * VL;
          DoubleVector g0 = gate(di, a0, z, zi + r * VL, zero);
          DoubleVector g1 = gate(di, a1, z, zi + r1 * VL, zero);
          DoubleVector g2 = gate(di, a2, z, zi + r2 * VL, zero);
          DoubleVector g3 = gate(di, a3, z, zi + r3 * VL, zero);
          int xi = i * d * VL;
          DoubleVector x0 = DoubleVector.fromArray(S, x, xi + p * VL);
          DoubleVector x1 = DoubleVector.fromArray(S, x, xi + q1 * VL);
          DoubleVector x2 = DoubleVector.fromArray(S, x, xi + q2 * VL);
          DoubleVector x3 = DoubleVector.fromArray(S, x, xi + q3 * VL);
          s00 = x0.fma(g0, s00);
          s01 = x0.fma(g1, s01);
          s02 = x0.fma(g2, s02);
          s03 = x0.fma(g3, s03);
          s10 = x1.fma(g0, s10);
          s11 = x1.fma(g1, s11);
          s12 = x1.fma(g2, s12);
          s13 = x1.fma(g3, s13);
          s20 = x2.fma(g0, s20);
          s21 = x2.fma(g1, s21);
          s22 = x2.fma(g2, s22);
          s23 = x2.fma(g3, s23);
          s30 = x3.fma(g0, s30);
          s31 = x3.fma(g1, s31);
          s32 = x3.fma(g2, s32);
          s33 = x3.fma(g3, s33);
        }
        int g0 = (p * m) * VL;
        int g1 = (q1 * m) * VL;
        int g2 = (q2 * m) * VL;
        int g3 = (q3 * m) * VL;
        s00.intoArray(grad, g0 + r * VL);
        s01.intoArray(grad, g0 + r1 * VL);
        s02.intoArray(grad, g0 + r2 * VL);
        s03.intoArray(grad, g0 + r3 * VL);
        s10.intoArray(grad, g1 + r * VL);
        s11.intoArray(grad, g1 + r1 * VL);
        s12.intoArray(grad, g1 + r2 * VL);
        s13.intoArray(grad, g1 + r3 * VL);
        s20.intoArray(grad, g2 + r * VL);
        s21.intoArray(grad, g2 + r1 * VL);
        s22.intoArray(grad, g2 + r2 * VL);
        s23.intoArray(grad, g2 + r3 * VL);
        s30.intoArray(grad, g3 + r * VL);
        s31.intoArray(grad, g3 + r1 * VL);
        s32.intoArray(grad, g3 + r2 * VL);
        s33.intoArray(grad, g3 + r3 * VL);
      }
    }
    DoubleVector step = DoubleVector.fromArray(S, lr, 0).neg();
    for (int e = 0; e < d * m * VL; e += VL) {
      step.fma(DoubleVector.fromArray(S, grad, e), DoubleVector.fromArray(S, w, e)).intoArray(w, e);
    }
  }

  /** fma(delta, a, 0) where z > 0, else +0. */
  private static DoubleVector gate(DoubleVector delta, DoubleVector a, double[] z, int offset, DoubleVector zero) {
    DoubleVector zv = DoubleVector.fromArray(S, z, offset);
    return zero.blend(delta.fma(a, zero), zv.compare(VectorOperators.GT, zero));
  }
}
