package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

  @Test
  void addHadamardGramNamesMismatchedShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Symmetric.addHadamardGram(new DMatrixRMaj(4, 2), new DMatrixRMaj(3, 2), new DMatrixRMaj(4, 4)));
    assertEquals("a is 4 x 2, b 3 x 2, c 4 x 4: a and b need as many rows as c, which must be square",
        e.getMessage());
  }
}
