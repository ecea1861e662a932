package io.github.overparam.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bisection on Sturm counts finds every eigenvalue of a tridiagonal matrix as EJML's QR algorithm
 * does (to a few ulps of the matrix's norm), the closed-form spectrum of the second-difference
 * matrix, and, through the full path of {@link Spectra}, the extreme eigenvalues of the matrices a
 * run computes them for.
 */
class SturmTest {

  @Test
  void everyEigenvalueAgreesWithTheQrAlgorithm() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int trial = 0; trial < 150; trial++) {
      int m = 1 + rng.nextInt(90);
      double[] alpha = new double[m];
      double[] beta = new double[m];
      double scale = Math.pow(10, rng.nextInt(9) - 4);
      for (int i = 0; i < m; i++) {
        alpha[i] = scale * rng.nextGaussian();
        // Some matrices nearly split (tiny couplings), some have zero couplings (exact splits).
        beta[i] = scale * (trial % 5 == 0 ? 1e-9 : trial % 7 == 0 && i % 3 == 0 ? 0 : 1) * rng.nextGaussian();
      }
      double[] qr = qrEigenvalues(alpha, beta, m);
      double norm = 0;
      for (double v : qr) {
        norm = Math.max(norm, Math.abs(v));
      }
      for (int k = 0; k < m; k++) {
        assertEquals(qr[k], Sturm.eigenvalue(alpha, beta, m, k), 1e-14 * m * norm, "k = " + k + ", m = " + m
            + ", trial " + trial);
      }
      assertEquals(Sturm.eigenvalue(alpha, beta, m, 0), Sturm.smallest(alpha, beta, m), 0.0);
      assertEquals(Sturm.eigenvalue(alpha, beta, m, m - 1), Sturm.largest(alpha, beta, m), 0.0);
    }
  }

  @ParameterizedTest(name = "second difference, m = {0}")
  @CsvSource({"1", "2", "17", "256", "1000"})
  void theSecondDifferenceMatrix(int m) {
    // tridiag(-1, 2, -1): eigenvalues 2 - 2 cos(pi j / (m + 1)), j = 1 .. m.
    double[] alpha = new double[m];
    double[] beta = new double[m];
    Arrays.fill(alpha, 2.0);
    Arrays.fill(beta, -1.0);
    for (int j : new int[] {1, (m + 1) / 2, m}) {
      double expected = 2 - 2 * Math.cos(Math.PI * j / (m + 1));
      assertEquals(expected, Sturm.eigenvalue(alpha, beta, m, j - 1), 1e-15 * 4 * m, "j = " + j);
    }
    double smallest = Sturm.smallest(alpha, beta, m);
    // lambda_min ~ (pi / (m + 1))^2 is tiny against the norm 4: found to a few ulps of 4, not of itself.
    assertTrue(smallest > 0, "positive definite, lambda_min " + smallest);
  }

  @Test
  void badArgumentsAndNaN() {
    double[] one = {3.0};
    assertEquals(3.0, Sturm.smallest(one, new double[1], 1), 0.0);
    assertEquals(3.0, Sturm.largest(one, new double[1], 1), 0.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sturm.eigenvalue(one, new double[1], 1, 1));
    assertEquals("eigenvalue k = 1 of a 1 x 1 matrix", e.getMessage());
    assertTrue(Double.isNaN(Sturm.smallest(new double[] {1.0, Double.NaN}, new double[] {0.5, 0}, 2)));
  }

  @ParameterizedTest(name = "{0}, n = {1}")
  @CsvSource({"hinf, 128", "hinf, 256", "ntk, 128", "ntk, 256", "singular ntk, 256"})
  void theFullPathAgreesWithAllEigenvaluesOfTheQrAlgorithm(String kind, int n) {
    DMatrixRMaj x = Datasets.generate(DataSpec.sphere(n, 10, LabelKind.GAUSSIAN), 9).xTrain();
    DMatrixRMaj a = switch (kind) {
      case "hinf" -> LimitKernels.hInf(x);
      case "ntk" -> EmpiricalNtk.gram(Network.initialize(ModelSpec.du(64), 10, 1, 3), x);
      default -> EmpiricalNtk.gram(Network.initialize(ModelSpec.du(8), 10, 1, 3), x); // 80 parameters < n
    };
    DMatrixRMaj copy = a.copy();
    EigenDecomposition_F64<DMatrixRMaj> qr = DecompositionFactory_DDRM.eig(n, false, true);
    assertTrue(qr.decompose(a.copy()));
    double[] all = new double[n];
    for (int i = 0; i < n; i++) {
      all[i] = qr.getEigenvalue(i).getReal();
    }
    double min = Arrays.stream(all).min().orElseThrow();
    double max = Arrays.stream(all).max().orElseThrow();
    double fullMin = Spectra.lambdaMinFull(a);
    double fullMax = Spectra.lambdaMaxFull(a);
    System.out.printf("%s n = %d: lambda_min %.17g (QR %.17g), lambda_max %.17g (QR %.17g)%n", kind, n, fullMin,
        min, fullMax, max);
    assertEquals(min, fullMin, 1e-13 * max, "lambda_min");
    assertEquals(max, fullMax, 1e-13 * max, "lambda_max");
    if (n < Spectra.SHIFT_INVERT_FROM || kind.startsWith("singular")) {
      assertEquals(fullMin, Spectra.lambdaMin(a), 0.0, "lambdaMin takes the full path at n = " + n);
    } else {
      assertEquals(fullMin, Spectra.lambdaMin(a), 1e-13 * max, "lambdaMin by shift and invert at n = " + n);
    }
    assertEquals(fullMax, Spectra.lambdaMax(a), 0.0, "lambdaMax takes the full path at n = " + n);
    assertTrue(Arrays.equals(copy.data, a.data), "the matrix is not modified");
  }

  private static double[] qrEigenvalues(double[] alpha, double[] beta, int m) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, false, true);
    assertTrue(eig.decompose(Lanczos.tridiagonal(alpha, beta, m)));
    double[] v = new double[m];
    for (int i = 0; i < m; i++) {
      v[i] = eig.getEigenvalue(i).getReal();
    }
    Arrays.sort(v);
    return v;
  }
}
