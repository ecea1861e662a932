package io.github.overparam.core.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * The Cholesky factor A = L L^T of a symmetric positive definite n x n matrix, and solves with it:
 * what the shift-and-invert iteration for a Gram matrix's smallest eigenvalue applies at every step
 * (x = A^-1 b, two triangular solves).
 *
 * <p>Right-looking and blocked ({@link #BLOCK} columns a step): each block's columns are factored
 * along contiguous rows, then the trailing matrix loses the block's outer product on the vector
 * kernels ({@link DoubleKernels#multTransB}, a stripe of {@link #STRIPE} columns of its upper triangle
 * at a time), which carries almost all of the n^3 / 3 flops (n = 1,000: 16-18 ms, where EJML's
 * factorization took 75). The factorization works in the upper triangle (row j from column j holds
 * column j of L); L is then copied below the diagonal, where both solves read it by rows.
 *
 * <p>Every entry is one sequence of rounded operations whatever the vector width (lanes hold
 * different entries, never parts of one sum; multiply, then subtract, never fused), the product's
 * included ({@link Dense}), so the factor and the solves have the same bits on every vector width and
 * on the scalar path ({@code CholeskyTest}).
 */
public final class Cholesky {
  /** Columns per step of the blocked factorization. */
  static final int BLOCK = 64;
  /** Columns of the trailing matrix per product of the update. */
  static final int STRIPE = 64;

  private final int n;
  /** Row-major n x n: L_ij at (i, j) for i >= j (and at (j, i), from the factorization). */
  private final double[] t;

  /** Whether the solves run on the vector loops. */
  private final boolean vector;

  private Cholesky(int n, double[] t, boolean vector) {
    this.n = n;
    this.t = t;
    this.vector = vector;
  }

  /**
   * The factor of {@code a} (not modified; its lower triangle is read), or null when a pivot is not
   * positive: the matrix is not positive definite to working precision.
   *
   * @throws IllegalArgumentException when {@code a} is not square
   */
  public static Cholesky factor(DMatrixRMaj a) {
    return factor(a, Dense.vectorized());
  }

  /** {@link #factor(DMatrixRMaj)} on the vector loops or the scalar ones (tests compare the two). */
  static Cholesky factor(DMatrixRMaj a, boolean vector) {
    if (a.numRows != a.numCols) {
      throw new IllegalArgumentException("matrix is " + a.numRows + " x " + a.numCols + ", must be square");
    }
    int n = a.numRows;
    double[] t = new double[n * n];
    // The work is done in the upper triangle (row j from column j), which starts as a's lower one.
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        t[j * n + i] = a.data[i * n + j];
      }
    }
    double[] p = new double[0];
    double[] stripe = new double[0];
    double[] c = new double[0];
    for (int kb = 0; kb < n; kb += BLOCK) {
      int e = Math.min(n, kb + BLOCK);
      // The block's columns, each in its row of the upper triangle (row j from column j: L_cj at
      // (j, c)), right-looking within the block.
      for (int j = kb; j < e; j++) {
        int rj = j * n;
        double d = t[rj + j];
        if (!(d > 0) || d == Double.POSITIVE_INFINITY) {
          return null;
        }
        double r = Math.sqrt(d);
        t[rj + j] = r;
        CholeskyKernels.divide(t, rj + j + 1, n - j - 1, r, vector);
        for (int k = j + 1; k < e; k++) {
          CholeskyKernels.subtractScaled(t, k * n + k, t[rj + k], t, rj + k, n - k, vector);
        }
      }
      int rest = n - e;
      if (rest == 0) {
        break;
      }
      int bs = e - kb;
      // The trailing matrix (rows and columns from e; its upper triangle) -= P P^T with
      // P = L(e.., kb..e-1) (rest x bs), a block of STRIPE columns at a time: for columns c0 ..
      // c0+STRIPE-1, rows 0 .. c0+STRIPE-1 of P times the stripe's rows of P, transposed (the
      // upper triangle only: half the flops of the whole product).
      if (p.length < rest * bs) {
        p = new double[rest * bs];
        stripe = new double[STRIPE * bs];
        c = new double[rest * STRIPE];
      }
      for (int j = 0; j < bs; j++) {
        int rj = (kb + j) * n + e;
        for (int i = 0; i < rest; i++) {
          p[i * bs + j] = t[rj + i];
        }
      }
      for (int c0 = 0; c0 < rest; c0 += STRIPE) {
        int w = Math.min(STRIPE, rest - c0);
        int rows = c0 + w;
        System.arraycopy(p, c0 * bs, stripe, 0, w * bs);
        // The product negated (alpha = -1, exact), then added: x + (-y) is x - y, the same rounding.
        if (vector) {
          DoubleKernels.multTransB(rows, w, bs, -1, p, stripe, c);
        } else {
          ScalarDoubleKernels.multTransB(rows, w, bs, -1, p, stripe, c);
        }
        for (int r = 0; r < rows; r++) {
          int from = Math.max(c0, r);
          Dense.addTo(t, (e + r) * n + e + from, c, r * w + from - c0, c0 + w - from);
        }
      }
    }
    // L below the diagonal, from its rows above.
    Symmetric.mirrorUpper(t, n);
    return new Cholesky(n, t, vector);
  }

  /** The order n of the factored matrix. */
  public int size() {
    return n;
  }

  /** L_ij (i, j < n; zero above the diagonal). */
  public double get(int i, int j) {
    return j > i ? 0.0 : t[i * n + j];
  }

  /**
   * x = A^-1 b by L z = b and L^T x = z, both along the rows of L (each entry's sum in a fixed
   * order). {@code b} is not modified; x may be b.
   */
  public void solve(double[] b, double[] x) {
    if (b.length < n || x.length < n) {
      throw new IllegalArgumentException("vectors of length " + b.length + " and " + x.length
          + ", must be at least " + n);
    }
    if (x != b) {
      System.arraycopy(b, 0, x, 0, n);
    }
    // L z = b by rows: z_i = (b_i - L(i, 0..i-1) . z(0..i-1)) / L_ii, the sum in 8 partials
    // (CholeskyKernels.dot). The rows of L read last are read first by the next solve, while they
    // are still in the cache (at n = 1,000 the factor is 8 MB, a solve reads half of it).
    for (int i = 0; i < n; i++) {
      int ri = i * n;
      x[i] = (x[i] - CholeskyKernels.dot(t, ri, x, 0, i, vector)) / t[ri + i];
    }
    // L^T x = z: x_i final once the later rows are subtracted; row i of L is row i of t to column i.
    for (int i = n - 1; i >= 0; i--) {
      int ri = i * n;
      double xi = x[i] / t[ri + i];
      x[i] = xi;
      CholeskyKernels.subtractScaled(x, 0, xi, t, ri, i, vector);
    }
  }
}
