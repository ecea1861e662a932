package io.github.overparam.core.data;

import io.github.overparam.core.linalg.Pairs;
import org.ejml.data.DMatrixRMaj;

/**
 * Geometry of a data set that the theorems assume: the minimum pairwise distance delta (Du et al.,
 * Allen-Zhu et al.), the minimum distance between differently labeled points phi (Zou et al.), and
 * the largest |cos| between two inputs. O(n^2 d) time, O(n d) extra memory (the inputs transposed,
 * so that the vector loop of {@link Pairs} holds different pairs in its lanes: the same bits). NaN when n < 2 (or when no
 * two labels differ, for phi).
 *
 * @param delta min_{i != j} ||x_i - x_j||
 * @param phi min ||x_i - x_j|| over pairs with y_i != y_j
 * @param maxAbsCos max_{i != j} |x_i . x_j| / (||x_i|| ||x_j||)
 */
public record DatasetStats(double delta, double phi, double maxAbsCos) {

  public static DatasetStats of(DMatrixRMaj x, DMatrixRMaj y) {
    int n = x.numRows;
    int d = x.numCols;
    double[] a = x.data;
    double[] norms2 = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += a[i * d + k] * a[i * d + k];
      }
      norms2[i] = s;
    }
    double minDist2 = Double.POSITIVE_INFINITY;
    double minPhi2 = Double.POSITIVE_INFINITY;
    double maxCos = 0;
    // The sums for a point and all later ones at once (Pairs: the bits of the plain loop over k).
    double[] xt = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        xt[k * n + i] = a[i * d + k];
      }
    }
    double[] dots = new double[n];
    double[] dists2 = new double[n];
    for (int i = 0; i < n; i++) {
      Pairs.fromPoint(n, d, xt, i, dots, dists2);
      for (int j = i + 1; j < n; j++) {
        double dot = dots[j];
        double dist2 = dists2[j];
        minDist2 = Math.min(minDist2, dist2);
        if (!sameLabel(y, i, j)) {
          minPhi2 = Math.min(minPhi2, dist2);
        }
        double denom = Math.sqrt(norms2[i] * norms2[j]);
        if (denom > 0) {
          maxCos = Math.max(maxCos, Math.abs(dot) / denom);
        }
      }
    }
    if (n < 2) {
      return new DatasetStats(Double.NaN, Double.NaN, Double.NaN);
    }
    return new DatasetStats(Math.sqrt(minDist2),
        Double.isInfinite(minPhi2) ? Double.NaN : Math.sqrt(minPhi2), maxCos);
  }

  private static boolean sameLabel(DMatrixRMaj y, int i, int j) {
    for (int c = 0; c < y.numCols; c++) {
      if (y.unsafe_get(i, c) != y.unsafe_get(j, c)) {
        return false;
      }
    }
    return true;
  }
}
