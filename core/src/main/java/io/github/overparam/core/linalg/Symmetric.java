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
    int n = checkGramShapes(a, b, c);
    if (!Dense.vectorized()) {
      DMatrixRMaj inputs = new DMatrixRMaj(n, n);
      DMatrixRMaj deltas = new DMatrixRMaj(n, n);
      CommonOps_DDRM.multTransB(a, a, inputs);
      CommonOps_DDRM.multTransB(b, b, deltas);
      CommonOps_DDRM.elementMult(inputs, deltas);
      CommonOps_DDRM.addEquals(c, inputs);
      return;
    }
    int q = b.numCols;
    double[] stripeB = new double[Math.min(STRIPE + 1, n) * q];
    addStripes(a, c, (rows, c0, width, product) -> {
      System.arraycopy(b.data, c0 * q, stripeB, 0, width * q);
      DoubleKernels.multTransB(rows, width, q, 1.0, b.data, stripeB, product);
    });
  }

  /** Rows 0 .. c0 + width - 1 of one layer's delta product b b^T in columns c0 .. c0 + width - 1. */
  private interface StripeProduct {
    /** product (rows x width, row-major) = those entries; only j >= r - c0 of row r are read. */
    void fill(int rows, int c0, int width, double[] product);
  }

  /**
   * c += (a a^T) * (the delta product) elementwise, the upper triangle a stripe of {@link #STRIPE}
   * columns at a time (a a^T on the vector kernels, the delta product from {@code deltas}), then
   * mirrored.
   */
  private static void addStripes(DMatrixRMaj a, DMatrixRMaj c, StripeProduct deltas) {
    int n = a.numRows;
    int p = a.numCols;
    // A stripe of one column would be a single-column product, whose sums run in another order
    // (Dense: 8 partial sums): the last stripe takes that column too.
    int w = Math.min(STRIPE + 1, n);
    double[] stripeA = new double[w * p];
    double[] productA = new double[n * w];
    double[] productB = new double[n * w];
    double[] t = c.data;
    for (int c0 = 0, width; c0 < n; c0 += width) {
      width = n - c0 <= STRIPE + 1 ? n - c0 : STRIPE;
      int rows = c0 + width;
      System.arraycopy(a.data, c0 * p, stripeA, 0, width * p);
      DoubleKernels.multTransB(rows, width, p, 1.0, a.data, stripeA, productA);
      deltas.fill(rows, c0, width, productB);
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

  /**
   * {@link #addHadamardGram} where every entry of b is 0 or +-v for one v > 0, as the deltas of a
   * ReLU layer under a fixed +-1 output layer are (Du et al.'s two-layer net: v = the output scale):
   * then (b b^T)_ij = v^2 (agree_ij - disagree_ij), where agree counts the columns in which both
   * rows are nonzero with the same sign and disagree those with opposite signs. Both counts come
   * from bit sets of the nonzero entries and of the negative ones, 64 columns a word ({@link
   * Long#bitCount}), exact integers instead of a sum of q rounded products, about 64 times fewer
   * operations (n = q = 1,000: the bit sets and counts 8-10 ms; the Gram 19-26 ms, 38 with the product). Entry
   * (i, j) adds (a a^T)_ij (the bits of {@link #addHadamardGram}'s product) times (count * v^2),
   * two roundings, where the summed products round q times; the two agree to within q ulps.
   *
   * <p>Returns false, with c unchanged, when b does not have that form (any other value, NaN or
   * infinity among its entries) or the vector kernels are off; the caller then takes {@link
   * #addHadamardGram}.
   */
  public static boolean addHadamardSignGram(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    int n = checkGramShapes(a, b, c);
    if (!Dense.vectorized()) {
      return false; // the EJML path of addHadamardGram
    }
    int q = b.numCols;
    double v = firstMagnitude(b.data, n * q);
    if (!(v < Double.POSITIVE_INFINITY)) {
      return false;
    }
    int words = Signs.words(q);
    long[] nonzero = new long[Math.max(1, n * words)];
    long[] negative = new long[nonzero.length];
    int form = signBits(b.data, n, q, v, nonzero, negative);
    if (form == NOT_SIGNS) {
      return false;
    }
    boolean mixed = form == MIXED_SIGNS;
    double v2 = v * v;
    long[] counts = new long[Math.min(STRIPE + 1, n)];
    addStripes(a, c, (rows, c0, width, product) -> {
      for (int r = 0; r < rows; r++) {
        int j0 = Math.max(0, r - c0);
        count(nonzero, r, c0, j0, width, words, counts);
        if (mixed) {
          // Columns where both are nonzero with opposite signs count -1, not +1.
          disagree(nonzero, negative, r, c0, j0, width, words, counts);
        }
        int po = r * width;
        for (int j = j0; j < width; j++) {
          product[po + j] = counts[j] * v2;
        }
      }
    });
    return true;
  }

  /**
   * counts[j] = the bits row r of {@code bits} shares with row c0 + j (rows of {@code words} words),
   * for j from j0 below width: four rows at a time, each word of row r read once for them (four
   * independent sums; one at a time ran about 15% slower).
   */
  private static void count(long[] bits, int r, int c0, int j0, int width, int words, long[] counts) {
    int ri = r * words;
    int j = j0;
    for (; j + 3 < width; j += 4) {
      int o = (c0 + j) * words;
      long s0 = 0;
      long s1 = 0;
      long s2 = 0;
      long s3 = 0;
      for (int k = 0; k < words; k++) {
        long word = bits[ri + k];
        s0 += Long.bitCount(word & bits[o + k]);
        s1 += Long.bitCount(word & bits[o + words + k]);
        s2 += Long.bitCount(word & bits[o + 2 * words + k]);
        s3 += Long.bitCount(word & bits[o + 3 * words + k]);
      }
      counts[j] = s0;
      counts[j + 1] = s1;
      counts[j + 2] = s2;
      counts[j + 3] = s3;
    }
    for (; j < width; j++) {
      int o = (c0 + j) * words;
      long s = 0;
      for (int k = 0; k < words; k++) {
        s += Long.bitCount(bits[ri + k] & bits[o + k]);
      }
      counts[j] = s;
    }
  }

  /** counts[j] -= 2 * the columns where rows r and c0 + j are both nonzero with opposite signs. */
  private static void disagree(long[] nonzero, long[] negative, int r, int c0, int j0, int width, int words,
      long[] counts) {
    int ri = r * words;
    for (int j = j0; j < width; j++) {
      int o = (c0 + j) * words;
      long s = 0;
      for (int k = 0; k < words; k++) {
        s += Long.bitCount(nonzero[ri + k] & nonzero[o + k] & (negative[ri + k] ^ negative[o + k]));
      }
      counts[j] -= 2 * s;
    }
  }

  /** The magnitude of the first nonzero of the first {@code size} entries of {@code b}; 0 when all are zero. */
  private static double firstMagnitude(double[] b, int size) {
    for (int e = 0; e < size; e++) {
      if (b[e] != 0) {
        return Math.abs(b[e]);
      }
    }
    return 0;
  }

  /** {@link #signBits}: an entry is neither 0 nor +-v. */
  private static final int NOT_SIGNS = -1;
  /** {@link #signBits}: every column's nonzero entries have one sign. */
  private static final int COLUMN_SIGNS = 0;
  /** {@link #signBits}: some column holds nonzero entries of both signs. */
  private static final int MIXED_SIGNS = 1;

  /**
   * Bit k & 63 of word i * words + k / 64 of {@code nonzero} says b_ik != 0, of {@code negative} that
   * b_ik < 0 (b is n x q, row-major; -0.0 is zero). Returns {@link #NOT_SIGNS} when an entry is
   * neither 0 nor +-v (NaN included), else {@link #MIXED_SIGNS} or {@link #COLUMN_SIGNS}.
   */
  static int signBits(double[] b, int n, int q, double v, long[] nonzero, long[] negative) {
    int words = Signs.words(q);
    long[] seenNegative = new long[words];
    long[] seenPositive = new long[words];
    long magnitude = Double.doubleToRawLongBits(v);
    long other = 0;
    // Without a branch per entry (zeros and signs alternate at random in a ReLU layer's deltas: a
    // branch would mispredict half the time), on the bits: |x| as bits is nonzero where x != 0, and
    // min(|x|, |x| ^ |v|) nonzero where |x| is neither 0 nor |v|.
    for (int i = 0; i < n; i++) {
      for (int word = 0; word < words; word++) {
        int from = i * q + (word << 6);
        int count = Math.min(64, q - (word << 6));
        long nz = 0;
        long neg = 0;
        for (int k = 0; k < count; k++) {
          long raw = Double.doubleToRawLongBits(b[from + k]);
          long abs = raw & Long.MAX_VALUE;
          long isNonzero = -abs >>> 63;
          other |= Math.min(abs, abs ^ magnitude);
          nz |= isNonzero << k;
          neg |= (raw >>> 63 & isNonzero) << k;
        }
        nonzero[i * words + word] = nz;
        negative[i * words + word] = neg;
        seenNegative[word] |= neg;
        seenPositive[word] |= nz & ~neg;
      }
    }
    if (other != 0) {
      return NOT_SIGNS;
    }
    for (int k = 0; k < words; k++) {
      if ((seenNegative[k] & seenPositive[k]) != 0) {
        return MIXED_SIGNS;
      }
    }
    return COLUMN_SIGNS;
  }

  /** The n of a Gram's a (n x p), b (n x q) and c (n x n), after checking those shapes. */
  private static int checkGramShapes(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    int n = a.numRows;
    if (b.numRows != n || c.numRows != n || c.numCols != n) {
      throw new IllegalArgumentException("a is " + a.numRows + " x " + a.numCols + ", b " + b.numRows + " x "
          + b.numCols + ", c " + c.numRows + " x " + c.numCols + ": a and b need as many rows as c, which"
          + " must be square");
    }
    return n;
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
      mirrorUpper(t, N);
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
