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
 *       their h and f, every entry of h written, and with gate bytes, entry i m + j 1 exactly where h
 *       > 0 and 0 elsewhere; the masked gradient product reading its gates from those bytes has the
 *       bits of the one reading h (both precisions);
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

  /**
   * The masked gradient product reading its gates as bytes has the bits of the one reading h in
   * both of its packing orders: each panel packed just before its tiles (panels outer), and all
   * panels first (tiles outer: a row of c 512 doubles long), over several inner blocks.
   */
  @Test
  void gateBytesGiveTheGradientsBitsInBothPackingOrders() {
    SplittableRandom rng = new SplittableRandom(37);
    Blocking bl = Blocking.CHOSEN;
    int wide = bl.vectors() * DoubleKernels.VL;
    boolean[] seen = new boolean[2];
    for (int m : new int[] {333, 512}) {
      int n = 2 * bl.kb() + 5;
      int d = 24;
      double[] x = random(n * d, rng);
      double[] a = random(m, rng);
      double[] delta = random(n, rng);
      double[] h = random(n * m, rng);
      byte[] gateBytes = new byte[n * m];
      for (int e = 0; e < h.length; e++) {
        h[e] = Math.max(h[e], 0);
        gateBytes[e] = (byte) (h[e] > 0 ? 1 : 0);
      }
      seen[DoublePackedKernels.panelsOuter(d, m, bl.kb(), wide) ? 1 : 0] = true;
      double[] fromGate = new double[d * m];
      double[] fromBytes = new double[d * m];
      DoubleKernels.Scratch scratch = new DoubleKernels.Scratch();
      DoublePackedKernels.gemmPacked(bl, d, m, n, 1, x, 1, d, a, false, delta, h, null, fromGate, DoubleKernels.NONE,
          null, scratch);
      DoublePackedKernels.gemmPacked(bl, d, m, n, 1, x, 1, d, a, false, delta, h, gateBytes, fromBytes,
          DoubleKernels.NONE, null, scratch);
      assertArrayEquals(fromGate, fromBytes, "gradient from gate bytes, m " + m);
    }
    assertTrue(seen[0] && seen[1], "both packing orders: tiles outer " + seen[0] + ", panels outer " + seen[1]);
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
    DoublePackedKernels.reluForwardRows(bl, n, d, m, 0.7, x, w, a, rh, null, rf, scratch);
    assertArrayEquals(h, rh, "f64 rows h " + shape);
    assertArrayEquals(f, rf, "f64 rows f " + shape);
    // With gate bytes: the same h and f, and entry i m + j 1 exactly where h > 0, else 0 (stale
    // entries overwritten); the gradient reading its gates from the bytes has the bits of the one
    // reading h.
    byte[] gateBytes = new byte[n * m];
    Arrays.fill(gateBytes, (byte) 7);
    Arrays.fill(rh, Double.NaN);
    DoublePackedKernels.reluForwardRows(bl, n, d, m, 0.7, x, w, a, rh, gateBytes, rf, scratch);
    assertArrayEquals(h, rh, "f64 rows h with gate bytes " + shape);
    assertArrayEquals(f, rf, "f64 rows f with gate bytes " + shape);
    assertArrayEquals(gatesOf(h), gateBytes, "f64 gate bytes " + shape);
    double[] fromGate = new double[d * m];
    double[] fromBytes = new double[d * m];
    DoublePackedKernels.gemmPacked(bl, d, m, n, 1, x, 1, d, a, false, delta, h, null, fromGate, DoubleKernels.NONE,
        null, scratch);
    DoublePackedKernels.gemmPacked(bl, d, m, n, 1, x, 1, d, a, false, delta, h, gateBytes, fromBytes,
        DoubleKernels.NONE, null, scratch);
    assertArrayEquals(fromGate, fromBytes, "f64 masked gradient from gate bytes " + shape);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double g = gates[g0 + DoublePackedKernels.gateOffset(bl, n, d, m, i, j)];
        assertEquals(h[i * m + j] > 0 ? 1.0 : 0.0, g, "f64 gate " + i + ", " + j + " of " + shape);
      }
      // The last panel's padding past m (to whole vectors): zero gates.
      for (int j = m; j < (m + DoubleKernels.VL - 1) / DoubleKernels.VL * DoubleKernels.VL; j++) {
        double g = gates[g0 + DoublePackedKernels.gateOffset(bl, n, d, m, i, j)];
        assertEquals(0.0, g, "f64 padding gate " + i + ", " + j + " of " + shape);
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
    double[] xT = new double[d * n];
    DoubleKernels.transpose(n, d, x, xT);
    DoublePackedKernels.panelGradient(bl, n, d, m, xT, delta, a, gates, g0, grad, scratch);
    assertArrayEquals(gradient(n, d, m, x, delta, a, h), grad, "f64 gradient " + shape);

    float[] fx = Kernels.toFloat(x);
    float[] fw = Kernels.toFloat(w);
    float[] fa = Kernels.toFloat(a);
    float[] fdelta = Kernels.toFloat(delta);
    float[] fh = new float[n * m];
    float[] ff = new float[n];
    FloatKernels.multRelu(n, m, d, 1f, fx, fw, fh, fh);
    FloatKernels.mult(n, 1, m, 0.7f, fh, fa, ff);
    // The generated float pass with gate bytes: 16 lanes a vector.
    float[] frh = new float[n * m];
    float[] frf = new float[n];
    byte[] fgateBytes = new byte[n * m];
    Arrays.fill(fgateBytes, (byte) 7);
    FloatKernels.Scratch rowScratch = new FloatKernels.Scratch();
    FloatPackedKernels.reluForwardRows(bl, n, d, m, 0.7f, fx, fw, fa, frh, fgateBytes, frf, rowScratch);
    assertArrayEquals(fh, frh, "f32 rows h with gate bytes " + shape);
    byte[] fexpectedGates = new byte[n * m];
    for (int e = 0; e < n * m; e++) {
      fexpectedGates[e] = (byte) (fh[e] > 0 ? 1 : 0);
    }
    assertArrayEquals(fexpectedGates, fgateBytes, "f32 gate bytes " + shape);
    float[] ffromGate = new float[d * m];
    float[] ffromBytes = new float[d * m];
    FloatPackedKernels.gemmPacked(bl, d, m, n, 1f, fx, 1, d, fa, false, fdelta, fh, null, ffromGate,
        FloatKernels.NONE, null, rowScratch);
    FloatPackedKernels.gemmPacked(bl, d, m, n, 1f, fx, 1, d, fa, false, fdelta, fh, fgateBytes, ffromBytes,
        FloatKernels.NONE, null, rowScratch);
    assertArrayEquals(ffromGate, ffromBytes, "f32 masked gradient from gate bytes " + shape);
    float[] fgates = new float[g0 + n * FloatPackedKernels.panelColumns(bl, m)];
    float[] fpf = new float[n];
    FloatKernels.Scratch fscratch = new FloatKernels.Scratch();
    FloatPackedKernels.reluForwardPanels(bl, n, d, m, 0.7f, fx, fw, fa, fgates, g0, fpf, fscratch);
    assertArrayEquals(ff, fpf, "f32 f " + shape);
    for (int i = 0; i < n; i++) {
      for (int j = m; j < (m + FloatKernels.VL - 1) / FloatKernels.VL * FloatKernels.VL; j++) {
        float g = fgates[g0 + FloatPackedKernels.gateOffset(bl, n, d, m, i, j)];
        assertEquals(0f, g, "f32 padding gate " + i + ", " + j + " of " + shape);
      }
    }
    long[] fexpected = new long[expected.length];
    Signs.positive(fh, n * m, fexpected);
    long[] fbits = new long[expected.length];
    FloatPackedKernels.gatePattern(bl, n, d, m, fgates, g0, fbits, false);
    assertArrayEquals(fexpected, fbits, "f32 pattern " + shape);
    float[] fgrad = new float[d * m];
    float[] fxT = new float[d * n];
    Kernels.transpose(n, d, fx, fxT);
    FloatPackedKernels.panelGradient(bl, n, d, m, fxT, fdelta, fa, fgates, g0, fgrad, fscratch);
    assertArrayEquals(gradient(n, d, m, fx, fdelta, fa, fh), fgrad, "f32 gradient " + shape);
  }

  /** 1 where h > 0, else 0. */
  private static byte[] gatesOf(double[] h) {
    byte[] g = new byte[h.length];
    for (int e = 0; e < h.length; e++) {
      g[e] = (byte) (h[e] > 0 ? 1 : 0);
    }
    return g;
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
