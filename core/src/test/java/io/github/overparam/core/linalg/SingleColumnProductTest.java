package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * A single-column product (the output layer of a two-layer net) gives the same bits on every vector
 * width: the kernel of this machine's width, the scalar reference, and vector code of 2, 4, 8 and 16
 * lanes (emulated here with the Vector API's species of 128, 256 and 512 bits, which run on any
 * machine, natively or in Java) agree bit for bit, in float64 and float32.
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
        for (VectorSpecies<Double> s : new VectorSpecies[] {
            DoubleVector.SPECIES_128, DoubleVector.SPECIES_256, DoubleVector.SPECIES_512}) {
          assertArrayEquals(reference, emulated(s, rows, inner, 0.3, a, v), s + ", " + rows + " x " + inner);
        }

        float[] fa = Kernels.toFloat(a);
        float[] fv = Kernels.toFloat(v);
        float[] freference = new float[rows];
        ScalarFloatKernels.multVec(rows, inner, 0.3f, fa, fv, freference);
        float[] fkernel = new float[rows];
        FloatKernels.multVec(rows, inner, 0.3f, fa, fv, fkernel);
        assertArrayEquals(freference, fkernel, "float kernel, " + rows + " x " + inner);
        for (VectorSpecies<Float> s : new VectorSpecies[] {
            FloatVector.SPECIES_128, FloatVector.SPECIES_256, FloatVector.SPECIES_512}) {
          assertArrayEquals(freference, emulated(s, rows, inner, 0.3f, fa, fv), s + ", " + rows + " x " + inner);
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

  /** The single-column product as vector code of species s computes it: PARTIALS / lanes vectors of partial sums. */
  private static double[] emulated(VectorSpecies<Double> s, int rows, int inner, double alpha, double[] a,
      double[] v) {
    int partials = DoubleKernels.PARTIALS;
    int vectors = partials / s.length();
    int bound = inner - inner % partials;
    double[] c = new double[rows];
    double[] lanes = new double[partials];
    for (int i = 0; i < rows; i++) {
      DoubleVector[] acc = new DoubleVector[vectors];
      for (int q = 0; q < vectors; q++) {
        acc[q] = DoubleVector.zero(s);
      }
      for (int p = 0; p < bound; p += partials) {
        for (int q = 0; q < vectors; q++) {
          int o = p + q * s.length();
          acc[q] = DoubleVector.fromArray(s, a, i * inner + o).fma(DoubleVector.fromArray(s, v, o), acc[q]);
        }
      }
      for (int q = 0; q < vectors; q++) {
        acc[q].intoArray(lanes, q * s.length());
      }
      double sum = 0;
      for (double lane : lanes) {
        sum += lane;
      }
      for (int p = bound; p < inner; p++) {
        sum = Math.fma(a[i * inner + p], v[p], sum);
      }
      c[i] = alpha * sum;
    }
    return c;
  }

  private static float[] emulated(VectorSpecies<Float> s, int rows, int inner, float alpha, float[] a, float[] v) {
    int partials = FloatKernels.PARTIALS;
    int vectors = partials / s.length();
    int bound = inner - inner % partials;
    float[] c = new float[rows];
    float[] lanes = new float[partials];
    for (int i = 0; i < rows; i++) {
      FloatVector[] acc = new FloatVector[vectors];
      for (int q = 0; q < vectors; q++) {
        acc[q] = FloatVector.zero(s);
      }
      for (int p = 0; p < bound; p += partials) {
        for (int q = 0; q < vectors; q++) {
          int o = p + q * s.length();
          acc[q] = FloatVector.fromArray(s, a, i * inner + o).fma(FloatVector.fromArray(s, v, o), acc[q]);
        }
      }
      for (int q = 0; q < vectors; q++) {
        acc[q].intoArray(lanes, q * s.length());
      }
      float sum = 0;
      for (float lane : lanes) {
        sum += lane;
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
