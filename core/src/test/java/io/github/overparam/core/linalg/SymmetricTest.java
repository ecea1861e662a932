package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.decomposition.hessenberg.TridiagonalDecompositionHouseholder_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Symmetric} gives EJML's bits: the Gram a a^T of multOuter, and the tridiagonal form and
 * eigenvalues of EJML's symmetric decomposition, at sizes around every vector edge.
 */
class SymmetricTest {

  private static DMatrixRMaj random(int rows, int cols, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    DMatrixRMaj a = new DMatrixRMaj(rows, cols);
    for (int e = 0; e < a.data.length; e++) {
      a.data[e] = r.nextDouble() * 2 - 1;
    }
    return a;
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {1, 2, 3, 5, 8, 15, 16, 17, 33, 64, 100, 130})
  void outerIsMultOuterBitForBit(int n) {
    assertTrue(Symmetric.vectorized(), "the test JVM runs the vector kernels");
    for (int d : new int[] {1, 3, 10, 37}) {
      DMatrixRMaj a = random(n, d, 31L * n + d);
      DMatrixRMaj expected = new DMatrixRMaj(n, n);
      CommonOps_DDRM.multOuter(a, expected);
      DMatrixRMaj actual = new DMatrixRMaj(1, 1);
      Symmetric.outer(a, actual);
      assertEquals(n, actual.numRows);
      assertArrayEquals(expected.data, actual.data, 0.0, "n = " + n + ", d = " + d);
    }
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 7, 9, 16, 31, 64, 129, 257})
  void eigenvaluesAndTridiagonalFormAreEjmlsBitForBit(int n) {
    // A symmetric matrix whose lower triangle holds garbage: EJML reads the upper one only.
    DMatrixRMaj g = random(n, n, n);
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multOuter(g, a);
    DMatrixRMaj skewed = a.copy();
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < i; j++) {
        skewed.unsafe_set(i, j, 1e3 * i - j);
      }
    }
    assertSameAsEjml(skewed, a);
  }

  /**
   * Steps without a reflector (EJML's max = 0: the row is already zero past the diagonal): a
   * diagonal matrix (every step) and blocks on the diagonal (the steps at a block's edge).
   */
  @ParameterizedTest(name = "blocks of {0}")
  @ValueSource(ints = {1, 3, 8, 17})
  void stepsWithoutAReflectorAreEjmlsBitForBit(int block) {
    int n = 40;
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    for (int b0 = 0; b0 < n; b0 += block) {
      int size = Math.min(block, n - b0);
      DMatrixRMaj g = random(size, size, b0 + 1);
      DMatrixRMaj ab = new DMatrixRMaj(size, size);
      CommonOps_DDRM.multOuter(g, ab);
      CommonOps_DDRM.insert(ab, a, b0, b0);
    }
    assertSameAsEjml(a.copy(), a);
  }

  private static void assertSameAsEjml(DMatrixRMaj skewed, DMatrixRMaj a) {
    int n = a.numRows;
    TridiagonalDecompositionHouseholder_DDRM reference = new TridiagonalDecompositionHouseholder_DDRM();
    reference.decompose(skewed.copy());
    Symmetric.VectorTridiagonal vector = new Symmetric.VectorTridiagonal();
    vector.decompose(skewed.copy());
    double[] diagRef = new double[n];
    double[] offRef = new double[Math.max(1, n - 1)];
    double[] diag = new double[n];
    double[] off = new double[Math.max(1, n - 1)];
    reference.getDiagonal(diagRef, offRef);
    vector.getDiagonal(diag, off);
    assertArrayEquals(diagRef, diag, 0.0, "diagonal");
    assertArrayEquals(offRef, off, 0.0, "off-diagonal");
    assertArrayEquals(reference.getQ(null, false).data, vector.getQ(null, false).data, 0.0, "Q");

    assertArrayEquals(eigenvalues(DecompositionFactory_DDRM.eig(n, false, true), a),
        eigenvalues(new SymmetricQRAlgorithmDecomposition_DDRM(new Symmetric.VectorTridiagonal(), false), a), 0.0,
        "eigenvalues");
  }

  private static double[] eigenvalues(EigenDecomposition_F64<DMatrixRMaj> eig, DMatrixRMaj a) {
    assertTrue(eig.decompose(a.copy()));
    double[] values = new double[a.numRows];
    for (int i = 0; i < values.length; i++) {
      values[i] = eig.getEigenvalue(i).getReal();
    }
    Arrays.sort(values);
    return values;
  }

  /**
   * One layer's share of the NTK Gram by stripes of the upper triangle has the bits of the two full
   * products on the vector kernels, their elementwise product and the sum (the path it replaces),
   * also where n leaves a last stripe of one column (n = 129, 513) and from a c already summed into.
   */
  @ParameterizedTest(name = "n = {0}, p = {1}, q = {2}")
  @CsvSource({"1, 3, 4", "2, 10, 7", "65, 10, 32", "129, 100, 20", "513, 10, 64",
      "600, 33, 300"})
  void addHadamardGramHasTheBitsOfTheFullProducts(int n, int p, int q) {
    SplittableRandom rng = new SplittableRandom(31L * n + p);
    DMatrixRMaj a = new DMatrixRMaj(n, p);
    DMatrixRMaj b = new DMatrixRMaj(n, q);
    for (int i = 0; i < a.data.length; i++) {
      a.data[i] = rng.nextGaussian();
    }
    for (int i = 0; i < b.data.length; i++) {
      b.data[i] = rng.nextDouble() < 0.5 ? 0.0 : rng.nextGaussian();
    }
    DMatrixRMaj start = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = rng.nextDouble();
        start.set(i, j, v);
        start.set(j, i, v);
      }
    }
    DMatrixRMaj want = start.copy();
    DMatrixRMaj inputs = new DMatrixRMaj(n, n);
    DMatrixRMaj deltas = new DMatrixRMaj(n, n);
    Dense.multTransB(a, a, inputs);
    Dense.multTransB(b, b, deltas);
    CommonOps_DDRM.elementMult(inputs, deltas);
    CommonOps_DDRM.addEquals(want, inputs);
    DMatrixRMaj got = start.copy();
    Symmetric.addHadamardGram(a, b, got);
    assertArrayEquals(want.data, got.data, "c += (a a^T) * (b b^T)");
  }

  /**
   * Deltas that are all 0 or +-v (v = 1 / sqrt(q), not a power of two) have their product counted on
   * bit sets: c += (a a^T)_ij * (k_ij v^2) with k_ij the agreeing minus the disagreeing nonzero
   * columns, counted here by plain loops, with a a^T the bits of addHadamardGram's product; within
   * q ulps of the summed products. Signs fixed per column (Du's layer: the sign of a_r) and mixed.
   */
  @ParameterizedTest(name = "n = {0}, p = {1}, q = {2}, mixed signs {3}")
  @CsvSource({"1, 3, 4, false", "2, 10, 7, true", "65, 10, 64, false", "129, 100, 65, true",
      "513, 10, 200, false", "600, 33, 1000, true"})
  void addHadamardSignGramCountsTheAgreeingColumnsExactly(int n, int p, int q, boolean mixed) {
    SplittableRandom rng = new SplittableRandom(17L * n + q);
    double v = 1.0 / Math.sqrt(q);
    DMatrixRMaj a = new DMatrixRMaj(n, p);
    for (int i = 0; i < a.data.length; i++) {
      a.data[i] = rng.nextGaussian();
    }
    double[] columnSign = new double[q];
    for (int k = 0; k < q; k++) {
      columnSign[k] = rng.nextBoolean() ? 1 : -1;
    }
    DMatrixRMaj b = new DMatrixRMaj(n, q);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < q; k++) {
        double sign = mixed ? (rng.nextBoolean() ? 1 : -1) : columnSign[k];
        b.set(i, k, rng.nextDouble() < 0.5 ? 0.0 : sign * v);
      }
    }
    DMatrixRMaj start = random(n, n, 5);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        start.set(i, j, start.get(j, i));
      }
    }
    DMatrixRMaj ones = new DMatrixRMaj(n, 1);
    Arrays.fill(ones.data, 1.0);
    DMatrixRMaj inputs = new DMatrixRMaj(n, n);
    Symmetric.addHadamardGram(a, ones, inputs); // a a^T times 1: the product's bits
    DMatrixRMaj want = start.copy();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        long k = 0;
        for (int r = 0; r < q; r++) {
          double x = b.get(i, r) * b.get(j, r);
          k += x > 0 ? 1 : x < 0 ? -1 : 0;
        }
        want.set(i, j, start.get(i, j) + inputs.get(i, j) * (k * (v * v)));
      }
    }
    DMatrixRMaj got = start.copy();
    assertTrue(Symmetric.addHadamardSignGram(a, b, got), "b is all 0 or +-v");
    assertArrayEquals(want.data, got.data, "c += (a a^T) * (count v^2)");
    DMatrixRMaj summed = start.copy();
    Symmetric.addHadamardGram(a, b, summed);
    for (int e = 0; e < summed.data.length; e++) {
      double scale = Math.abs(inputs.data[e]) + Math.abs(start.data[e]);
      assertEquals(summed.data[e], got.data[e], q * 1e-16 * scale + 1e-300, "entry " + e);
    }
  }

  /** Deltas of any other form (two magnitudes, NaN, infinity) are declined, with c untouched. */
  @Test
  void addHadamardSignGramDeclinesOtherDeltas() {
    DMatrixRMaj a = random(5, 3, 1);
    for (double odd : new double[] {0.25, Double.NaN, Double.POSITIVE_INFINITY}) {
      DMatrixRMaj b = new DMatrixRMaj(5, 4);
      b.set(0, 1, 0.5);
      b.set(2, 3, -0.5);
      b.set(4, 2, odd);
      DMatrixRMaj c = random(5, 5, 2);
      DMatrixRMaj before = c.copy();
      assertFalse(Symmetric.addHadamardSignGram(a, b, c), "an entry " + odd + " beside +-0.5");
      assertArrayEquals(before.data, c.data);
    }
    DMatrixRMaj zeros = new DMatrixRMaj(5, 4);
    DMatrixRMaj c = random(5, 5, 2);
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < i; j++) {
        c.set(i, j, c.get(j, i));
      }
    }
    DMatrixRMaj before = c.copy();
    assertTrue(Symmetric.addHadamardSignGram(a, zeros, c), "all zeros: v^2 = 0");
    assertArrayEquals(before.data, c.data, "adds nothing");
  }

  @Test
  void addHadamardGramNamesMismatchedShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Symmetric.addHadamardGram(new DMatrixRMaj(4, 2), new DMatrixRMaj(3, 2), new DMatrixRMaj(4, 4)));
    assertEquals("a is 4 x 2, b 3 x 2, c 4 x 4: a and b need as many rows as c, which must be square",
        e.getMessage());
  }
}
