package io.github.overparam.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of {@link Cholesky}: elementwise passes over contiguous runs of an array, each
 * entry one rounded operation (multiply, then subtract, never fused), and the forward solve's dot
 * product in fixed partial sums, so the vector and the scalar loop give the same bits. Callers pass {@code vector = Dense.vectorized()}; the vector classes are
 * only touched when it is true.
 */
final class CholeskyKernels {
  private CholeskyKernels() {}

  /** y[yo + i] -= s x[xo + i] for i = 0 .. len-1. */
  static void subtractScaled(double[] y, int yo, double s, double[] x, int xo, int len, boolean vector) {
    int i = 0;
    if (vector) {
      i = Vectors.subtractScaled(y, yo, s, x, xo, len);
    }
    for (; i < len; i++) {
      y[yo + i] -= s * x[xo + i];
    }
  }

  /** y[yo + i] /= r for i = 0 .. len-1. */
  static void divide(double[] y, int yo, int len, double r, boolean vector) {
    int i = 0;
    if (vector) {
      i = Vectors.divide(y, yo, len, r);
    }
    for (; i < len; i++) {
      y[yo + i] /= r;
    }
  }

  /** Partial sums of {@link #dot}, whatever the vector width. */
  static final int PARTIALS = 8;

  /**
   * x[xo ..] . y[yo ..] over len entries: entry k goes to partial sum k mod 8 (for k below the last
   * multiple of 8, in increasing k), the partials are added as ((p0 + p1) + (p2 + p3)) + ((p4 + p5) +
   * (p6 + p7)), then the remaining entries one by one. Lanes hold partials, never parts of one, so the
   * vector loop (one accumulator of 8 lanes, or two of 4; other widths take the scalar loop) gives the
   * scalar loop's bits.
   */
  static double dot(double[] x, int xo, double[] y, int yo, int len, boolean vector) {
    int whole = len - len % PARTIALS;
    double s;
    if (vector && (Vectors.VL == 8 || Vectors.VL == 4)) {
      s = Vectors.dot(x, xo, y, yo, whole);
    } else {
      double p0 = 0;
      double p1 = 0;
      double p2 = 0;
      double p3 = 0;
      double p4 = 0;
      double p5 = 0;
      double p6 = 0;
      double p7 = 0;
      for (int k = 0; k < whole; k += PARTIALS) {
        p0 += x[xo + k] * y[yo + k];
        p1 += x[xo + k + 1] * y[yo + k + 1];
        p2 += x[xo + k + 2] * y[yo + k + 2];
        p3 += x[xo + k + 3] * y[yo + k + 3];
        p4 += x[xo + k + 4] * y[yo + k + 4];
        p5 += x[xo + k + 5] * y[yo + k + 5];
        p6 += x[xo + k + 6] * y[yo + k + 6];
        p7 += x[xo + k + 7] * y[yo + k + 7];
      }
      s = ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7));
    }
    for (int k = whole; k < len; k++) {
      s += x[xo + k] * y[yo + k];
    }
    return s;
  }

  /** The vector parts: each returns how many leading entries it did (a multiple of the width). */
  private static final class Vectors {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    static int subtractScaled(double[] y, int yo, double s, double[] x, int xo, int len) {
      DoubleVector sb = DoubleVector.broadcast(S, s);
      int bound = S.loopBound(len);
      for (int i = 0; i < bound; i += VL) {
        DoubleVector.fromArray(S, y, yo + i).sub(DoubleVector.fromArray(S, x, xo + i).mul(sb)).intoArray(y, yo + i);
      }
      return bound;
    }

    /**
     * {@link CholeskyKernels#dot}'s partials over {@code whole} entries (a multiple of 8), added:
     * one accumulator of 8 lanes, or two of 4 (lanes 0-3 of the second are partials 4-7).
     */
    static double dot(double[] x, int xo, double[] y, int yo, int whole) {
      if (VL == 8) {
        DoubleVector a = DoubleVector.zero(S);
        for (int k = 0; k < whole; k += 8) {
          a = a.add(DoubleVector.fromArray(S, x, xo + k).mul(DoubleVector.fromArray(S, y, yo + k)));
        }
        return ((a.lane(0) + a.lane(1)) + (a.lane(2) + a.lane(3))) + ((a.lane(4) + a.lane(5)) + (a.lane(6)
            + a.lane(7)));
      }
      DoubleVector a = DoubleVector.zero(S);
      DoubleVector b = a;
      for (int k = 0; k < whole; k += 8) {
        a = a.add(DoubleVector.fromArray(S, x, xo + k).mul(DoubleVector.fromArray(S, y, yo + k)));
        b = b.add(DoubleVector.fromArray(S, x, xo + k + 4).mul(DoubleVector.fromArray(S, y, yo + k + 4)));
      }
      return ((a.lane(0) + a.lane(1)) + (a.lane(2) + a.lane(3))) + ((b.lane(0) + b.lane(1)) + (b.lane(2)
          + b.lane(3)));
    }

    static int divide(double[] y, int yo, int len, double r) {
      DoubleVector rb = DoubleVector.broadcast(S, r);
      int bound = S.loopBound(len);
      for (int i = 0; i < bound; i += VL) {
        DoubleVector.fromArray(S, y, yo + i).div(rb).intoArray(y, yo + i);
      }
      return bound;
    }
  }
}
