package io.github.overparam.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.linalg.Symmetric;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Workspace;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Analytic kernels against their definitions and against Monte Carlo over wide random networks. */
class LimitKernelsTest {

  private static Dataset sphere(int n, int d, long seed) {
    return Datasets.generate(DataSpec.sphere(n, d, LabelKind.GAUSSIAN), seed);
  }

  private static double maxAbsDiff(DMatrixRMaj a, DMatrixRMaj b) {
    double max = 0;
    for (int i = 0; i < a.getNumElements(); i++) {
      max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
    }
    return max;
  }

  /**
   * H(0)_ij is an average over m independent neurons of a bounded quantity (|x_i . x_j| <= 1), so its
   * Monte Carlo error is about 0.5 / sqrt(m) = 0.0016 per entry at m = 10^5; the maximum over 55
   * distinct entries stays well below the required 0.01.
   */
  @Test
  void hInfMatchesEmpiricalGramOfVeryWideNet() {
    Dataset data = sphere(10, 5, 3);
    Network net = Network.initialize(ModelSpec.du(100_000), 5, 1, 99);
    DMatrixRMaj empirical = EmpiricalNtk.twoLayerGram(net, data.xTrain());
    DMatrixRMaj analytic = LimitKernels.hInf(data.xTrain());
    assertTrue(maxAbsDiff(empirical, analytic) < 0.01, "max |H(0) - H^inf| = " + maxAbsDiff(empirical, analytic));
    // Diagonal: x.x * (pi - 0) / (2 pi) = 1/2 exactly for unit inputs.
    for (int i = 0; i < 10; i++) {
      assertEquals(0.5, analytic.get(i, i), 1e-15);
    }
  }

  /** The layer-wise Gram trick equals H(W) of Du et al. computed from its definition (to rounding). */
  @Test
  void empiricalNtkOfTwoLayerNetIsDuDefinition() {
    Dataset data = sphere(12, 6, 5);
    Network net = Network.initialize(ModelSpec.du(300), 6, 1, 7);
    DMatrixRMaj viaBackprop = EmpiricalNtk.gram(net, data.xTrain());
    DMatrixRMaj viaDefinition = EmpiricalNtk.twoLayerGram(net, data.xTrain());
    assertTrue(maxAbsDiff(viaBackprop, viaDefinition) < 1e-12);
  }

  /**
   * From n = 500 the Gram counts the shared active units of Du's net on bit sets: still H(W) of the
   * definition (to rounding), and the sum of rounded products it replaced within q ulps.
   */
  @Test
  void empiricalNtkCountedOnBitSetsIsDuDefinition() {
    Dataset data = sphere(520, 6, 5);
    Network net = Network.initialize(ModelSpec.du(300), 6, 1, 7);
    DMatrixRMaj viaBackprop = EmpiricalNtk.gram(net, data.xTrain());
    DMatrixRMaj viaDefinition = EmpiricalNtk.twoLayerGram(net, data.xTrain());
    assertTrue(maxAbsDiff(viaBackprop, viaDefinition) < 1e-13, "max diff " + maxAbsDiff(viaBackprop, viaDefinition));
    DMatrixRMaj summed = new DMatrixRMaj(520, 520);
    Workspace ws = net.workspace(520);
    net.forward(data.xTrain(), ws);
    CommonOps_DDRM.fill(ws.outputGradient(), 1.0);
    net.backward(data.xTrain(), ws, (layer, input, delta) -> Symmetric.addHadamardGram(input, delta, summed));
    assertTrue(maxAbsDiff(viaBackprop, summed) < 300 * 1.2e-16, "max diff " + maxAbsDiff(viaBackprop, summed));
  }

  /** The general recursion reduces to Du et al.'s closed forms for two-layer nets (to rounding). */
  @Test
  void ntkLimitReducesToHInfAndGInf() {
    Dataset data = sphere(15, 4, 8);
    DMatrixRMaj h = LimitKernels.hInf(data.xTrain());
    DMatrixRMaj g = LimitKernels.gInf(data.xTrain());
    ModelSpec firstLayerOnly = ModelSpec.du(64);
    assertTrue(maxAbsDiff(LimitKernels.ntkLimit(data.xTrain(), firstLayerOnly), h) < 1e-12);
    ModelSpec both = new ModelSpec(Arch.TWO_LAYER, Parameterization.DU, Activation.RELU, 64, 1, true);
    DMatrixRMaj sum = new DMatrixRMaj(15, 15);
    CommonOps_DDRM.add(h, g, sum);
    assertTrue(maxAbsDiff(LimitKernels.ntkLimit(data.xTrain(), both), sum) < 1e-12);
    // Which limits a run may take as H^inf (and their lambda_min as lambda_0): Du's net, output fixed.
    assertTrue(LimitKernels.ntkLimitIsHInf(firstLayerOnly));
    assertFalse(LimitKernels.ntkLimitIsHInf(both));
    assertFalse(LimitKernels.ntkLimitIsHInf(
        new ModelSpec(Arch.TWO_LAYER, Parameterization.DU, Activation.SOFTPLUS, 64, 1, false)));
    assertFalse(LimitKernels.ntkLimitIsHInf(
        new ModelSpec(Arch.TWO_LAYER, Parameterization.STANDARD, Activation.RELU, 64, 1, false)));
  }

  /** Where the limit is H^inf, its lambda_min is lambda_0 to rounding, at the sizes runs compute both. */
  @ParameterizedTest(name = "n = {0}, width {1}")
  @CsvSource({"64, 8", "256, 32", "300, 1000"})
  void duLimitLambdaMinIsLambda0(int n, int width) {
    Dataset data = sphere(n, 10, 4);
    DMatrixRMaj h = LimitKernels.hInf(data.xTrain());
    double lambdaMax = Spectra.lambdaMax(h);
    ModelSpec du = ModelSpec.du(width);
    assertTrue(LimitKernels.ntkLimitIsHInf(du));
    assertEquals(LimitKernels.lambda0(data.xTrain()), Spectra.lambdaMin(LimitKernels.ntkLimit(data.xTrain(), du)),
        1e-13 * lambdaMax);
  }

  /** G^inf against a Monte Carlo average of relu(w.x_i) relu(w.x_j) over the columns of a wide net. */
  @Test
  void gInfMatchesMonteCarlo() {
    Dataset data = sphere(8, 5, 13);
    ModelSpec both = new ModelSpec(Arch.TWO_LAYER, Parameterization.DU, Activation.RELU, 100_000, 1, true);
    Network net = Network.initialize(both, 5, 1, 17);
    DMatrixRMaj full = EmpiricalNtk.gram(net, data.xTrain());
    DMatrixRMaj firstLayer = EmpiricalNtk.twoLayerGram(net, data.xTrain());
    DMatrixRMaj outputPart = new DMatrixRMaj(8, 8);
    CommonOps_DDRM.subtract(full, firstLayer, outputPart);
    // Per-entry standard error about sqrt(Var relu relu / m) <= 0.3 / sqrt(1e5) = 0.001.
    assertTrue(maxAbsDiff(outputPart, LimitKernels.gInf(data.xTrain())) < 0.01);
  }

  /**
   * The deep arc-cosine recursion against the empirical Gram J J^T of wide deep nets, for each
   * parameterization. The finite-width NTK fluctuates around its limit with relative size about
   * sqrt(L / m) (Hanin and Nica 2020): about 4% at m = 2048, L = 3, so a 12% bound on the largest
   * entry, relative to the largest entry, and a 15% bound on lambda_min leave room without hiding a
   * wrong layer (a missing layer's term changes entries by 1 / (L + 1) or more).
   */
  @ParameterizedTest(name = "{0} depth {1}")
  @CsvSource({"ALLEN_ZHU, 2", "ZOU, 3", "STANDARD, 3", "ZOU, 1"})
  void deepNtkRecursionMatchesWideNet(Parameterization p, int depth) {
    int n = 8;
    int m = 2048;
    DataSpec spec = DataSpec.sphere(n, 6, LabelKind.GAUSSIAN).withInputMap(p == Parameterization.ALLEN_ZHU
        ? InputMap.ALLEN_ZHU : InputMap.NONE);
    Dataset data = Datasets.generate(spec, 21);
    Arch arch = depth == 1 && p != Parameterization.ALLEN_ZHU ? Arch.TWO_LAYER : Arch.DEEP;
    ModelSpec model = ModelSpec.of(arch, p, Activation.RELU, m, depth);
    DMatrixRMaj limit = LimitKernels.ntkLimit(data.xTrain(), model);
    double scale = CommonOps_DDRM.elementMaxAbs(limit);
    DMatrixRMaj mean = new DMatrixRMaj(n, n);
    int nets = 3;
    for (int s = 0; s < nets; s++) {
      CommonOps_DDRM.addEquals(mean, 1.0 / nets, EmpiricalNtk.gram(Network.initialize(model, 6, 1, 100 + s),
          data.xTrain()));
    }
    double rel = maxAbsDiff(mean, limit) / scale;
    assertTrue(rel < 0.12, "max relative entry difference " + rel);
    double lmEmp = Spectra.lambdaMin(mean);
    double lmLim = Spectra.lambdaMin(limit);
    assertTrue(Math.abs(lmEmp - lmLim) / lmLim < 0.15, "lambda_min " + lmEmp + " vs limit " + lmLim);
  }

  @Test
  void lambda0IsPositiveForDistinctPointsAndEigenvaluesAreRight() {
    DMatrixRMaj diag = CommonOps_DDRM.diag(3.0, 1.0, 2.0);
    assertEquals(1.0, Spectra.lambdaMin(diag), 1e-14);
    assertEquals(3.0, Spectra.lambdaMax(diag), 1e-14);
    assertTrue(LimitKernels.lambda0(sphere(30, 10, 1).xTrain()) > 0);
  }
}
