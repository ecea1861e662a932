package io.github.overparam.core.linalg;
import java.util.Arrays;

/**
 * Plain-Java fallback of {@link DoubleKernels} for a JVM without {@code jdk.incubator.vector}, used
 * by {@link Kernels} (Dense falls back to EJML instead). Every product entry is the same sequential
 * chain of fused multiply-adds as in the vector kernels, and single-column products the same
 * {@link #PARTIALS} partial sums ({@link #multVec}), so the results are bit-identical to theirs on
 * every vector width. Slow but exact: a JVM
 * started without the module still runs, and says so in the log ({@link Dense}).
 *
 * <p>ScalarFloatKernels is generated from this file by {@code scripts/gen-float-kernels.sh}.
 */
final class ScalarDoubleKernels {
  private ScalarDoubleKernels() {}

  /**
   * c (rows x cols) = alpha A B, A(i, p) = a[i * ars + p * acs], B(p, j) = b[p * brs + j * bcs];
   * rows of c accumulated p by p (an axpy the JIT can vectorize), then scaled.
   */
  static void gemm(int rows, int cols, int inner, double alpha, double[] a, int ars, int acs, double[] b, int brs,
      int bcs, double[] c) {
    for (int i = 0; i < rows; i++) {
      int ci = i * cols;
      Arrays.fill(c, ci, ci + cols, 0);
      for (int p = 0; p < inner; p++) {
        double x = a[i * ars + p * acs];
        int bp = p * brs;
        for (int j = 0; j < cols; j++) {
          c[ci + j] = Math.fma(x, b[bp + j * bcs], c[ci + j]);
        }
      }
      if (alpha != 1) {
        for (int j = 0; j < cols; j++) {
          c[ci + j] *= alpha;
        }
      }
    }
  }

  /** Partial sums of a single-column product, as in {@link DoubleKernels#PARTIALS}. */
  static final int PARTIALS = 64 / Double.BYTES;

  /**
   * c (rows x 1) = alpha a v as {@link DoubleKernels#multVec} computes it, one partial sum after the
   * other: partial k chains the inner indices p = k mod PARTIALS below the last multiple of
   * PARTIALS, the partials are added in order from zero, then the tail p by p, then alpha scales.
   */
  static void multVec(int rows, int inner, double alpha, double[] a, double[] v, double[] c) {
    int bound = inner - inner % PARTIALS;
    for (int i = 0; i < rows; i++) {
      int a0 = i * inner;
      double sum = 0;
      for (int k = 0; k < PARTIALS; k++) {
        double partial = 0;
        for (int p = k; p < bound; p += PARTIALS) {
          partial = Math.fma(a[a0 + p], v[p], partial);
        }
        sum += partial;
      }
      for (int p = bound; p < inner; p++) {
        sum = Math.fma(a[a0 + p], v[p], sum);
      }
      c[i] = alpha * sum;
    }
  }

  static void mult(int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] c) {
    if (cols == 1 && inner > 1) {
      multVec(rows, inner, alpha, a, b, c);
      return;
    }
    gemm(rows, cols, inner, alpha, a, inner, 1, b, cols, 1, c);
  }

  static void multTransA(int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] c) {
    gemm(rows, cols, inner, alpha, a, 1, rows, b, cols, 1, c);
  }

  static void multTransB(int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] c) {
    if (cols == 1 && inner > 1) {
      multVec(rows, inner, alpha, a, b, c);
      return;
    }
    gemm(rows, cols, inner, alpha, a, inner, 1, b, 1, inner, c);
  }

  static void multRelu(int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] z,
      double[] h) {
    mult(rows, cols, inner, alpha, a, b, z);
    relu(z, h, rows * cols);
  }

  static void multTransBMasked(int rows, int cols, int inner, double alpha, double[] a, double[] b,
      double[] gate, double[] c) {
    multTransB(rows, cols, inner, alpha, a, b, c);
    reluMask(c, gate, rows * cols);
  }

  /**
   * grad (d x m) = x^T ((delta a^T) where gate > 0, else 0), as {@link
   * DoubleTwoLayerKernels#reluOuterGradient} computes it: the masked outer product, then the
   * chain over the rows of x.
   */
  static void reluOuterGradient(int n, int d, int m, double[] x, double[] delta, double[] a, double[] gate,
      double[] grad) {
    for (int p = 0; p < d; p++) {
      for (int r = 0; r < m; r++) {
        grad[p * m + r] = reluOuterGradientEntry(n, d, m, p, r, x, delta, a, gate);
      }
    }
  }

  /** Entry (p, r) of {@link #reluOuterGradient}. */
  static double reluOuterGradientEntry(int n, int d, int m, int p, int r, double[] x, double[] delta, double[] a,
      double[] gate) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      double g = gate[i * m + r] > 0 ? Math.fma(delta[i], a[r], 0) : 0;
      s = Math.fma(x[i * d + p], g, s);
    }
    return s;
  }

  static void relu(double[] z, double[] h, int size) {
    for (int e = 0; e < size; e++) {
      double v = z[e];
      h[e] = v > 0 ? v : 0;
    }
  }

  static void reluMask(double[] g, double[] z, int size) {
    for (int e = 0; e < size; e++) {
      if (!(z[e] > 0)) {
        g[e] = 0;
      }
    }
  }

  static void addScaled(double[] w, double alpha, double[] g, int size) {
    for (int e = 0; e < size; e++) {
      w[e] = Math.fma(alpha, g[e], w[e]);
    }
  }
}
