package io.github.overparam.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The pairwise sums of a data set's geometry (DatasetStats): for a point i and every later point j,
 * x_i . x_j and ||x_i - x_j||^2, each summed over the coordinates in order, one rounded product (or
 * difference, then square) and one rounded sum at a time, never fused: the bits of the plain scalar
 * loop. The vector loop puts different points j in its lanes (never parts of one sum), so it gives
 * those bits too, on every vector width.
 */
public final class Pairs {
  private Pairs() {}

  /**
   * dots[j] = x_i . x_j and dist2[j] = ||x_i - x_j||^2 for j = i+1 .. n-1, from {@code xt}, the
   * points transposed (d x n, row k holding coordinate k of every point).
   */
  public static void fromPoint(int n, int d, double[] xt, int i, double[] dots, double[] dist2) {
    int j = i + 1;
    if (Dense.vectorized()) {
      j = Vectors.fromPoint(n, d, xt, i, dots, dist2);
    }
    for (; j < n; j++) {
      double dot = 0;
      double s = 0;
      for (int k = 0; k < d; k++) {
        double u = xt[k * n + i];
        double v = xt[k * n + j];
        dot += u * v;
        double diff = u - v;
        s += diff * diff;
      }
      dots[j] = dot;
      dist2[j] = s;
    }
  }

  /** The vector loop; returns the first j it did not do. */
  private static final class Vectors {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    static int fromPoint(int n, int d, double[] xt, int i, double[] dots, double[] dist2) {
      int j = i + 1;
      for (; j + VL <= n; j += VL) {
        DoubleVector dot = DoubleVector.zero(S);
        DoubleVector s = dot;
        for (int k = 0; k < d; k++) {
          DoubleVector u = DoubleVector.broadcast(S, xt[k * n + i]);
          DoubleVector v = DoubleVector.fromArray(S, xt, k * n + j);
          dot = dot.add(u.mul(v));
          DoubleVector diff = u.sub(v);
          s = s.add(diff.mul(diff));
        }
        dot.intoArray(dots, j);
        s.intoArray(dist2, j);
      }
      return j;
    }
  }
}
