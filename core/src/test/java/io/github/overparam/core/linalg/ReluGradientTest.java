package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The fused first-layer gradient of a two-layer ReLU net ({@link Kernels#reluOuterGradient}) gives
 * the bits of the two products it replaces (the masked outer product, then x^T times it), in
 * float64 and float32, on the vector kernels and the scalar fallback, on shapes around its blocks
 * (10 rows of the gradient per pass, a vector of columns, the scalar tail) and with gates that are
 * negative, zero or NaN and deltas of either sign, zero included.
 */
class ReluGradientTest {

  private static final int[] N = {1, 3, 4, 17, 128, 300};
  private static final int[] D = {1, 2, 9, 10, 11, 16, 17, 20};
  private static final int[] M = {1, 3, 4, 5, 8, 9, 32, 33, 64, 257};

  @Test
  void theFusedGradientHasTheBitsOfTheTwoProducts() {
    SplittableRandom rng = new SplittableRandom(18);
    int fusedCases = 0;
    for (int n : N) {
      for (int d : D) {
        for (int m : M) {
          double[] x = random(n * d, rng);
          double[] delta = random(n, rng);
          double[] a = random(m, rng);
          double[] gate = random(n * m, rng);
          delta[0] = 0;
          gate[0] = Double.NaN;
          gate[gate.length - 1] = 0;
          double[] g = new double[n * m];
          double[] expected = new double[d * m];
          DoubleKernels.multTransBMasked(n, m, 1, 1, delta, a, gate, g);
          DoubleKernels.multTransA(d, m, n, 1, x, g, expected);
          double[] fused = new double[d * m];
          Kernels.reluOuterGradient(n, d, m, x, delta, a, gate, new double[n * m], fused);
          String shape = n + " x " + d + " -> " + m;
          assertArrayEquals(expected, fused, "f64 " + shape);
          double[] scalar = new double[d * m];
          ScalarDoubleKernels.reluOuterGradient(n, d, m, x, delta, a, gate, scalar);
          assertArrayEquals(expected, scalar, "f64 scalar " + shape);
          fusedCases += Kernels.fused(d, m) ? 1 : 0;

          float[] fx = Kernels.toFloat(x);
          float[] fdelta = Kernels.toFloat(delta);
          float[] fa = Kernels.toFloat(a);
          float[] fgate = Kernels.toFloat(gate);
          float[] fg = new float[n * m];
          float[] fexpected = new float[d * m];
          FloatKernels.multTransBMasked(n, m, 1, 1, fdelta, fa, fgate, fg);
          FloatKernels.multTransA(d, m, n, 1, fx, fg, fexpected);
          float[] ffused = new float[d * m];
          Kernels.reluOuterGradient(n, d, m, fx, fdelta, fa, fgate, new float[n * m], ffused);
          assertArrayEquals(fexpected, ffused, "f32 " + shape);
          float[] fscalar = new float[d * m];
          ScalarFloatKernels.reluOuterGradient(n, d, m, fx, fdelta, fa, fgate, fscalar);
          assertArrayEquals(fexpected, fscalar, "f32 scalar " + shape);
        }
      }
    }
    assertTrue(fusedCases > 300, "the fused pass ran on " + fusedCases + " shapes");
  }

  @Test
  void denseTakesTheFusedPathWithTheSameBits() {
    SplittableRandom rng = new SplittableRandom(7);
    int n = 256;
    int d = 10;
    int m = 32;
    DMatrixRMaj x = DMatrixRMaj.wrap(n, d, random(n * d, rng));
    DMatrixRMaj delta = DMatrixRMaj.wrap(n, 1, random(n, rng));
    DMatrixRMaj a = DMatrixRMaj.wrap(m, 1, random(m, rng));
    DMatrixRMaj gate = DMatrixRMaj.wrap(n, m, random(n * m, rng));
    DMatrixRMaj g = new DMatrixRMaj(n, m);
    DMatrixRMaj expected = new DMatrixRMaj(d, m);
    Dense.multTransBMasked(delta, a, gate, g);
    Dense.multTransA(x, g, expected);
    DMatrixRMaj grad = new DMatrixRMaj(d, m);
    Dense.reluOuterGradient(x, delta, a, gate, new DMatrixRMaj(n, m), grad);
    assertArrayEquals(expected.data, grad.data);
  }

  private static double[] random(int size, SplittableRandom rng) {
    double[] v = new double[size];
    for (int e = 0; e < size; e++) {
      v[e] = rng.nextDouble(-1, 1);
    }
    return v;
  }
}
