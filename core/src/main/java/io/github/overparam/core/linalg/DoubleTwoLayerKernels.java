package io.github.overparam.core.linalg;

import static io.github.overparam.core.linalg.DoubleKernels.PARTIALS;
import static io.github.overparam.core.linalg.DoubleKernels.S;
import static io.github.overparam.core.linalg.DoubleKernels.VL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * The passes of a two-layer ReLU net with one output and few inputs, each fused into one sweep
 * over the data where {@link DoubleKernels} makes two or three:
 *
 * <ul>
 *   <li>{@link #reluForward}: h = max(x w, 0) and f = alpha h a (the hidden layer's product, its
 *       ReLU and the output's single-column product), h consumed while in registers; the
 *       pre-activations z = x w are not stored (h > 0 exactly where z > 0, so h is the layer's
 *       gate and activation pattern);
 *   <li>{@link #reluOuterGradient}: the first layer's weight gradient grad (d x m) = x^T g with g =
 *       (delta a^T) masked by gate > 0, g formed in registers where it is consumed, never stored.
 * </ul>
 *
 * <p>The same bits as the products they replace: z_ir the chain of fused multiply-adds over the
 * inputs p from zero; f_i the {@link DoubleKernels#PARTIALS} partial sums of {@link
 * DoubleKernels#multVec}; g_ir = fma(delta_i, a_r, 0) where gate_ir > 0, else +0, and grad_pr the
 * chain fma(x_ip, g_ir, .) over i = 0 .. n-1 from zero. Blocks past the last row repeat it (the same
 * chain, stored to the same place).
 *
 * <p>Part of {@link DoubleKernels}, with the same summation order and guarantees.
 *
 * <p>Its float twin is generated from this file by {@code scripts/gen-float-kernels.sh}: edit here.
 */
final class DoubleTwoLayerKernels {
  private DoubleTwoLayerKernels() {}

  /** Whether {@link #reluForward} runs here: a vector holds all the partial sums or half of them. */
  static final boolean FORWARD = VL == PARTIALS || 2 * VL == PARTIALS;

  /**
   * Whether the forward pass takes chunks of four vectors of columns: where a vector holds all the
   * partial sums, that is where vectors are 512 bits wide, whose instruction set has 32 vector
   * registers (its 16 chains, 4 loads of w and the partials fit; with 16, as on AVX2, they would
   * spill).
   */
  static final boolean WIDE = VL == PARTIALS;

  /**
   * h (n x m) = max(x w, 0) (NaN gives 0), f (n) = alpha h a; x (n x d), w (d x m), a (m). The bits
   * of h and f of {@code multRelu(n, m, d, 1, x, w, z, h)} then {@code mult(n, 1, m, alpha, h, a,
   * f)}; z = x w itself is not stored.
   * Needs {@link #FORWARD}.
   */
  static void reluForward(int n, int d, int m, double alpha, double[] x, double[] w, double[] a, double[] h,
      double[] f) {
    double[] part = DoubleKernels.scratchTile(8 * PARTIALS);
    int bound = m - m % PARTIALS;
    int last = n - 1;
    // Block i's outputs are summed after block i + 4's products, from the other half of part: the
    // scalar sums then read partials stored a block earlier, not the stores just issued (S7 in
    // float32 1.17 times the steps/s, S9 1.03, float64 unchanged; 2026-12-02).
    int po = 0;
    for (int i = 0; i < n; i += 4, po ^= 4 * PARTIALS) {
      forward4(d, m, bound, i, Math.min(i + 1, last), Math.min(i + 2, last), Math.min(i + 3, last), x, w, a, h,
          part, po);
      if (i > 0) {
        int j = i - 4;
        finish4(d, m, bound, j, j + 1, j + 2, j + 3, alpha, part, po ^ 4 * PARTIALS, x, w, a, h, f);
      }
    }
    // The last block, its partials in the half before po.
    int j = (n - 1) / 4 * 4;
    finish4(d, m, bound, j, Math.min(j + 1, last), Math.min(j + 2, last), Math.min(j + 3, last), alpha, part,
        po ^ 4 * PARTIALS, x, w, a, h, f);
  }

  /**
   * f of rows i0..i3 (alpha times): each row's partial sums (part, PARTIALS a row) added in order,
   * then the columns from bound on (their h computed here, their terms chained after the
   * partials). The four rows' chains side by side, and two columns at a time, not one chain at a
   * time, whose latency would bound them; a repeated row (past the last) computes the same values.
   */
  private static void finish4(int d, int m, int bound, int i0, int i1, int i2, int i3, double alpha, double[] part,
      int po, double[] x, double[] w, double[] a, double[] h, double[] f) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    for (int l = 0; l < PARTIALS; l++) {
      s0 += part[po + l];
      s1 += part[po + PARTIALS + l];
      s2 += part[po + 2 * PARTIALS + l];
      s3 += part[po + 3 * PARTIALS + l];
    }
    if (m >= VL) {
      // h of the columns from bound on by vectors (the last one ending at m, overlapping the
      // one before: the same chains, the same bits), then each row's chain read back from h.
      tail4(d, m, bound, i0, i1, i2, i3, x, w, h);
      int o0 = i0 * m;
      int o1 = i1 * m;
      int o2 = i2 * m;
      int o3 = i3 * m;
      for (int r = bound; r < m; r++) {
        double ar = a[r];
        s0 = Math.fma(h[o0 + r], ar, s0);
        s1 = Math.fma(h[o1 + r], ar, s1);
        s2 = Math.fma(h[o2 + r], ar, s2);
        s3 = Math.fma(h[o3 + r], ar, s3);
      }
      f[i0] = alpha * s0;
      f[i1] = alpha * s1;
      f[i2] = alpha * s2;
      f[i3] = alpha * s3;
      return;
    }
    int x0 = i0 * d;
    int x1 = i1 * d;
    int x2 = i2 * d;
    int x3 = i3 * d;
    for (int r = bound; r < m; r += 2) {
      // Columns r and q (q = r + 1, or r again past the last column: the same chains, unused).
      int q = Math.min(r + 1, m - 1);
      double t0 = 0;
      double t1 = 0;
      double t2 = 0;
      double t3 = 0;
      double u0 = 0;
      double u1 = 0;
      double u2 = 0;
      double u3 = 0;
      for (int p = 0; p < d; p++) {
        double wr = w[p * m + r];
        double wq = w[p * m + q];
        t0 = Math.fma(x[x0 + p], wr, t0);
        t1 = Math.fma(x[x1 + p], wr, t1);
        t2 = Math.fma(x[x2 + p], wr, t2);
        t3 = Math.fma(x[x3 + p], wr, t3);
        u0 = Math.fma(x[x0 + p], wq, u0);
        u1 = Math.fma(x[x1 + p], wq, u1);
        u2 = Math.fma(x[x2 + p], wq, u2);
        u3 = Math.fma(x[x3 + p], wq, u3);
      }
      s0 = column(i0 * m, r, t0, a, h, s0);
      s1 = column(i1 * m, r, t1, a, h, s1);
      s2 = column(i2 * m, r, t2, a, h, s2);
      s3 = column(i3 * m, r, t3, a, h, s3);
      if (q != r) {
        s0 = column(i0 * m, q, u0, a, h, s0);
        s1 = column(i1 * m, q, u1, a, h, s1);
        s2 = column(i2 * m, q, u2, a, h, s2);
        s3 = column(i3 * m, q, u3, a, h, s3);
      }
    }
    f[i0] = alpha * s0;
    f[i1] = alpha * s1;
    f[i2] = alpha * s2;
    f[i3] = alpha * s3;
  }

  /**
   * h of rows i0..i3, columns bound .. m - 1, by vectors of columns (m >= VL): the last vector
   * ends at m and may overlap the one before it or columns below bound, whose entries it recomputes
   * with the same chains (fused multiply-adds over p from zero) and stores with the same bits.
   */
  private static void tail4(int d, int m, int bound, int i0, int i1, int i2, int i3, double[] x, double[] w,
      double[] h) {
    DoubleVector zero = DoubleVector.zero(S);
    int x0 = i0 * d;
    int x1 = i1 * d;
    int x2 = i2 * d;
    int x3 = i3 * d;
    for (int c = bound; c < m; c += VL) {
      int r = Math.min(c, m - VL);
      DoubleVector s0 = zero;
      DoubleVector s1 = zero;
      DoubleVector s2 = zero;
      DoubleVector s3 = zero;
      for (int p = 0; p < d; p++) {
        DoubleVector w0 = DoubleVector.fromArray(S, w, p * m + r);
        s0 = DoubleVector.broadcast(S, x[x0 + p]).fma(w0, s0);
        s1 = DoubleVector.broadcast(S, x[x1 + p]).fma(w0, s1);
        s2 = DoubleVector.broadcast(S, x[x2 + p]).fma(w0, s2);
        s3 = DoubleVector.broadcast(S, x[x3 + p]).fma(w0, s3);
      }
      zero.blend(s0, s0.compare(VectorOperators.GT, zero)).intoArray(h, i0 * m + r);
      zero.blend(s1, s1.compare(VectorOperators.GT, zero)).intoArray(h, i1 * m + r);
      zero.blend(s2, s2.compare(VectorOperators.GT, zero)).intoArray(h, i2 * m + r);
      zero.blend(s3, s3.compare(VectorOperators.GT, zero)).intoArray(h, i3 * m + r);
    }
  }

  /** Stores h_ir = max(v, 0) (row offset o); returns the output chain continued by h_ir a_r. */
  private static double column(int o, int r, double v, double[] a, double[] h, double sum) {
    double pos = v > 0 ? v : 0;
    h[o + r] = pos;
    return Math.fma(pos, a[r], sum);
  }

  /**
   * Rows i0..i3, columns 0 .. bound - 1 of h, and their terms of each row's partial sums,
   * written to part (PARTIALS a row) at the end: the partial sums stay in registers across the
   * column chunks. A chunk of 2 VL columns adds lanes 0 .. 2 VL - 1 of the partials when a vector
   * holds half of them, else lanes 0 .. VL - 1 twice (columns r, then r + VL: the next term of each
   * partial's chain); a last chunk one vector wide (only where a vector holds all the partials) adds
   * one term.
   */
  private static void forward4(int d, int m, int bound, int i0, int i1, int i2, int i3, double[] x, double[] w,
      double[] a, double[] h, double[] part, int po) {
    DoubleVector zero = DoubleVector.zero(S);
    // Row k's partials: pka (lanes 0 .. VL - 1), pkb (lanes VL .. 2 VL - 1 when 2 VL == PARTIALS).
    DoubleVector p0a = zero;
    DoubleVector p0b = zero;
    DoubleVector p1a = zero;
    DoubleVector p1b = zero;
    DoubleVector p2a = zero;
    DoubleVector p2b = zero;
    DoubleVector p3a = zero;
    DoubleVector p3b = zero;
    int x0 = i0 * d;
    int x1 = i1 * d;
    int x2 = i2 * d;
    int x3 = i3 * d;
    int r = 0;
    // With 32 vector registers, chunks of 4 VL columns first: 16 chains, each entry of x broadcast
    // for four vectors. Each entry's chain and each partial's terms come in the order of two
    // chunks of 2 VL: the same bits.
    // Only while w fits in L1: four vectors of a wider w's rows are four streams from L2 per step
    // (S1 in float64, w 80 KB: 2-3% slower with them; in float32, 40 KB: 2-4% faster).
    boolean wide = WIDE && (long) d * m * Double.BYTES <= Blocking.L1_BYTES;
    for (; wide && r + 4 * VL <= bound; r += 4 * VL) {
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
      for (int p = 0, wo = r; p < d; p++, wo += m) {
        DoubleVector w0 = DoubleVector.fromArray(S, w, wo);
        DoubleVector w1 = DoubleVector.fromArray(S, w, wo + VL);
        DoubleVector w2 = DoubleVector.fromArray(S, w, wo + 2 * VL);
        DoubleVector w3 = DoubleVector.fromArray(S, w, wo + 3 * VL);
        DoubleVector b0 = DoubleVector.broadcast(S, x[x0 + p]);
        s00 = b0.fma(w0, s00);
        s01 = b0.fma(w1, s01);
        s02 = b0.fma(w2, s02);
        s03 = b0.fma(w3, s03);
        b0 = DoubleVector.broadcast(S, x[x1 + p]);
        s10 = b0.fma(w0, s10);
        s11 = b0.fma(w1, s11);
        s12 = b0.fma(w2, s12);
        s13 = b0.fma(w3, s13);
        b0 = DoubleVector.broadcast(S, x[x2 + p]);
        s20 = b0.fma(w0, s20);
        s21 = b0.fma(w1, s21);
        s22 = b0.fma(w2, s22);
        s23 = b0.fma(w3, s23);
        b0 = DoubleVector.broadcast(S, x[x3 + p]);
        s30 = b0.fma(w0, s30);
        s31 = b0.fma(w1, s31);
        s32 = b0.fma(w2, s32);
        s33 = b0.fma(w3, s33);
      }
      int o0 = i0 * m + r;
      int o1 = i1 * m + r;
      int o2 = i2 * m + r;
      int o3 = i3 * m + r;
      s00 = zero.blend(s00, s00.compare(VectorOperators.GT, zero));
      s01 = zero.blend(s01, s01.compare(VectorOperators.GT, zero));
      s02 = zero.blend(s02, s02.compare(VectorOperators.GT, zero));
      s03 = zero.blend(s03, s03.compare(VectorOperators.GT, zero));
      s10 = zero.blend(s10, s10.compare(VectorOperators.GT, zero));
      s11 = zero.blend(s11, s11.compare(VectorOperators.GT, zero));
      s12 = zero.blend(s12, s12.compare(VectorOperators.GT, zero));
      s13 = zero.blend(s13, s13.compare(VectorOperators.GT, zero));
      s20 = zero.blend(s20, s20.compare(VectorOperators.GT, zero));
      s21 = zero.blend(s21, s21.compare(VectorOperators.GT, zero));
      s22 = zero.blend(s22, s22.compare(VectorOperators.GT, zero));
      s23 = zero.blend(s23, s23.compare(VectorOperators.GT, zero));
      s30 = zero.blend(s30, s30.compare(VectorOperators.GT, zero));
      s31 = zero.blend(s31, s31.compare(VectorOperators.GT, zero));
      s32 = zero.blend(s32, s32.compare(VectorOperators.GT, zero));
      s33 = zero.blend(s33, s33.compare(VectorOperators.GT, zero));
      s00.intoArray(h, o0);
      s01.intoArray(h, o0 + VL);
      s02.intoArray(h, o0 + 2 * VL);
      s03.intoArray(h, o0 + 3 * VL);
      s10.intoArray(h, o1);
      s11.intoArray(h, o1 + VL);
      s12.intoArray(h, o1 + 2 * VL);
      s13.intoArray(h, o1 + 3 * VL);
      s20.intoArray(h, o2);
      s21.intoArray(h, o2 + VL);
      s22.intoArray(h, o2 + 2 * VL);
      s23.intoArray(h, o2 + 3 * VL);
      s30.intoArray(h, o3);
      s31.intoArray(h, o3 + VL);
      s32.intoArray(h, o3 + 2 * VL);
      s33.intoArray(h, o3 + 3 * VL);
      DoubleVector a0 = DoubleVector.fromArray(S, a, r);
      DoubleVector a1 = DoubleVector.fromArray(S, a, r + VL);
      DoubleVector a2 = DoubleVector.fromArray(S, a, r + 2 * VL);
      DoubleVector a3 = DoubleVector.fromArray(S, a, r + 3 * VL);
      // A vector holds all the partials (WIDE): each row's four terms into its one register.
      p0a = s00.fma(a0, p0a);
      p0a = s01.fma(a1, p0a);
      p0a = s02.fma(a2, p0a);
      p0a = s03.fma(a3, p0a);
      p1a = s10.fma(a0, p1a);
      p1a = s11.fma(a1, p1a);
      p1a = s12.fma(a2, p1a);
      p1a = s13.fma(a3, p1a);
      p2a = s20.fma(a0, p2a);
      p2a = s21.fma(a1, p2a);
      p2a = s22.fma(a2, p2a);
      p2a = s23.fma(a3, p2a);
      p3a = s30.fma(a0, p3a);
      p3a = s31.fma(a1, p3a);
      p3a = s32.fma(a2, p3a);
      p3a = s33.fma(a3, p3a);
    }
    for (; r + 2 * VL <= bound; r += 2 * VL) {
      DoubleVector s00 = zero;
      DoubleVector s01 = zero;
      DoubleVector s10 = zero;
      DoubleVector s11 = zero;
      DoubleVector s20 = zero;
      DoubleVector s21 = zero;
      DoubleVector s30 = zero;
      DoubleVector s31 = zero;
      for (int p = 0; p < d; p++) {
        DoubleVector w0 = DoubleVector.fromArray(S, w, p * m + r);
        DoubleVector w1 = DoubleVector.fromArray(S, w, p * m + r + VL);
        DoubleVector b = DoubleVector.broadcast(S, x[x0 + p]);
        s00 = b.fma(w0, s00);
        s01 = b.fma(w1, s01);
        b = DoubleVector.broadcast(S, x[x1 + p]);
        s10 = b.fma(w0, s10);
        s11 = b.fma(w1, s11);
        b = DoubleVector.broadcast(S, x[x2 + p]);
        s20 = b.fma(w0, s20);
        s21 = b.fma(w1, s21);
        b = DoubleVector.broadcast(S, x[x3 + p]);
        s30 = b.fma(w0, s30);
        s31 = b.fma(w1, s31);
      }
      int o0 = i0 * m + r;
      int o1 = i1 * m + r;
      int o2 = i2 * m + r;
      int o3 = i3 * m + r;
      s00 = zero.blend(s00, s00.compare(VectorOperators.GT, zero));
      s01 = zero.blend(s01, s01.compare(VectorOperators.GT, zero));
      s10 = zero.blend(s10, s10.compare(VectorOperators.GT, zero));
      s11 = zero.blend(s11, s11.compare(VectorOperators.GT, zero));
      s20 = zero.blend(s20, s20.compare(VectorOperators.GT, zero));
      s21 = zero.blend(s21, s21.compare(VectorOperators.GT, zero));
      s30 = zero.blend(s30, s30.compare(VectorOperators.GT, zero));
      s31 = zero.blend(s31, s31.compare(VectorOperators.GT, zero));
      s00.intoArray(h, o0);
      s01.intoArray(h, o0 + VL);
      s10.intoArray(h, o1);
      s11.intoArray(h, o1 + VL);
      s20.intoArray(h, o2);
      s21.intoArray(h, o2 + VL);
      s30.intoArray(h, o3);
      s31.intoArray(h, o3 + VL);
      DoubleVector a0 = DoubleVector.fromArray(S, a, r);
      DoubleVector a1 = DoubleVector.fromArray(S, a, r + VL);
      p0a = s00.fma(a0, p0a);
      p1a = s10.fma(a0, p1a);
      p2a = s20.fma(a0, p2a);
      p3a = s30.fma(a0, p3a);
      if (VL == PARTIALS) {
        p0a = s01.fma(a1, p0a);
        p1a = s11.fma(a1, p1a);
        p2a = s21.fma(a1, p2a);
        p3a = s31.fma(a1, p3a);
      } else {
        p0b = s01.fma(a1, p0b);
        p1b = s11.fma(a1, p1b);
        p2b = s21.fma(a1, p2b);
        p3b = s31.fma(a1, p3b);
      }
    }
    if (r < bound) {
      // VL == PARTIALS and an odd number of chunks: the last one, one vector wide.
      DoubleVector s0 = zero;
      DoubleVector s1 = zero;
      DoubleVector s2 = zero;
      DoubleVector s3 = zero;
      for (int p = 0; p < d; p++) {
        DoubleVector w0 = DoubleVector.fromArray(S, w, p * m + r);
        s0 = DoubleVector.broadcast(S, x[x0 + p]).fma(w0, s0);
        s1 = DoubleVector.broadcast(S, x[x1 + p]).fma(w0, s1);
        s2 = DoubleVector.broadcast(S, x[x2 + p]).fma(w0, s2);
        s3 = DoubleVector.broadcast(S, x[x3 + p]).fma(w0, s3);
      }
      s0 = zero.blend(s0, s0.compare(VectorOperators.GT, zero));
      s1 = zero.blend(s1, s1.compare(VectorOperators.GT, zero));
      s2 = zero.blend(s2, s2.compare(VectorOperators.GT, zero));
      s3 = zero.blend(s3, s3.compare(VectorOperators.GT, zero));
      s0.intoArray(h, i0 * m + r);
      s1.intoArray(h, i1 * m + r);
      s2.intoArray(h, i2 * m + r);
      s3.intoArray(h, i3 * m + r);
      DoubleVector a0 = DoubleVector.fromArray(S, a, r);
      p0a = s0.fma(a0, p0a);
      p1a = s1.fma(a0, p1a);
      p2a = s2.fma(a0, p2a);
      p3a = s3.fma(a0, p3a);
    }
    p0a.intoArray(part, po);
    p1a.intoArray(part, po + PARTIALS);
    p2a.intoArray(part, po + 2 * PARTIALS);
    p3a.intoArray(part, po + 3 * PARTIALS);
    if (VL != PARTIALS) {
      p0b.intoArray(part, po + VL);
      p1b.intoArray(part, po + PARTIALS + VL);
      p2b.intoArray(part, po + 2 * PARTIALS + VL);
      p3b.intoArray(part, po + 3 * PARTIALS + VL);
    }
  }

  /** Half the lanes of a vector: the width of the nets {@link #pairs} serves. */
  static final int HALF = VL / 2;

  /** The upper half of a vector's lanes. */
  private static final VectorMask<Double> UPPER = S.indexInRange(-HALF, HALF);

  /** Lanes 0 .. HALF - 1 repeated in both halves. */
  private static final VectorShuffle<Double> LOWER_TWICE = VectorShuffle.fromOp(S, l -> l % HALF);

  /** Lanes HALF .. VL - 1 repeated in both halves. */
  private static final VectorShuffle<Double> UPPER_TWICE = VectorShuffle.fromOp(S, l -> HALF + l % HALF);

  /**
   * Whether a net of m units takes the paired passes: m is half a vector (8 units of a float32
   * net or 4 of a float64 one on 512-bit vectors), so one vector holds a row of two rows of z or
   * of grad, each lane still one entry's chain (without them those units would all be scalar).
   */
  static boolean pairs(int m) {
    return HALF >= 2 && m == HALF;
  }

  /**
   * {@link #reluForward} for m == HALF ({@link #pairs}): rows i and i + 1 of h in one vector, the
   * inputs x_ip and x_(i+1)p broadcast to either half; f_i the chain over the units (m < {@link
   * DoubleKernels#PARTIALS}: the partial sums are all zero). The same bits as {@link #reluForward}.
   */
  static void reluForwardPairs(int n, int d, int m, double alpha, double[] x, double[] w, double[] a, double[] h,
      double[] f) {
    double[] w2 = DoubleKernels.scratchTile(d * VL);
    for (int p = 0; p < d; p++) {
      System.arraycopy(w, p * m, w2, p * VL, m);
      System.arraycopy(w, p * m, w2, p * VL + m, m);
    }
    int pairs = n / 2;
    int last = pairs - 1;
    for (int k = 0; k < pairs; k += 4) {
      forwardPairs4(d, 2 * k, 2 * Math.min(k + 1, last), 2 * Math.min(k + 2, last), 2 * Math.min(k + 3, last), x,
          w2, h);
      outputs8(m, 2 * k, 2 * Math.min(k + 4, pairs), alpha, a, h, f);
    }
    if (n % 2 == 1) {
      int i = n - 1;
      for (int r = 0; r < m; r++) {
        double s = 0;
        for (int p = 0; p < d; p++) {
          s = Math.fma(x[i * d + p], w[p * m + r], s);
        }
        h[i * m + r] = s > 0 ? s : 0;
      }
      f[i] = alpha * unitChain(m, i, a, h);
    }
  }

  /**
   * f_i for rows i0 .. i1 - 1 (at most 8), as {@link #unitChain}: eight chains side by side (rows
   * past i1 repeat the last one), not one at a time, whose latency would bound them.
   */
  private static void outputs8(int m, int i0, int i1, double alpha, double[] a, double[] h, double[] f) {
    int last = i1 - 1;
    int h0 = i0 * m;
    int h1 = Math.min(i0 + 1, last) * m;
    int h2 = Math.min(i0 + 2, last) * m;
    int h3 = Math.min(i0 + 3, last) * m;
    int h4 = Math.min(i0 + 4, last) * m;
    int h5 = Math.min(i0 + 5, last) * m;
    int h6 = Math.min(i0 + 6, last) * m;
    int h7 = Math.min(i0 + 7, last) * m;
    double f0 = 0;
    double f1 = 0;
    double f2 = 0;
    double f3 = 0;
    double f4 = 0;
    double f5 = 0;
    double f6 = 0;
    double f7 = 0;
    for (int r = 0; r < m; r++) {
      double ar = a[r];
      f0 = Math.fma(h[h0 + r], ar, f0);
      f1 = Math.fma(h[h1 + r], ar, f1);
      f2 = Math.fma(h[h2 + r], ar, f2);
      f3 = Math.fma(h[h3 + r], ar, f3);
      f4 = Math.fma(h[h4 + r], ar, f4);
      f5 = Math.fma(h[h5 + r], ar, f5);
      f6 = Math.fma(h[h6 + r], ar, f6);
      f7 = Math.fma(h[h7 + r], ar, f7);
    }
    f[h0 / m] = alpha * f0;
    f[h1 / m] = alpha * f1;
    f[h2 / m] = alpha * f2;
    f[h3 / m] = alpha * f3;
    f[h4 / m] = alpha * f4;
    f[h5 / m] = alpha * f5;
    f[h6 / m] = alpha * f6;
    f[h7 / m] = alpha * f7;
  }

  /** Row i's output before alpha: the partial sums (all zero), then h_ir a_r chained over r. */
  private static double unitChain(int m, int i, double[] a, double[] h) {
    double sum = 0;
    for (int r = 0; r < m; r++) {
      sum = Math.fma(h[i * m + r], a[r], sum);
    }
    return sum;
  }

  /** Rows i0, i0 + 1, ..., i3, i3 + 1 of h (four pairs of rows), w2 each row of w twice. */
  private static void forwardPairs4(int d, int i0, int i1, int i2, int i3, double[] x, double[] w2, double[] h) {
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector s0 = zero;
    DoubleVector s1 = zero;
    DoubleVector s2 = zero;
    DoubleVector s3 = zero;
    int x0 = i0 * d;
    int x1 = i1 * d;
    int x2 = i2 * d;
    int x3 = i3 * d;
    for (int p = 0; p < d; p++) {
      DoubleVector wv = DoubleVector.fromArray(S, w2, p * VL);
      s0 = DoubleVector.broadcast(S, x[x0 + p]).blend(x[x0 + d + p], UPPER).fma(wv, s0);
      s1 = DoubleVector.broadcast(S, x[x1 + p]).blend(x[x1 + d + p], UPPER).fma(wv, s1);
      s2 = DoubleVector.broadcast(S, x[x2 + p]).blend(x[x2 + d + p], UPPER).fma(wv, s2);
      s3 = DoubleVector.broadcast(S, x[x3 + p]).blend(x[x3 + d + p], UPPER).fma(wv, s3);
    }
    int m = HALF;
    zero.blend(s0, s0.compare(VectorOperators.GT, zero)).intoArray(h, i0 * m);
    zero.blend(s1, s1.compare(VectorOperators.GT, zero)).intoArray(h, i1 * m);
    zero.blend(s2, s2.compare(VectorOperators.GT, zero)).intoArray(h, i2 * m);
    zero.blend(s3, s3.compare(VectorOperators.GT, zero)).intoArray(h, i3 * m);
  }

  /**
   * {@link #reluOuterGradient} for m == HALF ({@link #pairs}): rows p and p + 1 of grad in one
   * vector, g_i (the masked delta_i a) in both halves and x_ip, x_i(p+1) broadcast to either half;
   * each lane the chain over i from zero, as in {@link #pass}. An odd last row of grad goes through
   * {@link #tail4x2}.
   */
  static void reluOuterGradientPairs(int n, int d, int m, double[] x, double[] delta, double[] a, double[] gate,
      double[] grad) {
    // a in both halves (lanes 0 .. VL - 1), then room for an odd last row's gates.
    double[] t = DoubleKernels.scratchTile(2 * VL);
    System.arraycopy(a, 0, t, 0, m);
    System.arraycopy(a, 0, t, m, m);
    int pairs = d / 2;
    int last = pairs - 1;
    for (int k = 0; k < pairs; k += 5) {
      gradientPairs5(n, d, 2 * k, 2 * Math.min(k + 1, last), 2 * Math.min(k + 2, last), 2 * Math.min(k + 3, last),
          2 * Math.min(k + 4, last), x, delta, t, gate, grad);
    }
    if (d % 2 == 1) {
      int q = d - 1;
      for (int r = 0; r < m; r += 2) {
        tail4x2(n, d, m, q, q, q, q, r, Math.min(r + 1, m - 1), x, delta, a, gate, grad);
      }
    }
  }

  /** Rows q0, q0 + 1, ..., q3, q3 + 1 of grad (five pairs of rows: the {@link #ROWS} of a pass), m == HALF. */
  private static void gradientPairs5(int n, int d, int q0, int q1, int q2, int q3, int q4, double[] x, double[] delta,
      double[] t, double[] gate, double[] grad) {
    // Vectors are made here, not passed in: a vector argument of a method the JIT does not inline
    // arrives boxed, of no exact type, and the operations on it are not compiled to vector code.
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector a2 = DoubleVector.fromArray(S, t, 0);
    DoubleVector s0 = zero;
    DoubleVector s1 = zero;
    DoubleVector s2 = zero;
    DoubleVector s3 = zero;
    DoubleVector s4 = zero;
    int m = HALF;
    int i = 0;
    if (q1 == q0 + 2 && q2 == q0 + 4 && q3 == q0 + 6 && q4 == q0 + 8) {
      // Five whole pairs: x's entries read at constant offsets from one index, so the JIT checks
      // bounds twice a row instead of once per entry (see passWhole); the same chains and bits.
      for (int xi = q0, gi = 0; i + 1 < n; i += 2, xi += 2 * d, gi += 2 * m) {
        DoubleVector dv = DoubleVector.broadcast(S, delta[i]).blend(delta[i + 1], UPPER);
        DoubleVector g = dv.fma(a2, zero);
        g = zero.blend(g, DoubleVector.fromArray(S, gate, gi).compare(VectorOperators.GT, zero));
        DoubleVector g0 = g.rearrange(LOWER_TWICE);
        DoubleVector g1 = g.rearrange(UPPER_TWICE);
        s0 = DoubleVector.broadcast(S, x[xi]).blend(x[xi + 1], UPPER).fma(g0, s0);
        s1 = DoubleVector.broadcast(S, x[xi + 2]).blend(x[xi + 3], UPPER).fma(g0, s1);
        s2 = DoubleVector.broadcast(S, x[xi + 4]).blend(x[xi + 5], UPPER).fma(g0, s2);
        s3 = DoubleVector.broadcast(S, x[xi + 6]).blend(x[xi + 7], UPPER).fma(g0, s3);
        s4 = DoubleVector.broadcast(S, x[xi + 8]).blend(x[xi + 9], UPPER).fma(g0, s4);
        int xj = xi + d;
        s0 = DoubleVector.broadcast(S, x[xj]).blend(x[xj + 1], UPPER).fma(g1, s0);
        s1 = DoubleVector.broadcast(S, x[xj + 2]).blend(x[xj + 3], UPPER).fma(g1, s1);
        s2 = DoubleVector.broadcast(S, x[xj + 4]).blend(x[xj + 5], UPPER).fma(g1, s2);
        s3 = DoubleVector.broadcast(S, x[xj + 6]).blend(x[xj + 7], UPPER).fma(g1, s3);
        s4 = DoubleVector.broadcast(S, x[xj + 8]).blend(x[xj + 9], UPPER).fma(g1, s4);
      }
    }
    for (; i + 1 < n; i += 2) {
      // g of rows i and i + 1 in one vector, then each of them in both halves.
      DoubleVector dv = DoubleVector.broadcast(S, delta[i]).blend(delta[i + 1], UPPER);
      DoubleVector g = dv.fma(a2, zero);
      g = zero.blend(g, DoubleVector.fromArray(S, gate, i * m).compare(VectorOperators.GT, zero));
      DoubleVector g0 = g.rearrange(LOWER_TWICE);
      DoubleVector g1 = g.rearrange(UPPER_TWICE);
      int xi = i * d;
      s0 = DoubleVector.broadcast(S, x[xi + q0]).blend(x[xi + q0 + 1], UPPER).fma(g0, s0);
      s1 = DoubleVector.broadcast(S, x[xi + q1]).blend(x[xi + q1 + 1], UPPER).fma(g0, s1);
      s2 = DoubleVector.broadcast(S, x[xi + q2]).blend(x[xi + q2 + 1], UPPER).fma(g0, s2);
      s3 = DoubleVector.broadcast(S, x[xi + q3]).blend(x[xi + q3 + 1], UPPER).fma(g0, s3);
      s4 = DoubleVector.broadcast(S, x[xi + q4]).blend(x[xi + q4 + 1], UPPER).fma(g0, s4);
      xi += d;
      s0 = DoubleVector.broadcast(S, x[xi + q0]).blend(x[xi + q0 + 1], UPPER).fma(g1, s0);
      s1 = DoubleVector.broadcast(S, x[xi + q1]).blend(x[xi + q1 + 1], UPPER).fma(g1, s1);
      s2 = DoubleVector.broadcast(S, x[xi + q2]).blend(x[xi + q2 + 1], UPPER).fma(g1, s2);
      s3 = DoubleVector.broadcast(S, x[xi + q3]).blend(x[xi + q3 + 1], UPPER).fma(g1, s3);
      s4 = DoubleVector.broadcast(S, x[xi + q4]).blend(x[xi + q4 + 1], UPPER).fma(g1, s4);
    }
    if (i < n) {
      // The last row of an odd n: its g in both halves, lane by lane as above.
      System.arraycopy(gate, i * m, t, VL, m);
      System.arraycopy(gate, i * m, t, VL + m, m);
      DoubleVector g = DoubleVector.broadcast(S, delta[i]).fma(a2, zero);
      g = zero.blend(g, DoubleVector.fromArray(S, t, VL).compare(VectorOperators.GT, zero));
      int xi = i * d;
      s0 = DoubleVector.broadcast(S, x[xi + q0]).blend(x[xi + q0 + 1], UPPER).fma(g, s0);
      s1 = DoubleVector.broadcast(S, x[xi + q1]).blend(x[xi + q1 + 1], UPPER).fma(g, s1);
      s2 = DoubleVector.broadcast(S, x[xi + q2]).blend(x[xi + q2 + 1], UPPER).fma(g, s2);
      s3 = DoubleVector.broadcast(S, x[xi + q3]).blend(x[xi + q3 + 1], UPPER).fma(g, s3);
      s4 = DoubleVector.broadcast(S, x[xi + q4]).blend(x[xi + q4 + 1], UPPER).fma(g, s4);
    }
    s0.intoArray(grad, q0 * m);
    s1.intoArray(grad, q1 * m);
    s2.intoArray(grad, q2 * m);
    s3.intoArray(grad, q3 * m);
    s4.intoArray(grad, q4 * m);
  }

  /** Rows of grad one pass over the data computes. */
  static final int ROWS = 10;

  /**
   * grad (d x m) = x^T ((delta a^T) where gate > 0, else 0); x (n x d), delta (n), a (m), gate
   * (n x m), all row-major.
   */
  static void reluOuterGradient(int n, int d, int m, double[] x, double[] delta, double[] a, double[] gate,
      double[] grad) {
    if (pairs(m)) {
      reluOuterGradientPairs(n, d, m, x, delta, a, gate, grad);
      return;
    }
    int bound = S.loopBound(m);
    for (int p0 = 0; p0 < d; p0 += ROWS) {
      int r = 0;
      if (p0 + ROWS <= d) {
        for (; r + 2 * VL <= bound; r += 2 * VL) {
          passWhole2(n, d, m, p0, r, x, delta, a, gate, grad);
        }
      }
      for (; r < bound; r += VL) {
        pass(n, d, m, p0, r, x, delta, a, gate, grad);
      }
      if (bound < m && m >= VL) {
        // The columns past the last whole vector: one more pass ending at m, overlapping the one
        // before (each pass computes its chains from zero: the shared columns get the same bits).
        pass(n, d, m, p0, m - VL, x, delta, a, gate, grad);
        continue;
      }
      // A net narrower than a vector: 4 rows x 2 columns of scalar chains side by side (the last
      // row and column repeated), not one chain at a time, whose latency would bound them.
      int end = Math.min(d, p0 + ROWS) - 1;
      for (int c = bound; c < m; c += 2) {
        for (int p = p0; p <= end; p += 4) {
          tail4x2(n, d, m, p, Math.min(p + 1, end), Math.min(p + 2, end), Math.min(p + 3, end), c,
              Math.min(c + 1, m - 1), x, delta, a, gate, grad);
        }
      }
    }
  }

  /**
   * {@link #pass} where all ROWS rows exist: x's entries of row i are read at constant offsets from
   * one index, so the JIT checks that index's bounds twice a row instead of once per entry (each
   * entry at its own variable offset cost an index computation, a reload from the stack and a bounds
   * check, more instructions than the multiply-adds). The same chains, the same bits.
   */
  private static void passWhole(int n, int d, int m, int p0, int r, double[] x, double[] delta, double[] a,
      double[] gate, double[] grad) {
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
    for (int i = 0, xi = p0, gi = r; i < n; i++, xi += d, gi += m) {
      DoubleVector g = DoubleVector.broadcast(S, delta[i]).fma(av, zero);
      g = zero.blend(g, DoubleVector.fromArray(S, gate, gi).compare(VectorOperators.GT, zero));
      s0 = DoubleVector.broadcast(S, x[xi]).fma(g, s0);
      s1 = DoubleVector.broadcast(S, x[xi + 1]).fma(g, s1);
      s2 = DoubleVector.broadcast(S, x[xi + 2]).fma(g, s2);
      s3 = DoubleVector.broadcast(S, x[xi + 3]).fma(g, s3);
      s4 = DoubleVector.broadcast(S, x[xi + 4]).fma(g, s4);
      s5 = DoubleVector.broadcast(S, x[xi + 5]).fma(g, s5);
      s6 = DoubleVector.broadcast(S, x[xi + 6]).fma(g, s6);
      s7 = DoubleVector.broadcast(S, x[xi + 7]).fma(g, s7);
      s8 = DoubleVector.broadcast(S, x[xi + 8]).fma(g, s8);
      s9 = DoubleVector.broadcast(S, x[xi + 9]).fma(g, s9);
    }
    int o = p0 * m + r;
    s0.intoArray(grad, o);
    s1.intoArray(grad, o + m);
    s2.intoArray(grad, o + 2 * m);
    s3.intoArray(grad, o + 3 * m);
    s4.intoArray(grad, o + 4 * m);
    s5.intoArray(grad, o + 5 * m);
    s6.intoArray(grad, o + 6 * m);
    s7.intoArray(grad, o + 7 * m);
    s8.intoArray(grad, o + 8 * m);
    s9.intoArray(grad, o + 9 * m);
  }

  /**
   * {@link #passWhole} for two vectors of columns, r .. r + 2 VL - 1: each entry of x broadcast once
   * for both; the same chains, the same bits.
   */
  private static void passWhole2(int n, int d, int m, int p0, int r, double[] x, double[] delta, double[] a,
      double[] gate, double[] grad) {
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector av = DoubleVector.fromArray(S, a, r);
    DoubleVector aw = DoubleVector.fromArray(S, a, r + VL);
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
    DoubleVector t0 = zero;
    DoubleVector t1 = zero;
    DoubleVector t2 = zero;
    DoubleVector t3 = zero;
    DoubleVector t4 = zero;
    DoubleVector t5 = zero;
    DoubleVector t6 = zero;
    DoubleVector t7 = zero;
    DoubleVector t8 = zero;
    DoubleVector t9 = zero;
    for (int i = 0, xi = p0, gi = r; i < n; i++, xi += d, gi += m) {
      DoubleVector dv = DoubleVector.broadcast(S, delta[i]);
      DoubleVector g = dv.fma(av, zero);
      g = zero.blend(g, DoubleVector.fromArray(S, gate, gi).compare(VectorOperators.GT, zero));
      DoubleVector h = dv.fma(aw, zero);
      h = zero.blend(h, DoubleVector.fromArray(S, gate, gi + VL).compare(VectorOperators.GT, zero));
      DoubleVector b = DoubleVector.broadcast(S, x[xi]);
      s0 = b.fma(g, s0);
      t0 = b.fma(h, t0);
      b = DoubleVector.broadcast(S, x[xi + 1]);
      s1 = b.fma(g, s1);
      t1 = b.fma(h, t1);
      b = DoubleVector.broadcast(S, x[xi + 2]);
      s2 = b.fma(g, s2);
      t2 = b.fma(h, t2);
      b = DoubleVector.broadcast(S, x[xi + 3]);
      s3 = b.fma(g, s3);
      t3 = b.fma(h, t3);
      b = DoubleVector.broadcast(S, x[xi + 4]);
      s4 = b.fma(g, s4);
      t4 = b.fma(h, t4);
      b = DoubleVector.broadcast(S, x[xi + 5]);
      s5 = b.fma(g, s5);
      t5 = b.fma(h, t5);
      b = DoubleVector.broadcast(S, x[xi + 6]);
      s6 = b.fma(g, s6);
      t6 = b.fma(h, t6);
      b = DoubleVector.broadcast(S, x[xi + 7]);
      s7 = b.fma(g, s7);
      t7 = b.fma(h, t7);
      b = DoubleVector.broadcast(S, x[xi + 8]);
      s8 = b.fma(g, s8);
      t8 = b.fma(h, t8);
      b = DoubleVector.broadcast(S, x[xi + 9]);
      s9 = b.fma(g, s9);
      t9 = b.fma(h, t9);
    }
    int o = p0 * m + r;
    s0.intoArray(grad, o);
    t0.intoArray(grad, o + VL);
    s1.intoArray(grad, o + m);
    t1.intoArray(grad, o + m + VL);
    s2.intoArray(grad, o + 2 * m);
    t2.intoArray(grad, o + 2 * m + VL);
    s3.intoArray(grad, o + 3 * m);
    t3.intoArray(grad, o + 3 * m + VL);
    s4.intoArray(grad, o + 4 * m);
    t4.intoArray(grad, o + 4 * m + VL);
    s5.intoArray(grad, o + 5 * m);
    t5.intoArray(grad, o + 5 * m + VL);
    s6.intoArray(grad, o + 6 * m);
    t6.intoArray(grad, o + 6 * m + VL);
    s7.intoArray(grad, o + 7 * m);
    t7.intoArray(grad, o + 7 * m + VL);
    s8.intoArray(grad, o + 8 * m);
    t8.intoArray(grad, o + 8 * m + VL);
    s9.intoArray(grad, o + 9 * m);
    t9.intoArray(grad, o + 9 * m + VL);
  }

  /** Rows p0 .. p0 + ROWS - 1 (the last one repeated past d) of grad, columns r .. r + VL - 1. */
  private static void pass(int n, int d, int m, int p0, int r, double[] x, double[] delta, double[] a,
      double[] gate, double[] grad) {
    if (p0 + ROWS <= d) {
      passWhole(n, d, m, p0, r, x, delta, a, gate, grad);
      return;
    }
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

  /**
   * Entries (q0..q3) x (ra, rb) of grad, each the chain of {@link
   * ScalarDoubleKernels#reluOuterGradientEntry}; a repeated row or column computes the same chain
   * and stores the same bits to the same place.
   */
  private static void tail4x2(int n, int d, int m, int q0, int q1, int q2, int q3, int ra, int rb, double[] x,
      double[] delta, double[] a, double[] gate, double[] grad) {
    double aa = a[ra];
    double ab = a[rb];
    double s00 = 0;
    double s01 = 0;
    double s10 = 0;
    double s11 = 0;
    double s20 = 0;
    double s21 = 0;
    double s30 = 0;
    double s31 = 0;
    for (int i = 0; i < n; i++) {
      double di = delta[i];
      double g0 = gate[i * m + ra] > 0 ? Math.fma(di, aa, 0) : 0;
      double g1 = gate[i * m + rb] > 0 ? Math.fma(di, ab, 0) : 0;
      int xi = i * d;
      double x0 = x[xi + q0];
      double x1 = x[xi + q1];
      double x2 = x[xi + q2];
      double x3 = x[xi + q3];
      s00 = Math.fma(x0, g0, s00);
      s01 = Math.fma(x0, g1, s01);
      s10 = Math.fma(x1, g0, s10);
      s11 = Math.fma(x1, g1, s11);
      s20 = Math.fma(x2, g0, s20);
      s21 = Math.fma(x2, g1, s21);
      s30 = Math.fma(x3, g0, s30);
      s31 = Math.fma(x3, g1, s31);
    }
    grad[q0 * m + ra] = s00;
    grad[q0 * m + rb] = s01;
    grad[q1 * m + ra] = s10;
    grad[q1 * m + rb] = s11;
    grad[q2 * m + ra] = s20;
    grad[q2 * m + rb] = s21;
    grad[q3 * m + ra] = s30;
    grad[q3 * m + rb] = s31;
  }
}
