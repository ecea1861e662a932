package io.github.overparam.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.theory.EmpiricalNtk;
import io.github.overparam.core.theory.Spectra;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The empirical NTK's lambda_min: 0 exactly where the net has fewer trained parameters than points
 * (the Gram's rank is at most their count, and a decomposition finds only rounding noise about 0),
 * and the decomposition's value otherwise, in either precision.
 */
class NtkSpectraTest {

  @ParameterizedTest(name = "n = {0}, width {1}, {2}")
  @CsvSource({"128, 8, F64", "128, 12, F64", "128, 13, F64", "256, 25, F32", "256, 26, F32", "64, 6, F64"})
  void singularExactlyWhenParametersAreFewerThanPoints(int n, int width, Precision precision) {
    Dataset data = Datasets.generate(DataSpec.sphere(n, 10, LabelKind.GAUSSIAN), 5);
    Network net = Network.initialize(ModelSpec.du(width), 10, 1, 7).withPrecision(precision);
    long p = net.trainedParameterCount();
    assertEquals(10L * width, p);
    DMatrixRMaj gram = EmpiricalNtk.gram(net.withPrecision(Precision.F64), data.xTrain());
    double decomposed = Spectra.lambdaMin(gram);
    double lambdaMax = Spectra.lambdaMax(gram);
    double measured = NtkSpectra.empiricalLambdaMin(net, data);
    System.out.printf("n = %d, p = %d: lambda_min %.6g (decomposition %.6g, lambda_max %.6g)%n", n, p, measured,
        decomposed, lambdaMax);
    if (p < n) {
      assertEquals(0.0, measured, 0.0, "rank <= p < n");
      // What the decomposition gives instead: noise of the order of eps lambda_max.
      assertEquals(0.0, decomposed, 1e-13 * lambdaMax);
    } else {
      assertEquals(decomposed, measured, 0.0, "p >= n: the decomposition's value");
      assertTrue(measured > 1e-6 * lambdaMax, "generic data, p >= n: nonsingular, lambda_min " + measured);
    }
  }
}
