package io.github.overparam.core.theory;

import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.random.Rng;
import java.util.Arrays;
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

  /** The first iteration count at which convergence is checked. */
  private static final int FIRST_CHECK = 8;

  /** y = A x for a symmetric A; x not modified. */
  interface Operator {
    void apply(double[] x, double[] y);
  }

  /** Whether the largest Ritz value of T_m has converged, given beta_m = b ({@link #converged}). */
  interface Check {
    boolean converged(double[] alpha, double[] beta, int m, double b, double tol);
  }

  /**
   * The largest eigenvalue of the symmetric operator {@code op} on R^n, or NaN when the bound is not
   * met within {@code maxIterations} (then the caller falls back to a full decomposition).
   */
  static double largest(Operator op, int n, int maxIterations, double tol) {
    return largest(op, n, maxIterations, tol, Lanczos::converged);
  }

  /** {@link #largest(Operator, int, int, double)} with the given convergence check (tests compare two). */
  static double largest(Operator op, int n, int maxIterations, double tol, Check check) {
    return iterate(op, n, maxIterations, tol, check);
  }

  private static double iterate(Operator op, int n, int maxIterations, double tol, Check check) {
    int k = Math.min(maxIterations, n);
    // The Lanczos vectors, row j = v_j, contiguous so that V w and w^T V are single vector products;
    // room for 64 to start with, doubled as needed (most runs stop well before k).
    double[] v = new double[Math.min(k + 1, 64) * n];
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
      if (breakdown || j + 1 >= FIRST_CHECK || j == k - 1) {
        // Checked at every iteration from the FIRST_CHECK-th, by bisection and inverse iteration on T
        // (O(j) each; 37 us at j = 110, where an iteration of shift and invert takes 0.5 ms at n =
        // 1,000 and about 0.1 at n = 500), so the iteration stops at the first step that meets the
        // bound (a growing schedule ran up to a quarter more steps). The value returned is T's
        // largest eigenvalue by bisection, whatever check stopped the iteration.
        if (breakdown || check.converged(alpha, beta, j + 1, b, tol)) {
          return Sturm.largest(alpha, beta, j + 1);
        }
      }
      double inv = 1.0 / b;
      int next = (j + 1) * n;
      if (v.length < next + n) {
        v = Arrays.copyOf(v, Math.min(k + 1, 2 * (j + 1)) * n);
      }
      for (int i = 0; i < n; i++) {
        v[next + i] = w[i] * inv;
      }
    }
    return Double.NaN;
  }

  /**
   * Whether the residual bound |b s_m| of the largest Ritz value of T_m (tridiagonal: diagonal alpha,
   * off-diagonal beta) is at most {@code tol} times that value, with s_m the last entry of its unit
   * eigenvector: the value by bisection on Sturm counts, the eigenvector by two steps of inverse
   * iteration. The same test as on {@link #largestRitz}'s full decomposition, in O(m) instead of
   * O(m^3); the two agree but at a bound within rounding of the threshold.
   */
  static boolean converged(double[] alpha, double[] beta, int m, double b, double tol) {
    double[] ritz = largestRitzTridiagonal(alpha, beta, m);
    return Math.abs(b * ritz[1]) <= tol * Math.abs(ritz[0]);
  }

  /**
   * {largest eigenvalue of T_m, last entry of its unit eigenvector}, in O(m) (see {@link
   * #converged}): the value by bisection, the vector by two steps of inverse iteration.
   */
  static double[] largestRitzTridiagonal(double[] alpha, double[] beta, int m) {
    double theta = Sturm.largest(alpha, beta, m);
    // Inverse iteration with (T - theta I), LU with partial pivoting of the tridiagonal.
    double[] y = new double[m];
    Arrays.fill(y, 1.0);
    // Pivots below m ulps of T's scale (at least |theta|; the largest diagonal entry, for theta near 0)
    // are raised to that size.
    double scale = Math.abs(theta);
    for (int i = 0; i < m; i++) {
      scale = Math.max(scale, Math.abs(alpha[i]));
    }
    double shiftGuard = Math.ulp(scale) * m;
    for (int pass = 0; pass < 2; pass++) {
      solveShifted(alpha, beta, m, theta, shiftGuard, y);
      double norm = Math.sqrt(dot(y, y, m));
      if (!(norm > 0) || !Double.isFinite(norm)) {
        return new double[] {theta, Double.POSITIVE_INFINITY};
      }
      for (int i = 0; i < m; i++) {
        y[i] /= norm;
      }
    }
    return new double[] {theta, y[m - 1]};
  }

  /** y := (T_m - theta I)^-1 y by Gaussian elimination with partial pivoting (tridiagonal, O(m)). */
  private static void solveShifted(double[] alpha, double[] beta, int m, double theta, double guard, double[] y) {
    // Rows of U: diagonal u0, first and second super-diagonals u1, u2; multipliers l.
    double[] u0 = new double[m];
    double[] u1 = new double[m];
    double[] u2 = new double[m];
    double[] l = new double[m];
    boolean[] swapped = new boolean[m];
    double d = alpha[0] - theta;
    double e = m > 1 ? beta[0] : 0;
    double f = 0;
    for (int i = 0; i < m - 1; i++) {
      double below = beta[i];
      double nextDiag = alpha[i + 1] - theta;
      double nextOff = i + 2 < m ? beta[i + 1] : 0;
      if (Math.abs(d) >= Math.abs(below)) {
        double mult = d == 0 ? 0 : below / d;
        l[i] = mult;
        u0[i] = d;
        u1[i] = e;
        u2[i] = f;
        d = nextDiag - mult * e;
        e = nextOff - mult * f;
        f = 0;
      } else {
        double mult = d / below;
        l[i] = mult;
        swapped[i] = true;
        u0[i] = below;
        u1[i] = nextDiag;
        u2[i] = nextOff;
        d = e - mult * nextDiag;
        e = f - mult * nextOff;
        f = 0;
      }
    }
    u0[m - 1] = Math.abs(d) < guard ? (d < 0 ? -guard : guard) : d;
    for (int i = 0; i < m - 1; i++) {
      if (Math.abs(u0[i]) < guard) {
        u0[i] = u0[i] < 0 ? -guard : guard;
      }
      if (swapped[i]) {
        double t = y[i];
        y[i] = y[i + 1];
        y[i + 1] = t - l[i] * y[i];
      } else {
        y[i + 1] -= l[i] * y[i];
      }
    }
    for (int i = m - 1; i >= 0; i--) {
      double s = y[i];
      if (i + 1 < m) {
        s -= u1[i] * y[i + 1];
      }
      if (i + 2 < m) {
        s -= u2[i] * y[i + 2];
      }
      y[i] = s / u0[i];
    }
  }

  /**
   * {largest eigenvalue of T_m, last entry of its unit eigenvector} by EJML's full decomposition
   * (O(m^3)): the reference the O(m) check is tested against.
   */
  static double[] largestRitz(double[] alpha, double[] beta, int m) {
    DMatrixRMaj t = tridiagonal(alpha, beta, m);
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

  /** T_m as a dense m x m matrix: diagonal alpha, off-diagonal beta on both sides. */
  static DMatrixRMaj tridiagonal(double[] alpha, double[] beta, int m) {
    DMatrixRMaj t = new DMatrixRMaj(m, m);
    for (int i = 0; i < m; i++) {
      t.unsafe_set(i, i, alpha[i]);
      if (i + 1 < m) {
        t.unsafe_set(i, i + 1, beta[i]);
        t.unsafe_set(i + 1, i, beta[i]);
      }
    }
    return t;
  }

  private static double dot(double[] a, double[] b, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
