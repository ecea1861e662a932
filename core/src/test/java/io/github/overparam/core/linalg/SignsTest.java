package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Activation patterns and flip counts ({@link Signs}) equal an entry-by-entry reference in both
 * precisions, on sizes around the 64-entry words and the vector lengths, with the values a pattern
 * test must not get wrong: +0.0, -0.0, NaN, subnormals and infinities.
 */
class SignsTest {

  // Tails of 16, 24, 32 and 48 entries: whole vectors of either precision short of a word.
  private static final int[] SIZES = {0, 1, 7, 8, 15, 16, 17, 24, 48, 63, 64, 65, 112, 127, 128, 129, 160, 200, 1000,
      4096, 4100};

  @Test
  void patternsAndFlipsEqualTheEntryByEntryReference() {
    SplittableRandom rng = new SplittableRandom(61);
    for (int size : SIZES) {
      double[] v = values(size + 5, rng);
      double[] u = values(size + 5, rng);
      long[] bits = new long[Signs.words(size)];
      Signs.positive(v, size, bits);
      assertArrayEquals(reference(v, size), bits, "double pattern, size " + size);
      assertEquals(referenceFlips(u, size, bits), Signs.flips(u, size, bits), "double flips, size " + size);
      assertEquals(0, Signs.flips(v, size, bits), "a pattern against itself, size " + size);

      float[] f = new float[v.length];
      float[] g = new float[u.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
        g[i] = (float) u[i];
      }
      // Gates as bytes (1 where > 0), as the float64 forward pass writes them: the same pattern.
      byte[] gates = new byte[v.length];
      byte[] otherGates = new byte[u.length];
      for (int i = 0; i < v.length; i++) {
        gates[i] = (byte) (v[i] > 0 ? 1 : 0);
        otherGates[i] = (byte) (u[i] > 0 ? 1 : 0);
      }
      long[] gbits = new long[Signs.words(size)];
      if (gbits.length > 0) {
        gbits[gbits.length - 1] = -1L;
      }
      Signs.positive(gates, size, gbits);
      assertArrayEquals(bits, gbits, "gate-byte pattern, size " + size);
      assertEquals(referenceFlips(u, size, bits), Signs.flips(otherGates, size, bits), "gate-byte flips, size " + size);

      long[] fbits = new long[Signs.words(size)];
      Signs.positive(f, size, fbits);
      assertArrayEquals(reference(f, size), fbits, "float pattern, size " + size);
      assertEquals(referenceFlips(g, size, fbits), Signs.flips(g, size, fbits), "float flips, size " + size);
    }
  }

  @Test
  void entriesPastTheSizeAreNeitherReadNorSet() {
    double[] v = new double[130];
    java.util.Arrays.fill(v, 1.0);
    long[] bits = new long[3];
    Signs.positive(v, 70, bits);
    assertEquals(-1L, bits[0]);
    assertEquals(0x3fL, bits[1], "6 entries of the second word");
    assertEquals(0L, bits[2]);
    assertEquals(70, Signs.flips(v, 70, new long[2]));
  }

  @Test
  void aShortBitArrayIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Signs.positive(new double[100], 100, new long[1]));
    assertTrue(e.getMessage().contains("size = 100"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Signs.flips(new float[10], 11, new long[1]));
  }

  private static double[] values(int n, SplittableRandom rng) {
    double[] special = {0.0, -0.0, Double.NaN, Double.MIN_VALUE, -Double.MIN_VALUE, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 1e-40, -1e-40};
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextInt(8) == 0 ? special[rng.nextInt(special.length)] : rng.nextGaussian();
    }
    return v;
  }

  private static long[] reference(double[] v, int size) {
    long[] bits = new long[Signs.words(size)];
    for (int e = 0; e < size; e++) {
      if (v[e] > 0) {
        bits[e >>> 6] |= 1L << (e & 63);
      }
    }
    return bits;
  }

  private static long[] reference(float[] v, int size) {
    long[] bits = new long[Signs.words(size)];
    for (int e = 0; e < size; e++) {
      if (v[e] > 0) {
        bits[e >>> 6] |= 1L << (e & 63);
      }
    }
    return bits;
  }

  private static long referenceFlips(double[] v, int size, long[] bits) {
    long flips = 0;
    for (int e = 0; e < size; e++) {
      if (((bits[e >>> 6] & (1L << (e & 63))) != 0) != (v[e] > 0)) {
        flips++;
      }
    }
    return flips;
  }

  private static long referenceFlips(float[] v, int size, long[] bits) {
    long flips = 0;
    for (int e = 0; e < size; e++) {
      if (((bits[e >>> 6] & (1L << (e & 63))) != 0) != (v[e] > 0)) {
        flips++;
      }
    }
    return flips;
  }
}
