package io.github.overparam.core.linalg;

import static io.github.overparam.core.linalg.DoubleKernels.S;
import static io.github.overparam.core.linalg.DoubleKernels.VL;

import jdk.incubator.vector.DoubleVector;

/**
 * The micro-kernels of the 6-row register tile on packed operands ({@link Blocking}: 6 x 2 vectors,
 * 12 accumulators, 2 vectors of the right factor and one broadcast, 15 of the 16 AVX2 vector
 * registers), and 6 x 1 for the last panel of a column block.
 *
 * <p>Part of {@link DoubleKernels}, with the same summation order and guarantees.
 *
 * <p>Its float twin is generated from this file by {@code scripts/gen-float-kernels.sh}: edit here.
 */
final class DoubleSixRowKernels {
  private DoubleSixRowKernels() {}

  /** The micro-kernel on packed operands: 6 rows x 2 vectors, kc inner steps. */
  static void kernel6x2packed(double[] pa, int pao, double[] pb, int pbo, int kc, boolean first,
      double scale, double[] c, int c0, int ldc) {
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    int c4 = c3 + ldc;
    int c5 = c4 + ldc;
    DoubleVector s00;
    DoubleVector s01;
    DoubleVector s10;
    DoubleVector s11;
    DoubleVector s20;
    DoubleVector s21;
    DoubleVector s30;
    DoubleVector s31;
    DoubleVector s40;
    DoubleVector s41;
    DoubleVector s50;
    DoubleVector s51;
    if (first) {
      s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = s40 = s41 = s50 = s51 = DoubleVector.zero(S);
    } else {
      s00 = DoubleVector.fromArray(S, c, c0);
      s01 = DoubleVector.fromArray(S, c, c0 + VL);
      s10 = DoubleVector.fromArray(S, c, c1);
      s11 = DoubleVector.fromArray(S, c, c1 + VL);
      s20 = DoubleVector.fromArray(S, c, c2);
      s21 = DoubleVector.fromArray(S, c, c2 + VL);
      s30 = DoubleVector.fromArray(S, c, c3);
      s31 = DoubleVector.fromArray(S, c, c3 + VL);
      s40 = DoubleVector.fromArray(S, c, c4);
      s41 = DoubleVector.fromArray(S, c, c4 + VL);
      s50 = DoubleVector.fromArray(S, c, c5);
      s51 = DoubleVector.fromArray(S, c, c5 + VL);
    }
    int width = 2 * VL;
    for (int p = 0; p < kc; p++) {
      int bp = pbo + p * width;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      int ap = pao + 6 * p;
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
      x = DoubleVector.broadcast(S, pa[ap + 4]);
      s40 = x.fma(b0, s40);
      s41 = x.fma(b1, s41);
      x = DoubleVector.broadcast(S, pa[ap + 5]);
      s50 = x.fma(b0, s50);
      s51 = x.fma(b1, s51);
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
      s40 = s40.mul(scale);
      s41 = s41.mul(scale);
      s50 = s50.mul(scale);
      s51 = s51.mul(scale);
    }
    s00.intoArray(c, c0);
    s01.intoArray(c, c0 + VL);
    s10.intoArray(c, c1);
    s11.intoArray(c, c1 + VL);
    s20.intoArray(c, c2);
    s21.intoArray(c, c2 + VL);
    s30.intoArray(c, c3);
    s31.intoArray(c, c3 + VL);
    s40.intoArray(c, c4);
    s41.intoArray(c, c4 + VL);
    s50.intoArray(c, c5);
    s51.intoArray(c, c5 + VL);
  }

  /** The micro-kernel on packed operands: 6 rows x 1 vector, kc inner steps. */
  static void kernel6x1packed(double[] pa, int pao, double[] pb, int pbo, int kc, boolean first,
      double scale, double[] c, int c0, int ldc) {
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    int c4 = c3 + ldc;
    int c5 = c4 + ldc;
    DoubleVector s00;
    DoubleVector s10;
    DoubleVector s20;
    DoubleVector s30;
    DoubleVector s40;
    DoubleVector s50;
    if (first) {
      s00 = s10 = s20 = s30 = s40 = s50 = DoubleVector.zero(S);
    } else {
      s00 = DoubleVector.fromArray(S, c, c0);
      s10 = DoubleVector.fromArray(S, c, c1);
      s20 = DoubleVector.fromArray(S, c, c2);
      s30 = DoubleVector.fromArray(S, c, c3);
      s40 = DoubleVector.fromArray(S, c, c4);
      s50 = DoubleVector.fromArray(S, c, c5);
    }
    int width = VL;
    for (int p = 0; p < kc; p++) {
      int bp = pbo + p * width;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      int ap = pao + 6 * p;
      DoubleVector x = DoubleVector.broadcast(S, pa[ap]);
      s00 = x.fma(b0, s00);
      x = DoubleVector.broadcast(S, pa[ap + 1]);
      s10 = x.fma(b0, s10);
      x = DoubleVector.broadcast(S, pa[ap + 2]);
      s20 = x.fma(b0, s20);
      x = DoubleVector.broadcast(S, pa[ap + 3]);
      s30 = x.fma(b0, s30);
      x = DoubleVector.broadcast(S, pa[ap + 4]);
      s40 = x.fma(b0, s40);
      x = DoubleVector.broadcast(S, pa[ap + 5]);
      s50 = x.fma(b0, s50);
    }
    if (scale != 1) {
      s00 = s00.mul(scale);
      s10 = s10.mul(scale);
      s20 = s20.mul(scale);
      s30 = s30.mul(scale);
      s40 = s40.mul(scale);
      s50 = s50.mul(scale);
    }
    s00.intoArray(c, c0);
    s10.intoArray(c, c1);
    s20.intoArray(c, c2);
    s30.intoArray(c, c3);
    s40.intoArray(c, c4);
    s50.intoArray(c, c5);
  }
}
