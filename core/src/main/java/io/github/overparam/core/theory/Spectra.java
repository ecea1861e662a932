package io.github.overparam.core.theory;

import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.linalg.Symmetric;
import org.ejml.data.DMatrixRMaj;
import org.ejml.interfaces.decomposition.TridiagonalSimilarDecomposition_F64;

/**
 * Eigenvalues of symmetric matrices. Below {@link #ITERATIVE_FROM} rows, and whenever the iterative
 * path does not converge, an extreme eigenvalue comes from EJML's full Householder
 * tridiagonalization (O(n^3): (4/3) n^3 flops) and bisection on the tridiagonal's Sturm counts
 * ({@link Sturm}; O(n) per halving, where EJML's QR sweeps for all n eigenvalues took a third of
 * the time of the decomposition at n = 256). From {@link #ITERATIVE_FROM} rows the extreme
 * eigenvalues come from the {@link Lanczos} iteration with full reorthogonalization, each from one
 * run of it on the matrix (its largest or its smallest Ritz value); each iteration is one
 * matrix-vector product on the vector kernels and the reorthogonalization. Both paths are
 * deterministic; on H^inf and the empirical NTK they agree to about 1e-14 times lambda_max
 * (SpectraTest).
 */
public final class Spectra {
  private Spectra() {}

  /** Sizes from which the extreme eigenvalues are computed iteratively. */
  public static final int ITERATIVE_FROM = 500;
  /** Relative residual bound at which the Lanczos iteration stops. */
  static final double TOLERANCE = 1e-10;
  private static final int MAX_ITERATIONS = 300;

  /** The smallest eigenvalue of the symmetric matrix {@code a} (not modified). */
  public static double lambdaMin(DMatrixRMaj a) {
    square(a);
    if (a.numRows >= ITERATIVE_FROM) {
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
   * lambda_min by Lanczos on {@code a} (the smallest Ritz value; the same Krylov space as the
   * iteration on c I - a for any shift c); NaN when it did not converge.
   */
  static double lambdaMinIterative(DMatrixRMaj a) {
    int n = a.numRows;
    return Lanczos.smallest((x, y) -> Kernels.mult(n, 1, n, 1.0, a.data, x, y), n, MAX_ITERATIONS, TOLERANCE);
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
