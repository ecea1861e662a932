package io.github.overparam.core.theory;

import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.random.Rng;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The largest eigenvalue of a symmetric operator by the Lanczos iteration with full
 * reorthogonalization (each new vector made orthogonal to all earlier ones, twice), so no ghost
 * copies of converged eigenvalues appear. The start vector comes from a fixed seed: the result is a
 * deterministic function of the operator.
 *
 * <p>Stops when the residual bound of the largest Ritz value, |beta_j s_j| (s_j the last entry of
 * its eigenvector of the tridiagonal T_j), is at most {@code tol} times the Ritz value; the
 * eigenvalue's error is then of the order of the bound squared over the gap to the next one.
 */
final class Lanczos {
  private Lanczos() {}

  /** y = A x for a symmetric A; x not modified. */
  interface Operator {
    void apply(double[] x, double[] y);
  }

  /**
   * The largest eigenvalue of the symmetric operator {@code op} on R^n, or NaN when the bound is not
   * met within {@code maxIterations} (then the caller falls back to a full decomposition).
   */
  static double largest(Operator op, int n, int maxIterations, double tol) {
    int k = Math.min(maxIterations, n);
    // The Lanczos vectors, row j = v_j, contiguous so that V w and w^T V are single vector products.
    double[] v = new double[(k + 1) * n];
    double[] alpha = new double[k];
    double[] beta = new double[k];
    double[] q = new double[n];
    new Rng(0x5eed_1a4c_205L).fillGaussian(q, 0, n, 1.0);
    double q0 = 1.0 / Math.sqrt(dot(q, q, n));
    for (int i = 0; i < n; i++) {
      v[i] = q[i] * q0;
    }
    double[] w = new double[n];
    double[] vj = new double[n];
    double[] coefficients = new double[k + 1];
    double[] correction = new double[n];
    int nextCheck = 8;
    for (int j = 0; j < k; j++) {
      System.arraycopy(v, j * n, vj, 0, n);
      op.apply(vj, w);
      alpha[j] = dot(w, vj, n);
      // Full reorthogonalization against v_0 .. v_j, classical Gram-Schmidt twice (which also removes
      // alpha v_j and beta v_{j-1}): c = V w, w -= V^T c.
      for (int pass = 0; pass < 2; pass++) {
        Kernels.mult(j + 1, 1, n, 1.0, v, w, coefficients);
        Kernels.mult(1, n, j + 1, 1.0, coefficients, v, correction);
        for (int i = 0; i < n; i++) {
          w[i] -= correction[i];
        }
      }
      double b = Math.sqrt(dot(w, w, n));
      beta[j] = b;
      boolean breakdown = !(b > 1e-14 * Math.abs(alpha[j])) || j == n - 1;
      if (breakdown || j + 1 >= nextCheck || j == k - 1) {
        // Checked on a growing schedule: each check costs O(j^3).
        nextCheck = Math.max(nextCheck + 8, (int) (nextCheck * 1.25));
        double[] ritz = largestRitz(alpha, beta, j + 1);
        if (breakdown || Math.abs(b * ritz[1]) <= tol * Math.abs(ritz[0])) {
          return ritz[0];
        }
      }
      double inv = 1.0 / b;
      int next = (j + 1) * n;
      for (int i = 0; i < n; i++) {
        v[next + i] = w[i] * inv;
      }
    }
    return Double.NaN;
  }

  /** {largest eigenvalue of T_m, last entry of its unit eigenvector}. */
  private static double[] largestRitz(double[] alpha, double[] beta, int m) {
    DMatrixRMaj t = new DMatrixRMaj(m, m);
    for (int i = 0; i < m; i++) {
      t.unsafe_set(i, i, alpha[i]);
      if (i + 1 < m) {
        t.unsafe_set(i, i + 1, beta[i]);
        t.unsafe_set(i + 1, i, beta[i]);
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
    if (!eig.decompose(t)) {
      return new double[] {Double.NaN, Double.POSITIVE_INFINITY};
    }
    int best = 0;
    for (int i = 1; i < m; i++) {
      if (eig.getEigenvalue(i).getReal() > eig.getEigenvalue(best).getReal()) {
        best = i;
      }
    }
    DMatrixRMaj s = eig.getEigenVector(best);
    double last = s.get(m - 1) / Math.sqrt(dot(s.data, s.data, m));
    return new double[] {eig.getEigenvalue(best).getReal(), last};
  }

  private static double dot(double[] a, double[] b, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
