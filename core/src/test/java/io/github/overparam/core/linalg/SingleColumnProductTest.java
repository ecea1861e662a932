package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A single-column product (the output layer of a two-layer net) gives the same bits on every vector
 * width: the kernel of this machine's width, the scalar reference, and vector code of 1 to 8 lanes
 * (float64) and 2 to 16 lanes (float32), emulated lane by lane, agree bit for bit.
 */
class SingleColumnProductTest {

  private static final int[] ROWS = {1, 3, 4, 5, 8, 128, 257};
  private static final int[] INNER = {2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100, 1000, 1031};

  @Test
  void everyVectorWidthGivesTheBitsOfTheScalarReference() {
    SplittableRandom rng = new SplittableRandom(18);
    for (int rows : ROWS) {
      for (int inner : INNER) {
        double[] a = random(rows * inner, rng);
        double[] v = random(inner, rng);
        double[] reference = new double[rows];
        ScalarDoubleKernels.multVec(rows, inner, 0.3, a, v, reference);
        double[] kernel = new double[rows];
        DoubleKernels.multVec(rows, inner, 0.3, a, v, kernel);
        assertArrayEquals(reference, kernel, "kernel, " + rows + " x " + inner);
        double[] viaMult = new double[rows];
        DoubleKernels.mult(rows, 1, inner, 0.3, a, v, viaMult);
        assertArrayEquals(reference, viaMult, "mult, " + rows + " x " + inner);
        DoubleKernels.multTransB(rows, 1, inner, 0.3, a, v, viaMult);
        assertArrayEquals(reference, viaMult, "multTransB, " + rows + " x " + inner);
        for (int lanes : new int[] {1, 2, 4, 8}) {
          assertArrayEquals(reference, emulated(lanes, rows, inner, 0.3, a, v), lanes + " lanes, " + rows + " x "
              + inner);
        }

        float[] fa = Kernels.toFloat(a);
        float[] fv = Kernels.toFloat(v);
        float[] freference = new float[rows];
        ScalarFloatKernels.multVec(rows, inner, 0.3f, fa, fv, freference);
        float[] fkernel = new float[rows];
        FloatKernels.multVec(rows, inner, 0.3f, fa, fv, fkernel);
        assertArrayEquals(freference, fkernel, "float kernel, " + rows + " x " + inner);
        for (int lanes : new int[] {2, 4, 8, 16}) {
          assertArrayEquals(freference, emulated(lanes, rows, inner, 0.3f, fa, fv),
              "float, " + lanes + " lanes, " + rows + " x " + inner);
        }
      }
    }
  }

  @Test
  void thePartialSumsAreEightInFloat64AndSixteenInFloat32() {
    // Pinned: changing them changes the bits of every two-layer net's output.
    assertEquals(8, DoubleKernels.PARTIALS);
    assertEquals(8, ScalarDoubleKernels.PARTIALS);
    assertEquals(16, FloatKernels.PARTIALS);
    assertEquals(16, ScalarFloatKernels.PARTIALS);
    // The order is observable. Inner 16: partial k holds entries k and k + 8. With entry 7 and 15
    // large and the others tiny, the 7 tiny partials are added before the large one and survive;
    // the sequential chain adds most tiny entries to the large sum, where they round away.
    double[] a = new double[16];
    double[] v = new double[16];
    for (int p = 0; p < 16; p++) {
      a[p] = 1;
      v[p] = p % 8 == 7 ? 1 : 1e-16;
    }
    double[] c = new double[1];
    DoubleKernels.multVec(1, 16, 1, a, v, c);
    double partials = 0;
    for (int k = 0; k < 8; k++) {
      partials += Math.fma(a[k + 8], v[k + 8], Math.fma(a[k], v[k], 0));
    }
    double sequential = 0;
    for (int p = 0; p < 16; p++) {
      sequential = Math.fma(a[p], v[p], sequential);
    }
    assertEquals(partials, c[0], 0.0);
    assertNotEquals(sequential, c[0]);
  }

  /**
   * The single-column product as vector code of {@code lanes} lanes computes it: PARTIALS / lanes
   * vector accumulators per row, each lane a chain of fused multiply-adds, stored side by side and
   * added in order, then the tail. Lanes are emulated with arrays: running Vector API code of another
   * species in this JVM would pollute the profiles of the kernels' vector calls, and the JIT would
   * then compile them to allocating code for the other tests (AllocationTest).
   */
  private static double[] emulated(int lanes, int rows, int inner, double alpha, double[] a, double[] v) {
    int partials = DoubleKernels.PARTIALS;
    int vectors = partials / lanes;
    int bound = inner - inner % partials;
    double[] c = new double[rows];
    for (int i = 0; i < rows; i++) {
      double[][] acc = new double[vectors][lanes];
      for (int p = 0; p < bound; p += partials) {
        for (int q = 0; q < vectors; q++) {
          for (int l = 0; l < lanes; l++) {
            int o = p + q * lanes + l;
            acc[q][l] = Math.fma(a[i * inner + o], v[o], acc[q][l]);
          }
        }
      }
      double sum = 0;
      for (double[] vector : acc) {
        for (double lane : vector) {
          sum += lane;
        }
      }
      for (int p = bound; p < inner; p++) {
        sum = Math.fma(a[i * inner + p], v[p], sum);
      }
      c[i] = alpha * sum;
    }
    return c;
  }

  private static float[] emulated(int lanes, int rows, int inner, float alpha, float[] a, float[] v) {
    int partials = FloatKernels.PARTIALS;
    int vectors = partials / lanes;
    int bound = inner - inner % partials;
    float[] c = new float[rows];
    for (int i = 0; i < rows; i++) {
      float[][] acc = new float[vectors][lanes];
      for (int p = 0; p < bound; p += partials) {
        for (int q = 0; q < vectors; q++) {
          for (int l = 0; l < lanes; l++) {
            int o = p + q * lanes + l;
            acc[q][l] = Math.fma(a[i * inner + o], v[o], acc[q][l]);
          }
        }
      }
      float sum = 0;
      for (float[] vector : acc) {
        for (float lane : vector) {
          sum += lane;
        }
      }
      for (int p = bound; p < inner; p++) {
        sum = Math.fma(a[i * inner + p], v[p], sum);
      }
      c[i] = alpha * sum;
    }
    return c;
  }

  private static double[] random(int size, SplittableRandom rng) {
    double[] x = new double[size];
    for (int e = 0; e < size; e++) {
      x[e] = rng.nextDouble(-1, 1);
    }
    return x;
  }
}
