package io.github.overparam.core.theory;

/**
 * Single eigenvalues of a symmetric tridiagonal matrix T (diagonal alpha, off-diagonal beta) by
 * bisection on Sturm counts (the LDL^T recurrence, as LAPACK's {@code dstebz}): O(m) per halving of
 * the interval, so an extreme eigenvalue of T costs O(m) against the O(m^2) of the QR sweeps that
 * find all of them. Each count is exact for a matrix within a few ulps of T entry by entry (Kahan), so
 * the eigenvalue is found to about eps ||T||, as by the QR algorithm; the halving stops when the
 * interval is one ulp wide. Deterministic: the result is a function of alpha and beta only.
 */
final class Sturm {
  private Sturm() {}

  /** Halvings at most: the Gershgorin interval shrinks below any ulp of its ends long before. */
  private static final int MAX_HALVINGS = 200;

  /** The smallest eigenvalue of T_m. */
  static double smallest(double[] alpha, double[] beta, int m) {
    return eigenvalue(alpha, beta, m, 0);
  }

  /** The largest eigenvalue of T_m. */
  static double largest(double[] alpha, double[] beta, int m) {
    return eigenvalue(alpha, beta, m, m - 1);
  }

  /** The (k + 1)-th smallest eigenvalue of T_m (k = 0 the smallest, k = m - 1 the largest). */
  static double eigenvalue(double[] alpha, double[] beta, int m, int k) {
    if (m < 1 || k < 0 || k >= m) {
      throw new IllegalArgumentException("eigenvalue k = " + k + " of a " + m + " x " + m + " matrix");
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < m; i++) {
      double r = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i + 1 < m ? Math.abs(beta[i]) : 0);
      lo = Math.min(lo, alpha[i] - r);
      hi = Math.max(hi, alpha[i] + r);
    }
    if (!(lo <= hi)) {
      return Double.NaN; // a NaN entry
    }
    // The eigenvalue is the x below which at most k eigenvalues lie, approached from both sides.
    for (int it = 0; it < MAX_HALVINGS; it++) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (below(alpha, beta, m, mid) <= k) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** Eigenvalues of T_m below x (Sturm count by the LDL^T recurrence). */
  static int below(double[] alpha, double[] beta, int m, double x) {
    int count = 0;
    double d = 1.0;
    for (int i = 0; i < m; i++) {
      double off = i > 0 ? beta[i - 1] * beta[i - 1] : 0;
      d = alpha[i] - x - (i > 0 ? off / d : 0);
      if (d == 0) {
        d = -Double.MIN_NORMAL;
      }
      if (d < 0) {
        count++;
      }
    }
    return count;
  }
}
