package io.github.overparam.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The iterative extreme eigenvalues (Lanczos; shift-invert for lambda_min) agree with the full
 * symmetric decomposition on the matrices a run computes them for: H^inf of sphere data and the
 * empirical NTK Gram (also a singular one: fewer parameters than points), at sizes where the
 * iterative path is taken, and a matrix of known spectrum.
 */
class SpectraTest {

  @ParameterizedTest(name = "H^inf, n = {0}, d = {1}")
  @CsvSource({"500, 10", "600, 100", "700, 3"})
  void iterativeAgreesWithTheFullDecompositionOnHInf(int n, int d) {
    DMatrixRMaj h = LimitKernels.hInf(Datasets.generate(DataSpec.sphere(n, d, LabelKind.GAUSSIAN), 3).xTrain());
    double fullMin = Spectra.lambdaMinFull(h);
    double fullMax = Spectra.lambdaMaxFull(h);
    double min = Spectra.lambdaMinIterative(h);
    double max = Spectra.lambdaMaxIterative(h);
    System.out.printf("H^inf n = %d, d = %d: lambda_min %.17g (full %.17g), lambda_max %.17g (full %.17g)%n", n, d,
        min, fullMin, max, fullMax);
    // Both are within a few ulps of lambda_max of the truth; relative to lambda_min, condition-limited.
    assertEquals(fullMin, min, 1e-12 * fullMax, "lambda_min");
    assertEquals(fullMax, max, 1e-12 * fullMax, "lambda_max");
    assertEquals(min, Spectra.lambdaMin(h), 0.0, "lambdaMin takes the iterative path at n = " + n);
    assertEquals(max, Spectra.lambdaMax(h), 0.0, "lambdaMax takes the iterative path at n = " + n);
    // Deterministic: the same bits on a second call.
    assertEquals(min, Spectra.lambdaMinIterative(h), 0.0);
  }

  @ParameterizedTest(name = "empirical NTK, n = {0}, width {1}")
  @CsvSource({"520, 200", "520, 20"})
  void empiricalNtkGram(int n, int width) {
    DMatrixRMaj x = Datasets.generate(DataSpec.sphere(n, 10, LabelKind.GAUSSIAN), 5).xTrain();
    Network net = Network.initialize(ModelSpec.du(width), 10, 1, 7);
    DMatrixRMaj gram = EmpiricalNtk.gram(net, x);
    // At this n the Gram's products run on the vector kernels: the same matrix as the definition.
    DMatrixRMaj definition = EmpiricalNtk.twoLayerGram(net, x);
    for (int e = 0; e < gram.getNumElements(); e++) {
      assertEquals(definition.data[e], gram.data[e], 1e-12, "entry " + e);
    }
    double fullMin = Spectra.lambdaMinFull(gram);
    double fullMax = Spectra.lambdaMaxFull(gram);
    System.out.printf("NTK n = %d, m = %d: lambda_min %.6g (full %.6g), iterative %.6g%n", n, width,
        Spectra.lambdaMin(gram), fullMin, Spectra.lambdaMinIterative(gram));
    assertEquals(fullMin, Spectra.lambdaMin(gram), 1e-12 * fullMax, "lambda_min");
    assertEquals(fullMax, Spectra.lambdaMax(gram), 1e-12 * fullMax, "lambda_max");
  }

  /**
   * Shift and invert where one Lanczos run on the Gram itself stalled (300 iterations without
   * converging): trained parameters just above n, the bottom of the spectrum clustered. It agrees with
   * the full decomposition relative to lambda_min; a Gram singular by rank (fewer parameters than
   * points) has no Cholesky factor, so lambda_min comes from the full decomposition.
   */
  @ParameterizedTest(name = "NTK n = {0}, width {1} (p = 10 width)")
  @CsvSource({"520, 56", "520, 20", "600, 1000", "1000, 110"})
  void shiftAndInvertOnTheNtkGram(int n, int width) {
    DMatrixRMaj x = Datasets.generate(DataSpec.sphere(n, 10, LabelKind.GAUSSIAN), 5).xTrain();
    DMatrixRMaj gram = EmpiricalNtk.gram(Network.initialize(ModelSpec.du(width), 10, 1, 7), x);
    double full = Spectra.lambdaMinFull(gram);
    double iterative = Spectra.lambdaMinIterative(gram);
    System.out.printf("NTK n = %d, m = %d: lambda_min by shift and invert %.17g, full %.17g%n", n, width, iterative,
        full);
    if (10 * width < n) {
      assertTrue(Double.isNaN(iterative), "rank " + 10 * width + " < " + n + ": no Cholesky factor");
      assertEquals(full, Spectra.lambdaMin(gram), 0.0, "the full path");
      return;
    }
    assertTrue(iterative > 0, "converged: " + iterative);
    assertEquals(full, iterative, 1e-10 * full, "relative to lambda_min");
    assertEquals(iterative, Spectra.lambdaMin(gram), 0.0, "lambdaMin takes this path at n = " + n);
  }

  @ParameterizedTest(name = "known spectrum, n = {0}")
  @CsvSource({"512", "800"})
  void aKnownSpectrum(int n) {
    // Q diag(1 .. n) Q^T with Q a product of Householder reflections: eigenvalues 1 and n exactly.
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      a.set(i, i, i + 1);
    }
    for (int r = 0; r < 3; r++) {
      DMatrixRMaj v = new DMatrixRMaj(n, 1);
      for (int i = 0; i < n; i++) {
        v.set(i, Math.sin(1.0 + i * (r + 2.0)));
      }
      CommonOps_DDRM.divide(v, NormOps_DDRM.normF(v));
      DMatrixRMaj house = CommonOps_DDRM.identity(n);
      CommonOps_DDRM.multAddTransB(-2, v, v, house);
      DMatrixRMaj t = new DMatrixRMaj(n, n);
      CommonOps_DDRM.mult(house, a, t);
      CommonOps_DDRM.mult(t, house, a);
    }
    assertEquals(1.0, Spectra.lambdaMin(a), 1e-10);
    assertEquals(n, Spectra.lambdaMax(a), 1e-10 * n);
  }
}
