package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Alignment}: the addresses it reads are those of HotSpot's objects (consecutive small
 * arrays lie exactly one array apart), its skips land on cache lines, and the packed products give
 * the same bits whatever their panel's skip.
 */
class AlignmentTest {

  @Test
  void readsTheAddressesOfConsecutiveArrays() {
    assertTrue(Alignment.known(), "sun.misc.Unsafe is readable on HotSpot 17");
    Object[] holder = new Object[1];
    // A long[1] takes its header and 8 bytes, rounded up to the object alignment (8 by default): 24.
    // A bump allocator puts most consecutive ones exactly that far apart; a wrong decoding of the
    // compressed references would put them 3 or 192 bytes apart instead.
    long size = (sun.misc.Unsafe.ARRAY_LONG_BASE_OFFSET + Long.BYTES + 7) / 8 * 8;
    int exact = 0;
    for (int round = 0; round < 100; round++) {
      long[] first = new long[1];
      long[] second = new long[1];
      long a = Alignment.address(holder, first);
      long b = Alignment.address(holder, second);
      assertEquals(0, a % 8, "an object starts on 8 bytes");
      if (b - a == size) {
        exact++;
      }
    }
    assertTrue(exact >= 50, exact + " of 100 pairs lay " + size + " bytes apart");
    assertNull(holder[0], "the holder is left empty");
  }

  @Test
  void skipsToACacheLine() {
    Object[] holder = new Object[1];
    for (int i = 0; i < 50; i++) {
      double[] d = new double[1 + i];
      float[] f = new float[1 + i];
      int sd = Alignment.skip(holder, d, Double.BYTES);
      int sf = Alignment.skip(holder, f, Float.BYTES);
      assertTrue(sd >= 0 && sd < Alignment.LINE / Double.BYTES, "double skip " + sd);
      assertTrue(sf >= 0 && sf < Alignment.LINE / Float.BYTES, "float skip " + sf);
      long dataD = Alignment.address(holder, d) + sun.misc.Unsafe.ARRAY_DOUBLE_BASE_OFFSET + (long) sd * Double.BYTES;
      long dataF = Alignment.address(holder, f) + sun.misc.Unsafe.ARRAY_FLOAT_BASE_OFFSET + (long) sf * Float.BYTES;
      assertEquals(0, Math.floorMod(dataD, Alignment.LINE), "double data from the skip on a line");
      assertEquals(0, Math.floorMod(dataF, Alignment.LINE), "float data from the skip on a line");
    }
  }

  @Test
  void packedProductsGiveTheSameBitsWhateverTheirPanelsSkip() {
    // Packed products with fresh scratch buffers (fresh addresses, so fresh skips) against the
    // scalar reference: the skip moves the panels, never the arithmetic.
    SplittableRandom rng = new SplittableRandom(5);
    int rows = 61;
    int cols = 3 * DoubleKernels.VL * 4 + 5;
    int inner = 131;
    double[] a = new double[rows * inner];
    double[] b = new double[inner * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextDouble(-1, 1);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = rng.nextDouble(-1, 1);
    }
    double[] want = new double[rows * cols];
    ScalarDoubleKernels.mult(rows, cols, inner, 1.0, a, b, want);
    float[] fa = Kernels.toFloat(a);
    float[] fb = Kernels.toFloat(b);
    float[] fwant = new float[rows * cols];
    ScalarFloatKernels.mult(rows, cols, inner, 1.0f, fa, fb, fwant);
    Set<Integer> skips = new HashSet<>();
    Set<Integer> floatSkips = new HashSet<>();
    Blocking bl = Blocking.of("4x4", 32, 2);
    long[][] pads = new long[16][];
    for (int t = 0; t < pads.length; t++) {
      // A varying amount of garbage, then fresh scratch buffers: they start at varying addresses.
      pads[t] = new long[t];
      DoubleKernels.Scratch scratch = new DoubleKernels.Scratch();
      FloatKernels.Scratch floatScratch = new FloatKernels.Scratch();
      double[] got = new double[rows * cols];
      float[] fgot = new float[rows * cols];
      DoublePackedKernels.gemmPacked(bl, rows, cols, inner, 1.0, a, inner, 1, b, false, null, null, null, got,
          DoubleKernels.NONE, null, scratch);
      FloatPackedKernels.gemmPacked(bl, rows, cols, inner, 1f, fa, inner, 1, fb, false, null, null, null, fgot,
          FloatKernels.NONE, null, floatScratch);
      skips.add(scratch.packedBSkip());
      floatSkips.add(floatScratch.packedBSkip());
      assertArrayEquals(want, got, "float64, panels from entry " + scratch.packedBSkip());
      assertArrayEquals(fwant, fgot, "float32, panels from entry " + floatScratch.packedBSkip());
    }
    assertTrue(skips.size() > 1 && floatSkips.size() > 1, "panels at several skips: " + skips + ", " + floatSkips);
  }
}
