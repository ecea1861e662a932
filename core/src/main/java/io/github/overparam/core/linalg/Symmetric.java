package io.github.overparam.core.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.decomposition.hessenberg.TridiagonalDecompositionHouseholder_DDRM;
import org.ejml.dense.row.decomposition.qr.QrHelperFunctions_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.TridiagonalSimilarDecomposition_F64;

/**
 * The symmetric n x n work of a run's fixed costs (kernels and their spectra), on the vector kernels
 * with exactly the bits of the EJML calls they replace: the Gram a a^T of {@code
 * CommonOps_DDRM.multOuter} and the eigenvalues of EJML's symmetric QR algorithm after its Householder
 * tridiagonalization. Each output entry is the same sequence of rounded operations as in EJML
 * (vector lanes hold different entries), so results do not change, only the time (3 to 10 times
 * less). Without the vector kernels both are EJML's own calls.
 */
public final class Symmetric {
  private Symmetric() {}

  /** EJML switches to its block tridiagonalization from this size; so do we (its bits differ). */
  static final int BLOCK_FROM = 1800;

  /** True when the vector kernels run (as {@link Dense#vectorized()}); else the EJML calls themselves. */
  public static boolean vectorized() {
    return Dense.vectorized();
  }

  /** c = a a^T, the bits of {@code CommonOps_DDRM.multOuter(a, c)}. a not modified; c reshaped. */
  public static void outer(DMatrixRMaj a, DMatrixRMaj c) {
    if (c == a) {
      throw new IllegalArgumentException("the output must not be the input");
    }
    if (!Dense.vectorized()) {
      CommonOps_DDRM.multOuter(a, c);
      return;
    }
    c.reshape(a.numRows, a.numRows);
    double[] t = new double[Math.max(1, a.numRows * a.numCols)];
    SymmetricKernels.outer(a.numRows, a.numCols, a.data, t, c.data);
  }

  /**
   * The eigenvalue decomposition (values only) of {@code DecompositionFactory_DDRM.eig(n, false,
   * true)}, with its tridiagonalization on the vector kernels: the same eigenvalues, bit for bit.
   */
  public static EigenDecomposition_F64<DMatrixRMaj> eigenvalues(int n) {
    if (!Dense.vectorized() || n >= BLOCK_FROM) {
      return DecompositionFactory_DDRM.eig(n, false, true);
    }
    return new SymmetricQRAlgorithmDecomposition_DDRM(new VectorTridiagonal(), false);
  }

  /**
   * The tridiagonalization of {@code DecompositionFactory_DDRM.tridiagonal(n)} (the first step of
   * {@link #eigenvalues}), on the vector kernels below {@link #BLOCK_FROM} rows: the same T, bit for
   * bit.
   */
  public static TridiagonalSimilarDecomposition_F64<DMatrixRMaj> tridiagonal(int n) {
    if (!Dense.vectorized() || n >= BLOCK_FROM) {
      return DecompositionFactory_DDRM.tridiagonal(n);
    }
    return new VectorTridiagonal();
  }

  /**
   * EJML's Householder tridiagonalization ({@code TridiagonalDecompositionHouseholder_DDRM}) with its
   * symmetric rank-2 steps on the vector kernels ({@link SymmetricKernels#householder}). The matrix
   * is kept in full (both triangles) so that every sum runs along contiguous rows; what EJML stores
   * (the upper triangle, the reflectors, gamma) is the same bits, so its Q, T and diagonals follow.
   */
  static final class VectorTridiagonal extends TridiagonalDecompositionHouseholder_DDRM {
    @Override
    public boolean decompose(DMatrixRMaj a) {
      init(a);
      double[] t = QT.data;
      // EJML reads the upper triangle only: mirror it, whatever the lower one held.
      for (int i = 1; i < N; i++) {
        for (int j = 0; j < i; j++) {
          t[i * N + j] = t[j * N + i];
        }
      }
      for (int k = 1; k < N; k++) {
        similarTransform(t, k);
      }
      return true;
    }

    /** EJML's similarTransform(k), the reflector built by EJML's own helpers. */
    private void similarTransform(double[] t, int k) {
      int rowU = (k - 1) * N;
      double max = 0;
      for (int i = k; i < N; i++) {
        double val = Math.abs(t[rowU + i]);
        if (val > max) {
          max = val;
        }
      }
      if (max > 0) {
        double tau = QrHelperFunctions_DDRM.computeTauAndDivide(k, N, t, rowU, max);
        double nu = t[rowU + k] + tau;
        QrHelperFunctions_DDRM.divideElements(k + 1, N, t, rowU, nu);
        t[rowU + k] = 1.0;
        double gamma = nu / tau;
        gammas[k] = gamma;
        SymmetricKernels.householder(N, t, k, gamma, w);
        t[rowU + k] = -tau * max;
      } else {
        gammas[k] = 0;
      }
    }
  }
}
