package io.github.overparam.core.theory;

import io.github.overparam.core.linalg.Cholesky;
import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.linalg.Symmetric;
import org.ejml.data.DMatrixRMaj;
import org.ejml.interfaces.decomposition.TridiagonalSimilarDecomposition_F64;

/**
 * Extreme eigenvalues of symmetric matrices (H^inf, the empirical NTK Grams), each by the path that
 * is fastest at its size, all deterministic:
 * <ul>
 *   <li>lambda_min from {@link #SHIFT_INVERT_FROM} rows: shift and invert at 0. The Cholesky factor
 *       of the matrix ({@link Cholesky}, n^3 / 3 flops on the vector kernels), then the {@link
 *       Lanczos} iteration on A^-1 (two triangular solves a step), whose largest Ritz value is 1 /
 *       lambda_min. The small end of the spectrum, clustered for A (one Lanczos run on A took up to
 *       300 iterations at n = 1,000 and did not converge where the trained parameters are just
 *       above n), is spread out for A^-1: 24-120 iterations there. It stops at a residual bound of
 *       {@link #TOLERANCE} times 1 / lambda_min, so lambda_min is at least that accurate relative
 *       to itself, up to the rounding of the solves (about the condition number times the unit
 *       roundoff); a Ritz value's error falls as the square of its residual, so in practice it
 *       agrees with the full decomposition to that path's own rounding (SpectraTest).
 *   <li>lambda_max from {@link #ITERATIVE_FROM} rows: the Lanczos iteration on the matrix.
 *   <li>Below those sizes, and whenever the iterative path fails (a pivot that is not positive: the
 *       matrix is singular to working precision; or no convergence), EJML's full Householder
 *       tridiagonalization ((4/3) n^3 flops, {@link Symmetric#tridiagonal}) and bisection on the
 *       tridiagonal's Sturm counts ({@link Sturm}).
 * </ul>
 * On H^inf and the empirical NTK the paths agree to 1e-12 times lambda_max and 1e-10 times lambda_min
 * (SpectraTest).
 */
public final class Spectra {
  private Spectra() {}

  /** Sizes from which lambda_max is computed by the Lanczos iteration. */
  public static final int ITERATIVE_FROM = 500;
  /**
   * Sizes from which lambda_min is computed by shift and invert (where the Lanczos iteration on the
   * matrix was used before). Warm, it beats the full decomposition from about n = 200 (n = 256: 1.8
   * ms against 2.1), but its code is new to the JIT: its first 15-20 calls in a JVM take 4-40 ms at
   * n = 256, more than it saves a sweep of a few hundred runs there. From n = 500 it saves 10-230 ms
   * a call (n = 500: 5-9 ms against 20-45).
   */
  public static final int SHIFT_INVERT_FROM = 500;
  /**
   * Relative residual bound at which the Lanczos iteration stops: a guaranteed relative accuracy of
   * the extreme eigenvalue. At 1e-8 instead of 1e-10, 11-17% fewer iterations on S2's matrices (NTK
   * Gram 117 -> 104, H^inf 99 -> 82), and the values agree with the full decomposition as closely
   * (n = 1,000: 3.4e-15 and 5.8e-16 relative; where p is just above n, 3.5e-12 at either tolerance,
   * the full path's own rounding).
   */
  static final double TOLERANCE = 1e-8;
  private static final int MAX_ITERATIONS = 300;

  /** The smallest eigenvalue of the symmetric matrix {@code a} (not modified). */
  public static double lambdaMin(DMatrixRMaj a) {
    square(a);
    if (a.numRows >= SHIFT_INVERT_FROM) {
      double v = lambdaMinIterative(a);
      if (!Double.isNaN(v)) {
        return v;
      }
    }
    return lambdaMinFull(a);
  }

  /** The largest eigenvalue of the symmetric matrix {@code a} (not modified). */
  public static double lambdaMax(DMatrixRMaj a) {
    square(a);
    if (a.numRows >= ITERATIVE_FROM) {
      double v = lambdaMaxIterative(a);
      if (!Double.isNaN(v)) {
        return v;
      }
    }
    return lambdaMaxFull(a);
  }

  /** lambda_min by the full tridiagonalization, whatever the size. */
  static double lambdaMinFull(DMatrixRMaj a) {
    return extremeFull(a, true);
  }

  /** lambda_max by the full tridiagonalization, whatever the size. */
  static double lambdaMaxFull(DMatrixRMaj a) {
    return extremeFull(a, false);
  }

  /**
   * The smallest or the largest eigenvalue of {@code a} (not modified): EJML's Householder
   * tridiagonalization T = Q^T a Q (on the vector kernels, {@link Symmetric#tridiagonal}), then
   * bisection on T's Sturm counts ({@link Sturm}), O(n) per halving where the QR sweeps that find all
   * n eigenvalues cost O(n^2).
   */
  private static double extremeFull(DMatrixRMaj a, boolean smallest) {
    square(a);
    int n = a.numRows;
    TridiagonalSimilarDecomposition_F64<DMatrixRMaj> tri = Symmetric.tridiagonal(n);
    if (!tri.decompose(tri.inputModified() ? a.copy() : a)) {
      throw new ArithmeticException("tridiagonalization failed (n = " + n + ")");
    }
    double[] diagonal = new double[n];
    double[] off = new double[Math.max(1, n - 1)];
    tri.getDiagonal(diagonal, off);
    return smallest ? Sturm.smallest(diagonal, off, n) : Sturm.largest(diagonal, off, n);
  }

  /**
   * lambda_min by shift and invert: 1 / (the largest Ritz value of the Lanczos iteration on a^-1, by
   * the Cholesky factor). NaN when a is not positive definite to working precision or the iteration
   * did not converge.
   */
  static double lambdaMinIterative(DMatrixRMaj a) {
    int n = a.numRows;
    Cholesky factor = Cholesky.factor(a);
    if (factor == null) {
      return Double.NaN;
    }
    double mu = Lanczos.largest(factor::solve, n, MAX_ITERATIONS, TOLERANCE);
    return mu > 0 && mu < Double.POSITIVE_INFINITY ? 1.0 / mu : Double.NaN;
  }

  /** lambda_max by Lanczos on {@code a}; NaN when it did not converge. */
  static double lambdaMaxIterative(DMatrixRMaj a) {
    int n = a.numRows;
    return Lanczos.largest((x, y) -> Kernels.mult(n, 1, n, 1.0, a.data, x, y), n, MAX_ITERATIONS, TOLERANCE);
  }

  private static void square(DMatrixRMaj a) {
    if (a.numRows != a.numCols) {
      throw new IllegalArgumentException("matrix is " + a.numRows + " x " + a.numCols + ", must be square");
    }
  }
}
