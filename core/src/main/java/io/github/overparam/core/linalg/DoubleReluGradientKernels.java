package io.github.overparam.core.linalg;

import static io.github.overparam.core.linalg.DoubleKernels.S;
import static io.github.overparam.core.linalg.DoubleKernels.VL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The weight gradient of a ReLU layer below a single output, in one pass: grad (d x m) = x^T g with
 * g = (delta a^T) masked by gate > 0, g never stored. It is the backward pass of a two-layer net's
 * first layer, which {@link DoubleKernels} computes in two products (the masked outer product
 * {@code multTransBMasked} with inner dimension 1, then {@code multTransA}), here fused so that g is
 * formed in registers where it is consumed, not written to and read back from an n x m buffer.
 *
 * <p>The same bits as the two products: g_ir = fma(delta_i, a_r, 0) where gate_ir > 0, else +0, and
 * grad_pr the sequential chain of fused multiply-adds fma(x_ip, g_ir, .) over i = 0 .. n-1 from
 * zero. A pass holds {@link #ROWS} rows of grad, one vector of columns each (10 of the 16 AVX2
 * registers); with fewer rows left the last row is repeated (the same chain, stored to the same
 * place).
 *
 * <p>Part of {@link DoubleKernels}, with the same summation order and guarantees.
 *
 * <p>Its float twin is generated from this file by {@code scripts/gen-float-kernels.sh}: edit here.
 */
final class DoubleReluGradientKernels {
  private DoubleReluGradientKernels() {}

  /** Rows of grad one pass over the data computes. */
  static final int ROWS = 10;

  /**
   * grad (d x m) = x^T ((delta a^T) where gate > 0, else 0); x (n x d), delta (n), a (m), gate
   * (n x m), all row-major.
   */
  static void reluOuterGradient(int n, int d, int m, double[] x, double[] delta, double[] a, double[] gate,
      double[] grad) {
    int bound = S.loopBound(m);
    for (int p0 = 0; p0 < d; p0 += ROWS) {
      for (int r = 0; r < bound; r += VL) {
        pass(n, d, m, p0, r, x, delta, a, gate, grad);
      }
      for (int r = bound; r < m; r++) {
        for (int p = p0; p < Math.min(d, p0 + ROWS); p++) {
          grad[p * m + r] = ScalarDoubleKernels.reluOuterGradientEntry(n, d, m, p, r, x, delta, a, gate);
        }
      }
    }
  }

  /** Rows p0 .. p0 + ROWS - 1 (the last one repeated past d) of grad, columns r .. r + VL - 1. */
  private static void pass(int n, int d, int m, int p0, int r, double[] x, double[] delta, double[] a,
      double[] gate, double[] grad) {
    int last = d - 1;
    int q0 = p0;
    int q1 = Math.min(p0 + 1, last);
    int q2 = Math.min(p0 + 2, last);
    int q3 = Math.min(p0 + 3, last);
    int q4 = Math.min(p0 + 4, last);
    int q5 = Math.min(p0 + 5, last);
    int q6 = Math.min(p0 + 6, last);
    int q7 = Math.min(p0 + 7, last);
    int q8 = Math.min(p0 + 8, last);
    int q9 = Math.min(p0 + 9, last);
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector av = DoubleVector.fromArray(S, a, r);
    DoubleVector s0 = zero;
    DoubleVector s1 = zero;
    DoubleVector s2 = zero;
    DoubleVector s3 = zero;
    DoubleVector s4 = zero;
    DoubleVector s5 = zero;
    DoubleVector s6 = zero;
    DoubleVector s7 = zero;
    DoubleVector s8 = zero;
    DoubleVector s9 = zero;
    for (int i = 0; i < n; i++) {
      DoubleVector g = DoubleVector.broadcast(S, delta[i]).fma(av, zero);
      g = zero.blend(g, DoubleVector.fromArray(S, gate, i * m + r).compare(VectorOperators.GT, zero));
      int xi = i * d;
      s0 = DoubleVector.broadcast(S, x[xi + q0]).fma(g, s0);
      s1 = DoubleVector.broadcast(S, x[xi + q1]).fma(g, s1);
      s2 = DoubleVector.broadcast(S, x[xi + q2]).fma(g, s2);
      s3 = DoubleVector.broadcast(S, x[xi + q3]).fma(g, s3);
      s4 = DoubleVector.broadcast(S, x[xi + q4]).fma(g, s4);
      s5 = DoubleVector.broadcast(S, x[xi + q5]).fma(g, s5);
      s6 = DoubleVector.broadcast(S, x[xi + q6]).fma(g, s6);
      s7 = DoubleVector.broadcast(S, x[xi + q7]).fma(g, s7);
      s8 = DoubleVector.broadcast(S, x[xi + q8]).fma(g, s8);
      s9 = DoubleVector.broadcast(S, x[xi + q9]).fma(g, s9);
    }
    s0.intoArray(grad, q0 * m + r);
    s1.intoArray(grad, q1 * m + r);
    s2.intoArray(grad, q2 * m + r);
    s3.intoArray(grad, q3 * m + r);
    s4.intoArray(grad, q4 * m + r);
    s5.intoArray(grad, q5 * m + r);
    s6.intoArray(grad, q6 * m + r);
    s7.intoArray(grad, q7 * m + r);
    s8.intoArray(grad, q8 * m + r);
    s9.intoArray(grad, q9 * m + r);
  }
}
