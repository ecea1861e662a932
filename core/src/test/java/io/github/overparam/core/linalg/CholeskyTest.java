package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blocked Cholesky factor against EJML's, its solves against the matrix, the same bits on the
 * vector and the scalar loops (and so on every vector width), and the matrices it refuses.
 */
class CholeskyTest {

  /** A random symmetric positive definite matrix: b b^T / k + 0.1 I, b (n x k) Gaussian. */
  private static DMatrixRMaj spd(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int k = n + 3;
    DMatrixRMaj b = new DMatrixRMaj(n, k);
    for (int i = 0; i < b.data.length; i++) {
      b.data[i] = rng.nextDouble() * 2 - 1;
    }
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multTransB(1.0 / k, b, b, a);
    for (int i = 0; i < n; i++) {
      a.add(i, i, 0.1);
    }
    return a;
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {1, 2, 5, 63, 64, 65, 128, 130, 301})
  void agreesWithEjmlAndSolves(int n) {
    DMatrixRMaj a = spd(n, 11L * n);
    Cholesky f = Cholesky.factor(a);
    assertNotNull(f, "positive definite");
    assertEquals(n, f.size());
    CholeskyDecomposition_F64<DMatrixRMaj> ejml = DecompositionFactory_DDRM.chol(n, true);
    assertTrue(ejml.decompose(a.copy()));
    DMatrixRMaj l = ejml.getT(null);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(l.get(i, j), f.get(i, j), 1e-13 * Math.sqrt(a.get(i, i)), "L(" + i + ", " + j + ")");
      }
    }
    // A x = b to the rounding of a well-conditioned solve; x may be b.
    SplittableRandom rng = new SplittableRandom(n);
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = rng.nextDouble() - 0.5;
    }
    double[] x = new double[n];
    f.solve(b, x);
    double[] ax = new double[n];
    CommonOps_DDRM.mult(a, DMatrixRMaj.wrap(n, 1, x), DMatrixRMaj.wrap(n, 1, ax));
    for (int i = 0; i < n; i++) {
      assertEquals(b[i], ax[i], 1e-12, "(A x)_" + i);
    }
    double[] inPlace = b.clone();
    f.solve(inPlace, inPlace);
    assertArrayEquals(x, inPlace, "x = b in place");
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {3, 64, 97, 200})
  void theVectorAndTheScalarLoopsGiveTheSameBits(int n) {
    DMatrixRMaj a = spd(n, 5L * n + 1);
    Cholesky vector = Cholesky.factor(a, true);
    Cholesky scalar = Cholesky.factor(a, false);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        assertEquals(scalar.get(i, j), vector.get(i, j), 0.0, "L(" + i + ", " + j + ")");
      }
    }
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = Math.sin(i + 1.0);
    }
    double[] xv = new double[n];
    double[] xs = new double[n];
    vector.solve(b, xv);
    scalar.solve(b, xs);
    assertArrayEquals(xs, xv, "solve");
  }

  @Test
  void theSolvesDotHasTheScalarLoopsBits() {
    SplittableRandom rng = new SplittableRandom(8);
    double[] x = new double[200];
    double[] y = new double[200];
    for (int i = 0; i < 200; i++) {
      x[i] = rng.nextGaussian();
      y[i] = rng.nextGaussian() * 1e3;
    }
    for (int len = 0; len <= 41; len++) {
      for (int off = 0; off < 3; off++) {
        double scalar = CholeskyKernels.dot(x, off, y, 2 * off, len, false);
        assertEquals(scalar, CholeskyKernels.dot(x, off, y, 2 * off, len, true), 0.0, "len " + len + ", offset " + off);
        double plain = 0;
        for (int k = 0; k < len; k++) {
          plain += x[off + k] * y[2 * off + k];
        }
        assertEquals(plain, scalar, 1e-9 * (1 + Math.abs(plain)), "the dot product itself, len " + len);
      }
    }
  }

  @Test
  void readsTheLowerTriangleOnly() {
    DMatrixRMaj a = spd(90, 3);
    DMatrixRMaj upperGarbage = a.copy();
    for (int i = 0; i < 90; i++) {
      for (int j = i + 1; j < 90; j++) {
        upperGarbage.set(i, j, 1e6 * (i - j));
      }
    }
    Cholesky f = Cholesky.factor(a);
    Cholesky g = Cholesky.factor(upperGarbage);
    for (int i = 0; i < 90; i++) {
      for (int j = 0; j <= i; j++) {
        assertEquals(f.get(i, j), g.get(i, j), 0.0);
      }
    }
    DMatrixRMaj before = spd(90, 3);
    assertTrue(org.ejml.dense.row.MatrixFeatures_DDRM.isIdentical(before, a, 0.0), "input not modified");
  }

  @Test
  void refusesMatricesThatAreNotPositiveDefinite() {
    // Indefinite (a negative eigenvalue past the first block), singular by rank, zero, NaN.
    DMatrixRMaj indefinite = spd(150, 9);
    indefinite.add(120, 120, -50.0);
    assertNull(Cholesky.factor(indefinite), "indefinite");
    DMatrixRMaj b = new DMatrixRMaj(100, 10);
    SplittableRandom rng = new SplittableRandom(4);
    for (int i = 0; i < b.data.length; i++) {
      b.data[i] = rng.nextDouble() - 0.5;
    }
    DMatrixRMaj rankTen = new DMatrixRMaj(100, 100);
    CommonOps_DDRM.multTransB(b, b, rankTen);
    assertNull(Cholesky.factor(rankTen), "rank 10 of 100");
    assertNull(Cholesky.factor(new DMatrixRMaj(5, 5)), "zero");
    DMatrixRMaj nan = spd(5, 1);
    nan.set(3, 3, Double.NaN);
    assertNull(Cholesky.factor(nan), "NaN on the diagonal");
  }

  @Test
  void refusesNonSquareMatricesAndShortVectors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Cholesky.factor(new DMatrixRMaj(3, 4)));
    assertEquals("matrix is 3 x 4, must be square", e.getMessage());
    Cholesky f = Cholesky.factor(spd(4, 2));
    IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> f.solve(new double[3],
        new double[4]));
    assertEquals("vectors of length 3 and 4, must be at least 4", s.getMessage());
  }
}
