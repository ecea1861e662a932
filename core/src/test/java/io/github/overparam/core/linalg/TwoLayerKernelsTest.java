package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The fused passes of a two-layer ReLU net give the bits of the products they replace, in float64
 * and float32: the forward pass ({@link Kernels#reluForward}: the product, its ReLU and the
 * single-column output product; h and f, and h > 0 exactly where the product is, which it does not
 * store) on shapes around its blocks (4 rows, 2 vectors of columns, the
 * partial sums, the tail columns, inputs that are zero or NaN), and the first-layer gradient
 * ({@link Kernels#reluOuterGradient}: the masked outer product, then x^T times it) on the vector
 * kernels and the scalar fallback, around its blocks (10 rows of the gradient per pass, a vector of
 * columns, the scalar tail; with more inputs, the masked product formed while packing the panels
 * of x^T g, over several inner blocks), with gates that are negative, zero or NaN and deltas of either sign,
 * zero included. Nets of half a vector of units ({@code pairs}: two rows per vector) are among
 * the shapes on every vector width, odd n and d included.
 */
class TwoLayerKernelsTest {

  private static final int[] N = {1, 3, 4, 7, 8, 9, 13, 17, 22, 128, 300};
  private static final int[] D = {1, 2, 9, 10, 11, 16, 17, 20};
  private static final int[] M = {1, 2, 3, 4, 5, 8, 9, 11, 13, 15, 19, 23, 31, 32, 33, 64, 257};

  @Test
  void theFusedGradientHasTheBitsOfTheTwoProducts() {
    SplittableRandom rng = new SplittableRandom(18);
    int fusedCases = 0;
    int packedCases = 0;
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
          fusedCases += Kernels.fused(d, m) && m >= DoubleKernels.VL ? 1 : 0;
          // Wider inputs: the masked outer product formed as the packed product packs its panels.
          packedCases += !Kernels.fused(d, m) && m > 1 && DoubleKernels.packed(d, m, n) ? 1 : 0;
          double[] direct = new double[d * m];
          DoubleTwoLayerKernels.reluOuterGradient(n, d, m, x, delta, a, gate, direct);
          assertArrayEquals(expected, direct, "f64 fused pass " + shape);

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
          float[] fdirect = new float[d * m];
          FloatTwoLayerKernels.reluOuterGradient(n, d, m, fx, fdelta, fa, fgate, fdirect);
          assertArrayEquals(fexpected, fdirect, "f32 fused pass " + shape);
          float[] fscalar = new float[d * m];
          ScalarFloatKernels.reluOuterGradient(n, d, m, fx, fdelta, fa, fgate, fscalar);
          assertArrayEquals(fexpected, fscalar, "f32 scalar " + shape);
        }
      }
    }
    assertTrue(fusedCases >= 150, "the fused pass ran on " + fusedCases + " shapes");
    assertTrue(packedCases >= 20, "the masked panels were packed on " + packedCases + " shapes");
  }

  @Test
  void theFusedForwardPassHasTheBitsOfTheThreeProducts() {
    SplittableRandom rng = new SplittableRandom(6);
    for (int n : N) {
      for (int d : D) {
        for (int m : M) {
          double[] x = random(n * d, rng);
          double[] w = random(d * m, rng);
          double[] a = random(m, rng);
          x[0] = 0;
          if (n > 3) {
            x[3 * d] = Double.NaN;
          }
          double[] z = new double[n * m];
          double[] h = new double[n * m];
          double[] f = new double[n];
          DoubleKernels.multRelu(n, m, d, 1, x, w, z, h);
          DoubleKernels.mult(n, 1, m, 0.7, h, a, f);
          double[] fz = new double[n * m];
          double[] fh = new double[n * m];
          double[] ff = new double[n];
          Kernels.reluForward(n, d, m, 0.7, x, w, a, fz, fh, ff);
          String shape = n + " x " + d + " -> " + m;
          // z is scratch (the fused pass does not store it); h carries the activation pattern.
          assertArrayEquals(h, fh, "h " + shape);
          for (int e = 0; e < n * m; e++) {
            assertEquals(z[e] > 0, fh[e] > 0, "pattern, entry " + e + " of " + shape);
          }
          assertArrayEquals(f, ff, "f " + shape);

          float[] sx = Kernels.toFloat(x);
          float[] sw = Kernels.toFloat(w);
          float[] sa = Kernels.toFloat(a);
          float[] sz = new float[n * m];
          float[] sh = new float[n * m];
          float[] sf = new float[n];
          FloatKernels.multRelu(n, m, d, 1, sx, sw, sz, sh);
          FloatKernels.mult(n, 1, m, 0.7f, sh, sa, sf);
          float[] gz = new float[n * m];
          float[] gh = new float[n * m];
          float[] gf = new float[n];
          Kernels.reluForward(n, d, m, 0.7f, sx, sw, sa, gz, gh, gf);
          assertArrayEquals(sh, gh, "f32 h " + shape);
          for (int e = 0; e < n * m; e++) {
            assertEquals(sz[e] > 0, gh[e] > 0, "f32 pattern, entry " + e + " of " + shape);
          }
          assertArrayEquals(sf, gf, "f32 f " + shape);
        }
      }
    }
    assertTrue(DoubleTwoLayerKernels.FORWARD, "the fused forward pass runs on this machine's vector width");
    assertTrue(DoubleTwoLayerKernels.pairs(DoubleKernels.VL / 2) && FloatTwoLayerKernels.pairs(FloatKernels.VL / 2),
        "the paired passes (m = half a vector) ran");
  }

  @Test
  void theProductForwardPassRectifiesInPlaceAcrossColumnBlocksWithTheBitsOfTheProducts() {
    // d > 16: the product path, h rectified in place in the product's epilogue, block of columns
    // after block (m spans several of them), packed (n >= 4) or read in place (n = 3); where x w
    // is packed, the float64 pass that sums f from the tiles as it writes h (forwardRows), and
    // writes the gates as bytes for the gradient (gateBytes).
    SplittableRandom rng = new SplittableRandom(8);
    boolean gateBytesSeen = false;
    int d = 19;
    int wideF64 = Blocking.CHOSEN.panels() * Blocking.CHOSEN.vectors() * DoubleKernels.VL;
    int wideF32 = Blocking.CHOSEN.panels() * Blocking.CHOSEN.vectors() * FloatKernels.VL;
    for (int n : new int[] {3, 5, 37}) {
      for (int m : new int[] {2 * wideF64 + 37, 2 * wideF32 + 21}) {
        double[] x = random(n * d, rng);
        double[] w = random(d * m, rng);
        double[] a = random(m, rng);
        x[d + 2] = Double.NaN;
        double[] h = new double[n * m];
        double[] f = new double[n];
        DoubleKernels.multRelu(n, m, d, 1, x, w, new double[n * m], h);
        DoubleKernels.mult(n, 1, m, 0.3, h, a, f);
        double[] fh = new double[n * m];
        double[] ff = new double[n];
        Kernels.reluForward(n, d, m, 0.3, x, w, a, new double[n * m], fh, ff);
        String shape = n + " x " + d + " -> " + m;
        assertEquals(n > 3 && Dense.vectorized(), Kernels.forwardRows(n, d, m), "the rows pass for " + shape);
        assertArrayEquals(h, fh, "h " + shape);
        assertArrayEquals(f, ff, "f " + shape);
        if (Kernels.gateBytes(n, d, m)) {
          // The same pass writing the gates as bytes too: the same h and f, and the gradient from
          // the bytes has the bits of the one from h.
          byte[] gateBytes = new byte[n * m];
          Kernels.reluForward(n, d, m, 0.3, x, w, a, new double[n * m], fh, ff, gateBytes);
          assertArrayEquals(h, fh, "h with gate bytes " + shape);
          assertArrayEquals(f, ff, "f with gate bytes " + shape);
          double[] delta = random(n, rng);
          double[] fromH = new double[d * m];
          double[] fromBytes = new double[d * m];
          Kernels.reluOuterGradient(n, d, m, x, delta, a, h, null, new double[n * m], fromH);
          Kernels.reluOuterGradient(n, d, m, x, delta, a, h, gateBytes, new double[n * m], fromBytes);
          assertArrayEquals(fromH, fromBytes, "gradient from gate bytes " + shape);
          gateBytesSeen = true;
        }

        float[] sx = Kernels.toFloat(x);
        float[] sw = Kernels.toFloat(w);
        float[] sa = Kernels.toFloat(a);
        float[] sh = new float[n * m];
        float[] sf = new float[n];
        FloatKernels.multRelu(n, m, d, 1, sx, sw, new float[n * m], sh);
        FloatKernels.mult(n, 1, m, 0.3f, sh, sa, sf);
        float[] gh = new float[n * m];
        float[] gf = new float[n];
        Kernels.reluForward(n, d, m, 0.3f, sx, sw, sa, new float[n * m], gh, gf);
        assertArrayEquals(sh, gh, "f32 h " + shape);
        assertArrayEquals(sf, gf, "f32 f " + shape);
        // Row 1's pre-activations are all NaN, which is not > 0: its h and so its output are 0.
        assertTrue(ff[1] == 0 && gf[1] == 0, "row 1's output " + ff[1] + ", " + gf[1]);
      }
    }
    assertEquals(Dense.vectorized(), gateBytesSeen, "a shape whose gradient reads gate bytes");
    assertThrows(IllegalArgumentException.class,
        () -> Kernels.reluForward(3, d, 40, 0.3, new double[3 * d], new double[d * 40], new double[40],
            new double[120], new double[120], new double[3], new byte[120]), "gate bytes where the pass writes none");
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
    DMatrixRMaj w = DMatrixRMaj.wrap(d, m, random(d * m, rng));
    DMatrixRMaj z = new DMatrixRMaj(n, m);
    DMatrixRMaj h = new DMatrixRMaj(n, m);
    DMatrixRMaj f = new DMatrixRMaj(n, 1);
    Dense.multRelu(1.0, x, w, z, h);
    Dense.mult(0.25, h, a, f);
    DMatrixRMaj fz = new DMatrixRMaj(n, m);
    DMatrixRMaj fh = new DMatrixRMaj(n, m);
    DMatrixRMaj ff = new DMatrixRMaj(n, 1);
    Dense.reluForward(0.25, x, w, a, fz, fh, ff);
    assertArrayEquals(h.data, fh.data);
    assertArrayEquals(f.data, ff.data);
  }

  private static double[] random(int size, SplittableRandom rng) {
    double[] v = new double[size];
    for (int e = 0; e < size; e++) {
      v[e] = rng.nextDouble(-1, 1);
    }
    return v;
  }
}
