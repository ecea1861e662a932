package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gate panels of a two-layer ReLU net with one output, on every blocking the machine could
 * choose ({@link Blocking#candidates}) and shapes around their blocks (points across inner blocks
 * and tiles, units across panels, column blocks and the partial sums' tail, inputs up to the inner
 * block), in float64 and float32, with the panels starting at an entry that is not the array's
 * first:
 *
 * <ul>
 *   <li>the forward pass gives the bits of f of the products it replaces ({@code multRelu}, then
 *       {@code mult}), and a gate of exactly 1 where their h > 0 and 0 elsewhere, where {@link
 *       DoublePackedKernels#gateOffset} says; {@code gatePattern} reads back h > 0 as bits and
 *       counts the entries that differ from another pattern;
 *   <li>the same pass writing h itself row by row ({@code reluForwardRows}) gives the bits of
 *       their h and f, every entry of h written;
 *   <li>the gradient has the bits of its definition computed entry by entry: a_j times the chain
 *       fma((x_ik delta_i), gate_ij, s) over i in order.
 * </ul>
 */
class GatePanelsTest {

  private static final int[] N = {1, 5, 13, 130};
  private static final int[] M = {1, 7, 17, 50, 100, 333};

  @Test
  void forwardAndGradientHaveTheBitsOfTheirDefinitions() {
    SplittableRandom rng = new SplittableRandom(31);
    int cases = 0;
    for (Blocking bl : Blocking.candidates()) {
      for (int n : N) {
        for (int m : M) {
          for (int d : new int[] {1, 3, Math.min(bl.kb(), 20), bl.kb()}) {
            check(bl, n, d, m, rng);
            cases++;
          }
        }
      }
    }
    assertTrue(cases >= 150, cases + " cases");
  }

  private static void check(Blocking bl, int n, int d, int m, SplittableRandom rng) {
    String shape = bl.describe() + ", " + n + " x " + d + " -> " + m;
    double[] x = random(n * d, rng);
    double[] w = random(d * m, rng);
    double[] a = random(m, rng);
    double[] delta = random(n, rng);
    delta[0] = 0;
    double[] h = new double[n * m];
    double[] f = new double[n];
    DoubleKernels.multRelu(n, m, d, 1, x, w, h, h);
    DoubleKernels.mult(n, 1, m, 0.7, h, a, f);
    int g0 = 3;
    double[] gates = new double[g0 + n * DoublePackedKernels.panelColumns(bl, m)];
    double[] pf = new double[n];
    DoubleKernels.Scratch scratch = new DoubleKernels.Scratch();
    DoublePackedKernels.reluForwardPanels(bl, n, d, m, 0.7, x, w, a, gates, g0, pf, scratch);
    assertArrayEquals(f, pf, "f64 f " + shape);
    double[] rh = new double[n * m];
    Arrays.fill(rh, Double.NaN);
    double[] rf = new double[n];
    DoublePackedKernels.reluForwardRows(bl, n, d, m, 0.7, x, w, a, rh, rf, scratch);
    assertArrayEquals(h, rh, "f64 rows h " + shape);
    assertArrayEquals(f, rf, "f64 rows f " + shape);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double g = gates[g0 + DoublePackedKernels.gateOffset(bl, n, d, m, i, j)];
        assertEquals(h[i * m + j] > 0 ? 1.0 : 0.0, g, "f64 gate " + i + ", " + j + " of " + shape);
      }
    }
    long[] expected = new long[Signs.words(n * m)];
    Signs.positive(h, n * m, expected);
    long[] bits = new long[expected.length];
    bits[0] = -1L;
    DoublePackedKernels.gatePattern(bl, n, d, m, gates, g0, bits, false);
    assertArrayEquals(expected, bits, "f64 pattern " + shape);
    bits[0] ^= 5L;
    long differ = Math.min(2, n * m);
    assertEquals(differ, DoublePackedKernels.gatePattern(bl, n, d, m, gates, g0, bits, true), "f64 flips " + shape);
    double[] grad = new double[d * m];
    DoublePackedKernels.panelGradient(bl, n, d, m, x, delta, a, gates, g0, new double[n * d], grad, scratch);
    assertArrayEquals(gradient(n, d, m, x, delta, a, h), grad, "f64 gradient " + shape);

    float[] fx = Kernels.toFloat(x);
    float[] fw = Kernels.toFloat(w);
    float[] fa = Kernels.toFloat(a);
    float[] fdelta = Kernels.toFloat(delta);
    float[] fh = new float[n * m];
    float[] ff = new float[n];
    FloatKernels.multRelu(n, m, d, 1f, fx, fw, fh, fh);
    FloatKernels.mult(n, 1, m, 0.7f, fh, fa, ff);
    float[] fgates = new float[g0 + n * FloatPackedKernels.panelColumns(bl, m)];
    float[] fpf = new float[n];
    FloatKernels.Scratch fscratch = new FloatKernels.Scratch();
    FloatPackedKernels.reluForwardPanels(bl, n, d, m, 0.7f, fx, fw, fa, fgates, g0, fpf, fscratch);
    assertArrayEquals(ff, fpf, "f32 f " + shape);
    long[] fexpected = new long[expected.length];
    Signs.positive(fh, n * m, fexpected);
    long[] fbits = new long[expected.length];
    FloatPackedKernels.gatePattern(bl, n, d, m, fgates, g0, fbits, false);
    assertArrayEquals(fexpected, fbits, "f32 pattern " + shape);
    float[] fgrad = new float[d * m];
    FloatPackedKernels.panelGradient(bl, n, d, m, fx, fdelta, fa, fgates, g0, new float[n * d], fgrad, fscratch);
    assertArrayEquals(gradient(n, d, m, fx, fdelta, fa, fh), fgrad, "f32 gradient " + shape);
  }

  /** a_j times the chain fma(fl(x_ik delta_i), [h_ij > 0], s) over i in order. */
  private static double[] gradient(int n, int d, int m, double[] x, double[] delta, double[] a, double[] h) {
    double[] g = new double[d * m];
    for (int k = 0; k < d; k++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s = Math.fma(x[i * d + k] * delta[i], h[i * m + j] > 0 ? 1 : 0, s);
        }
        g[k * m + j] = s * a[j];
      }
    }
    return g;
  }

  private static float[] gradient(int n, int d, int m, float[] x, float[] delta, float[] a, float[] h) {
    float[] g = new float[d * m];
    for (int k = 0; k < d; k++) {
      for (int j = 0; j < m; j++) {
        float s = 0;
        for (int i = 0; i < n; i++) {
          s = Math.fma(x[i * d + k] * delta[i], h[i * m + j] > 0 ? 1f : 0f, s);
        }
        g[k * m + j] = s * a[j];
      }
    }
    return g;
  }

  private static double[] random(int size, SplittableRandom rng) {
    double[] v = new double[size];
    for (int e = 0; e < size; e++) {
      v[e] = rng.nextDouble(-1, 1);
    }
    return v;
  }
}
