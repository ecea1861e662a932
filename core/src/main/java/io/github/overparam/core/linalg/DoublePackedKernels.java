package io.github.overparam.core.linalg;

import static io.github.overparam.core.linalg.DoubleKernels.S;
import static io.github.overparam.core.linalg.DoubleKernels.VL;

import jdk.incubator.vector.DoubleVector;

/**
 * The micro-kernels of {@link DoubleKernels#gemm} on packed operands: 4 rows x 1, 2 or 3 vectors.
 *
 * <p>Part of {@link DoubleKernels}, with the same summation order and guarantees.
 *
 * <p>Its float twin is generated from this file by {@code scripts/gen-float-kernels.sh}: edit here.
 */
final class DoublePackedKernels {
  private DoublePackedKernels() {}

  /** The packed micro-kernel of a panel pw wide (1, 2 or 3 vectors). */
  static void micro(int pw, double[] pa, double[] pb, int pbo, int kc, boolean first, double scale,
      double[] c, int c0, int ldc) {
    if (pw == 3 * VL) {
      kernel4x3packed(pa, pb, pbo, kc, first, scale, c, c0, ldc);
    } else if (pw == 2 * VL) {
      kernel4x2packed(pa, pb, pbo, kc, first, scale, c, c0, ldc);
    } else {
      kernel4x1packed(pa, pb, pbo, kc, first, scale, c, c0, ldc);
    }
  }

  /** The micro-kernel on packed operands: 4 rows x 3 vectors, kc inner steps. */
  private static void kernel4x3packed(double[] pa, double[] pb, int pbo, int kc, boolean first, double scale,
      double[] c, int c0, int ldc) {
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    DoubleVector s00;
    DoubleVector s01;
    DoubleVector s02;
    DoubleVector s10;
    DoubleVector s11;
    DoubleVector s12;
    DoubleVector s20;
    DoubleVector s21;
    DoubleVector s22;
    DoubleVector s30;
    DoubleVector s31;
    DoubleVector s32;
    if (first) {
      s00 = s01 = s02 = s10 = s11 = s12 = s20 = s21 = s22 = s30 = s31 = s32 = DoubleVector.zero(S);
    } else {
      s00 = DoubleVector.fromArray(S, c, c0);
      s01 = DoubleVector.fromArray(S, c, c0 + VL);
      s02 = DoubleVector.fromArray(S, c, c0 + 2 * VL);
      s10 = DoubleVector.fromArray(S, c, c1);
      s11 = DoubleVector.fromArray(S, c, c1 + VL);
      s12 = DoubleVector.fromArray(S, c, c1 + 2 * VL);
      s20 = DoubleVector.fromArray(S, c, c2);
      s21 = DoubleVector.fromArray(S, c, c2 + VL);
      s22 = DoubleVector.fromArray(S, c, c2 + 2 * VL);
      s30 = DoubleVector.fromArray(S, c, c3);
      s31 = DoubleVector.fromArray(S, c, c3 + VL);
      s32 = DoubleVector.fromArray(S, c, c3 + 2 * VL);
    }
    int wide = 3 * VL;
    for (int p = 0; p < kc; p++) {
      int bp = pbo + p * wide;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      DoubleVector b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      int ap = 4 * p;
      DoubleVector x = DoubleVector.broadcast(S, pa[ap]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      x = DoubleVector.broadcast(S, pa[ap + 1]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      x = DoubleVector.broadcast(S, pa[ap + 2]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      x = DoubleVector.broadcast(S, pa[ap + 3]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
    }
    if (scale != 1) {
      s00 = s00.mul(scale);
      s01 = s01.mul(scale);
      s02 = s02.mul(scale);
      s10 = s10.mul(scale);
      s11 = s11.mul(scale);
      s12 = s12.mul(scale);
      s20 = s20.mul(scale);
      s21 = s21.mul(scale);
      s22 = s22.mul(scale);
      s30 = s30.mul(scale);
      s31 = s31.mul(scale);
      s32 = s32.mul(scale);
    }
    s00.intoArray(c, c0);
    s01.intoArray(c, c0 + VL);
    s02.intoArray(c, c0 + 2 * VL);
    s10.intoArray(c, c1);
    s11.intoArray(c, c1 + VL);
    s12.intoArray(c, c1 + 2 * VL);
    s20.intoArray(c, c2);
    s21.intoArray(c, c2 + VL);
    s22.intoArray(c, c2 + 2 * VL);
    s30.intoArray(c, c3);
    s31.intoArray(c, c3 + VL);
    s32.intoArray(c, c3 + 2 * VL);
  }

  /** The micro-kernel on packed operands: 4 rows x 2 vectors, kc inner steps. */
  private static void kernel4x2packed(double[] pa, double[] pb, int pbo, int kc, boolean first, double scale,
      double[] c, int c0, int ldc) {
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    DoubleVector s00;
    DoubleVector s01;
    DoubleVector s10;
    DoubleVector s11;
    DoubleVector s20;
    DoubleVector s21;
    DoubleVector s30;
    DoubleVector s31;
    if (first) {
      s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = DoubleVector.zero(S);
    } else {
      s00 = DoubleVector.fromArray(S, c, c0);
      s01 = DoubleVector.fromArray(S, c, c0 + VL);
      s10 = DoubleVector.fromArray(S, c, c1);
      s11 = DoubleVector.fromArray(S, c, c1 + VL);
      s20 = DoubleVector.fromArray(S, c, c2);
      s21 = DoubleVector.fromArray(S, c, c2 + VL);
      s30 = DoubleVector.fromArray(S, c, c3);
      s31 = DoubleVector.fromArray(S, c, c3 + VL);
    }
    int width = 2 * VL;
    for (int p = 0; p < kc; p++) {
      int bp = pbo + p * width;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      int ap = 4 * p;
      DoubleVector x = DoubleVector.broadcast(S, pa[ap]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      x = DoubleVector.broadcast(S, pa[ap + 1]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      x = DoubleVector.broadcast(S, pa[ap + 2]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      x = DoubleVector.broadcast(S, pa[ap + 3]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
    }
    if (scale != 1) {
      s00 = s00.mul(scale);
      s01 = s01.mul(scale);
      s10 = s10.mul(scale);
      s11 = s11.mul(scale);
      s20 = s20.mul(scale);
      s21 = s21.mul(scale);
      s30 = s30.mul(scale);
      s31 = s31.mul(scale);
    }
    s00.intoArray(c, c0);
    s01.intoArray(c, c0 + VL);
    s10.intoArray(c, c1);
    s11.intoArray(c, c1 + VL);
    s20.intoArray(c, c2);
    s21.intoArray(c, c2 + VL);
    s30.intoArray(c, c3);
    s31.intoArray(c, c3 + VL);
  }

  /** The micro-kernel on packed operands: 4 rows x 1 vector, kc inner steps. */
  private static void kernel4x1packed(double[] pa, double[] pb, int pbo, int kc, boolean first, double scale,
      double[] c, int c0, int ldc) {
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    DoubleVector s00;
    DoubleVector s10;
    DoubleVector s20;
    DoubleVector s30;
    if (first) {
      s00 = s10 = s20 = s30 = DoubleVector.zero(S);
    } else {
      s00 = DoubleVector.fromArray(S, c, c0);
      s10 = DoubleVector.fromArray(S, c, c1);
      s20 = DoubleVector.fromArray(S, c, c2);
      s30 = DoubleVector.fromArray(S, c, c3);
    }
    int width = VL;
    for (int p = 0; p < kc; p++) {
      int bp = pbo + p * width;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      int ap = 4 * p;
      DoubleVector x = DoubleVector.broadcast(S, pa[ap]);
      s00 = x.fma(b0, s00);
      x = DoubleVector.broadcast(S, pa[ap + 1]);
      s10 = x.fma(b0, s10);
      x = DoubleVector.broadcast(S, pa[ap + 2]);
      s20 = x.fma(b0, s20);
      x = DoubleVector.broadcast(S, pa[ap + 3]);
      s30 = x.fma(b0, s30);
    }
    if (scale != 1) {
      s00 = s00.mul(scale);
      s10 = s10.mul(scale);
      s20 = s20.mul(scale);
      s30 = s30.mul(scale);
    }
    s00.intoArray(c, c0);
    s10.intoArray(c, c1);
    s20.intoArray(c, c2);
    s30.intoArray(c, c3);
  }

}
