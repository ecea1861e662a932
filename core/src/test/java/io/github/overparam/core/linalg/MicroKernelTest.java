package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#microKernel}, the benchmarks' handle on the packed micro-kernel: each entry of c is
 * the chain fma(a_p, b_p, ...) over the steps in order, from zero or from c, for every register tile
 * and both precisions, with the panel at any offset; {@link Kernels#lineSkip} lands in a line.
 */
class MicroKernelTest {

  /** Where the packed tile holds A(r, p): 4-row tiles row by row, 6-row tiles step by step. */
  static int entry(int rows, int kc, int r, int p) {
    return rows == 4 ? r * kc + p : p * rows + r;
  }

  @Test
  void continuesEachEntrysChainOfMultiplyAdds() {
    SplittableRandom rng = new SplittableRandom(11);
    for (String tile : Blocking.TILES) {
      Blocking bl = Blocking.of(tile, 7, 1);
      int rows = bl.rows();
      int kc = 7;
      int pw = Kernels.panelWidth(bl, false);
      int fpw = Kernels.panelWidth(bl, true);
      assertEquals(bl.vectors() * DoubleKernels.VL, pw);
      assertEquals(bl.vectors() * FloatKernels.VL, fpw);
      for (int pbo : new int[] {0, 3}) {
        for (boolean first : new boolean[] {true, false}) {
          double[] pa = new double[rows * kc];
          double[] pb = new double[pbo + kc * pw];
          double[] c = new double[5 + rows * pw];
          for (int i = 0; i < pa.length; i++) {
            pa[i] = rng.nextDouble(-1, 1);
          }
          for (int i = 0; i < pb.length; i++) {
            pb[i] = rng.nextDouble(-1, 1);
          }
          for (int i = 0; i < c.length; i++) {
            c[i] = rng.nextDouble(-1, 1);
          }
          double[] want = c.clone();
          float[] fpa = Kernels.toFloat(pa);
          float[] fpb = new float[pbo + kc * fpw];
          for (int i = 0; i < fpb.length; i++) {
            fpb[i] = (float) rng.nextDouble(-1, 1);
          }
          float[] fc = new float[5 + rows * fpw];
          for (int i = 0; i < fc.length; i++) {
            fc[i] = (float) rng.nextDouble(-1, 1);
          }
          float[] fwant = fc.clone();
          for (int r = 0; r < rows; r++) {
            for (int j = 0; j < pw; j++) {
              double s = first ? 0 : c[5 + r * pw + j];
              for (int p = 0; p < kc; p++) {
                s = Math.fma(pa[entry(rows, kc, r, p)], pb[pbo + p * pw + j], s);
              }
              want[5 + r * pw + j] = s;
            }
            for (int j = 0; j < fpw; j++) {
              float s = first ? 0 : fc[5 + r * fpw + j];
              for (int p = 0; p < kc; p++) {
                s = Math.fma(fpa[entry(rows, kc, r, p)], fpb[pbo + p * fpw + j], s);
              }
              fwant[5 + r * fpw + j] = s;
            }
          }
          Kernels.microKernel(bl, pa, pb, pbo, kc, first, c, 5);
          Kernels.microKernel(bl, fpa, fpb, pbo, kc, first, fc, 5);
          String what = tile + ", panel from " + pbo + (first ? ", from zero" : ", from c");
          assertArrayEquals(want, c, "f64 " + what);
          assertArrayEquals(fwant, fc, "f32 " + what);
        }
      }
    }
  }

  @Test
  void lineSkipsLandInALine() {
    for (int n = 1; n < 40; n++) {
      int d = Kernels.lineSkip(new double[n]);
      int f = Kernels.lineSkip(new float[n]);
      assertTrue(d >= 0 && d < 8 && f >= 0 && f < 16, "skips " + d + ", " + f);
    }
  }
}
