package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PackedDeepKernels#product} against the scalar reference, lane by lane and bit for bit: each
 * entry the chain of fused multiply-adds over the inner index from +0, then rectified as {@link
 * ScalarDoubleKernels#relu} or masked as {@link ScalarDoubleKernels#reluMask}. Every path of the
 * product: the one-pass tiles that rectify or mask in registers (inner <= 64), the blocked passes with
 * the epilogue after them (inner > 64), the strips (B's columns adjacent, A's rows adjacent or not),
 * the generic tiles (B's columns apart), the edge tiles of fewer than 4 rows or columns, and the
 * single-step outer product; at offsets on and off a cache line.
 */
class PackedDeepKernelsTest {
  private static final int L = PackedDeepKernels.LANES;

  @Test
  void everyPathHasTheBitsOfTheScalarChains() {
    assumeTrue(PackedDeepKernels.AVAILABLE, "needs the vector kernels");
    SplittableRandom rng = new SplittableRandom(42);
    int[][] shapes = {{1, 1, 1}, {5, 3, 1}, {6, 8, 1}, {7, 13, 10}, {9, 16, 64}, {6, 5, 65}, {13, 17, 70}, {4, 8, 130},
        {37, 19, 3}, {3, 2, 0}};
    int checked = 0;
    for (int[] shape : shapes) {
      int rows = shape[0];
      int cols = shape[1];
      int inner = shape[2];
      for (int mode : new int[] {PackedDeepKernels.PLAIN, PackedDeepKernels.RELU, PackedDeepKernels.MASK}) {
        for (boolean aTransposed : new boolean[] {false, true}) {
          for (boolean bTransposed : new boolean[] {false, true}) {
            for (int offset : new int[] {0, 3}) {
              check(rows, cols, inner, mode, aTransposed, bTransposed, offset, rng);
              checked++;
            }
          }
        }
      }
    }
    assertEquals(10 * 3 * 2 * 2 * 2, checked);
  }

  private static void check(int rows, int cols, int inner, int mode, boolean aTransposed, boolean bTransposed,
      int offset, SplittableRandom rng) {
    // A rows x inner: row-major (ars = inner, acs = 1) or stored transposed (ars = 1, acs = rows).
    int ars = aTransposed ? 1 : inner;
    int acs = aTransposed ? rows : 1;
    // B inner x cols: row-major (brs = cols, bcs = 1, the strips) or transposed (brs = 1, bcs = inner).
    int brs = bTransposed ? 1 : cols;
    int bcs = bTransposed ? inner : 1;
    int ao = offset * L;
    int bo = 2 * offset * L + L;
    int co = offset * L;
    int go = 5 * L;
    double[] a = values(ao + rows * inner * L, rng);
    double[] b = values(bo + inner * cols * L, rng);
    double[] gate = values(go + rows * cols * L, rng);
    double[] c = new double[co + rows * cols * L];
    java.util.Arrays.fill(c, Double.NaN);
    PackedDeepKernels.product(rows, cols, inner, a, ao, ars, acs, b, bo, brs, bcs, c, co, mode,
        mode == PackedDeepKernels.MASK ? gate : null, go);
    String where = "rows " + rows + ", cols " + cols + ", inner " + inner + ", mode " + mode + ", A "
        + (aTransposed ? "transposed" : "row-major") + ", B " + (bTransposed ? "transposed" : "row-major")
        + ", offset " + offset;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        for (int l = 0; l < L; l++) {
          double s = 0;
          for (int p = 0; p < inner; p++) {
            s = Math.fma(a[ao + (i * ars + p * acs) * L + l], b[bo + (p * brs + j * bcs) * L + l], s);
          }
          if (mode == PackedDeepKernels.RELU) {
            s = s > 0 ? s : 0;
          } else if (mode == PackedDeepKernels.MASK && !(gate[go + (i * cols + j) * L + l] > 0)) {
            s = 0;
          }
          int e = co + (i * cols + j) * L + l;
          assertEquals(Double.doubleToRawLongBits(s), Double.doubleToRawLongBits(c[e]),
              where + ": entry (" + i + ", " + j + ") lane " + l + ": " + s + " vs " + c[e]);
        }
      }
    }
  }

  /** Gaussian values with exact zeros of both signs and a NaN now and then (ReLU and mask edge cases). */
  private static double[] values(int size, SplittableRandom rng) {
    double[] v = new double[size];
    for (int e = 0; e < size; e++) {
      int k = rng.nextInt(40);
      v[e] = k == 0 ? 0.0 : k == 1 ? -0.0 : k == 2 ? Double.NaN : rng.nextGaussian();
    }
    return v;
  }
}
