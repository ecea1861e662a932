package io.github.overparam.core.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.hessenberg.TridiagonalDecompositionHouseholder_DDRM;
import org.ejml.dense.row.decomposition.qr.QrHelperFunctions_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.TridiagonalSimilarDecomposition_F64;

/**
 * The symmetric n x n work of a run's fixed costs (kernels and their spectra), on the vector kernels
 * with exactly the bits of the EJML calls they replace: the Gram a a^T of {@code
 * CommonOps_DDRM.multOuter} and EJML's Householder tridiagonalization (the first step of its
 * symmetric eigen-decomposition). Each output entry is the same sequence of rounded operations as in EJML
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

  /** Columns of c per stripe of {@link #addHadamardGram}. */
  static final int STRIPE = 64;

  /**
   * c += (a a^T) * (b b^T) elementwise, for a (n x p) and b (n x q): one trained layer's share of an
   * empirical NTK Gram (inputs a, deltas b). The bits of {@link Dense#multTransB} for both products
   * (the vector kernels), multiplied entry by entry and added to c, as two full n x n products, {@code
   * CommonOps_DDRM.elementMult} and {@code addEquals} give them, but the upper triangle only, a
   * stripe of {@link #STRIPE} columns at a time (rows 0 .. c0+63 of a times rows c0 .. c0+63), then
   * mirrored: half the flops, and no n x n intermediates. On the EJML path, those EJML calls.
   * a and b are not modified; c (n x n) is.
   */
  public static void addHadamardGram(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    int n = a.numRows;
    if (b.numRows != n || c.numRows != n || c.numCols != n) {
      throw new IllegalArgumentException("a is " + a.numRows + " x " + a.numCols + ", b " + b.numRows + " x "
          + b.numCols + ", c " + c.numRows + " x " + c.numCols + ": a and b need as many rows as c, which"
          + " must be square");
    }
    if (!Dense.vectorized()) {
      DMatrixRMaj inputs = new DMatrixRMaj(n, n);
      DMatrixRMaj deltas = new DMatrixRMaj(n, n);
      CommonOps_DDRM.multTransB(a, a, inputs);
      CommonOps_DDRM.multTransB(b, b, deltas);
      CommonOps_DDRM.elementMult(inputs, deltas);
      CommonOps_DDRM.addEquals(c, inputs);
      return;
    }
    int p = a.numCols;
    int q = b.numCols;
    // A stripe of one column would be a single-column product, whose sums run in another order
    // (Dense: 8 partial sums): the last stripe takes that column too.
    int w = Math.min(STRIPE + 1, n);
    double[] stripeA = new double[w * p];
    double[] stripeB = new double[w * q];
    double[] productA = new double[n * w];
    double[] productB = new double[n * w];
    double[] t = c.data;
    for (int c0 = 0, width; c0 < n; c0 += width) {
      width = n - c0 <= STRIPE + 1 ? n - c0 : STRIPE;
      int rows = c0 + width;
      System.arraycopy(a.data, c0 * p, stripeA, 0, width * p);
      System.arraycopy(b.data, c0 * q, stripeB, 0, width * q);
      DoubleKernels.multTransB(rows, width, p, 1.0, a.data, stripeA, productA);
      DoubleKernels.multTransB(rows, width, q, 1.0, b.data, stripeB, productB);
      for (int r = 0; r < rows; r++) {
        int ro = r * n + c0;
        int po = r * width;
        for (int j = Math.max(0, r - c0); j < width; j++) {
          t[ro + j] += productA[po + j] * productB[po + j];
        }
      }
    }
    mirrorUpper(t, n);
  }

  /** The lower triangle of the n x n row-major t from its upper one: t_ij = t_ji for i > j. */
  static void mirrorUpper(double[] t, int n) {
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < i; j++) {
        t[i * n + j] = t[j * n + i];
      }
    }
  }

  /**
   * The tridiagonalization of {@code DecompositionFactory_DDRM.tridiagonal(n)} (the first step of
   * EJML's symmetric eigen-decomposition), on the vector kernels below {@link #BLOCK_FROM} rows: the
   * same T and Q, bit for bit.
   */
  public static TridiagonalSimilarDecomposition_F64<DMatrixRMaj> tridiagonal(int n) {
    if (!Dense.vectorized() || n >= BLOCK_FROM) {
      return DecompositionFactory_DDRM.tridiagonal(n);
    }
    return new VectorTridiagonal();
  }

  /**
   * EJML's Householder tridiagonalization ({@code TridiagonalDecompositionHouseholder_DDRM}) with its
   * symmetric rank-2 steps on the vector kernels ({@link SymmetricKernels#multiply}, {@link
   * SymmetricKernels#updateAndMultiply}). The matrix
   * is kept in full (both triangles) so that every sum runs along contiguous rows; what EJML stores
   * (the upper triangle, the reflectors, gamma) is the same bits, so its Q, T and diagonals follow.
   */
  static final class VectorTridiagonal extends TridiagonalDecompositionHouseholder_DDRM {
    /** The next step's product A u while this step's update runs ({@link SymmetricKernels#updateAndMultiply}). */
    private double[] next = new double[0];
    /** -tau max of each step's reflector: the off-diagonal entry its leading 1 stands in for. */
    private double[] off = new double[0];

    @Override
    public boolean decompose(DMatrixRMaj a) {
      init(a);
      if (next.length < N) {
        next = new double[N];
        off = new double[N];
      }
      double[] t = QT.data;
      // EJML reads the upper triangle only: mirror it, whatever the lower one held.
      for (int i = 1; i < N; i++) {
        for (int j = 0; j < i; j++) {
          t[i * N + j] = t[j * N + i];
        }
      }
      // Step k: the reflector u from row k - 1 (EJML's similarTransform(k)), w from A u, then A += w
      // u^T + u w^T on rows and columns k .. N-1. Row k is updated first, so that step k + 1's
      // reflector can be formed from it and its product A u summed while the rest of the update runs.
      double[] w = this.w;
      double[] wNext = next;
      boolean has = N > 1 && reflector(t, 1);
      boolean multiplied = false;
      for (int k = 1; k < N; k++) {
        boolean nextHas;
        if (has) {
          if (!multiplied) {
            SymmetricKernels.multiply(N, t, k, w);
          }
          SymmetricKernels.finish(N, t, k, gammas[k], w);
          SymmetricKernels.update(N, t, k, w, k, k + 1);
          nextHas = k + 1 < N && reflector(t, k + 1);
          if (nextHas) {
            SymmetricKernels.updateAndMultiply(N, t, k, w, wNext);
            double[] swap = w;
            w = wNext;
            wNext = swap;
          } else {
            SymmetricKernels.update(N, t, k, w, k + 1, N);
          }
          t[(k - 1) * N + k] = off[k];
          multiplied = nextHas;
        } else {
          nextHas = k + 1 < N && reflector(t, k + 1);
          multiplied = false;
        }
        has = nextHas;
      }
      return true;
    }

    /**
     * EJML's similarTransform(k) up to its symmetric step: the reflector u in row k - 1 of t from
     * column k (leading entry 1), gamma in gammas[k]; false (gamma 0, nothing to do) when the row is
     * zero there. Its off-diagonal entry -tau max goes back in place after the step's update.
     */
    private boolean reflector(double[] t, int k) {
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
        gammas[k] = nu / tau;
        off[k] = -tau * max;
        return true;
      }
      gammas[k] = 0;
      return false;
    }
  }
}
