package io.github.overparam.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of {@link Cholesky}: elementwise passes over contiguous runs of an array, each
 * entry one rounded operation (multiply, then subtract, never fused), so the vector and the scalar
 * loop give the same bits. Callers pass {@code vector = Dense.vectorized()}; the vector classes are
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

  /** y[yo + i] -= x[xo + i] for i = 0 .. len-1. */
  static void subtract(double[] y, int yo, double[] x, int xo, int len, boolean vector) {
    int i = 0;
    if (vector) {
      i = Vectors.subtract(y, yo, x, xo, len);
    }
    for (; i < len; i++) {
      y[yo + i] -= x[xo + i];
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

    static int subtract(double[] y, int yo, double[] x, int xo, int len) {
      int bound = S.loopBound(len);
      for (int i = 0; i < bound; i += VL) {
        DoubleVector.fromArray(S, y, yo + i).sub(DoubleVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
      }
      return bound;
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
