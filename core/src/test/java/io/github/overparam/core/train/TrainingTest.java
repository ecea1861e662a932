package io.github.overparam.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.run.Curve;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import org.junit.jupiter.api.Test;

/** Stopping rules, statuses, recorded quantities and spec validation of the run function. */
class TrainingTest {
  private static final RecordSpec RECORD = new RecordSpec(50, true, 200);

  private static RunSpec du(int n, int m, double lr, int steps, TargetLoss target) {
    return new RunSpec(DataSpec.sphere(n, 10, LabelKind.GAUSSIAN), ModelSpec.du(m),
        TrainSpec.gd(lr, Loss.HALF_SUM_SQUARED, steps, target), RECORD, 1);
  }

  @Test
  void wideTwoLayerNetConvergesGeometricallyAtLeastAsFastAsDuBound() {
    RunSpec spec = du(20, 2000, 0.5, 5000, TargetLoss.relative(1e-4));
    RunResult r = Runs.execute(spec);
    assertEquals(Status.CONVERGED, r.status());
    assertEquals(r.outcome().steps(), r.outcome().stepsToTarget());
    assertTrue(r.outcome().finalLoss() <= 1e-4 * r.outcome().initialLoss());
    assertEquals(r.outcome().targetLoss(), 1e-4 * r.outcome().initialLoss(), 1e-15 * r.outcome().initialLoss());
    // Du et al. Theorem 4.1: loss(k) <= (1 - eta lambda_0 / 2)^k loss(0) at every recorded step.
    double lambda0 = r.dataset().lambda0();
    assertTrue(lambda0 > 0);
    assertTrue(r.outcome().rateMin() >= 0.5 * lambda0 / 2, "worst rate " + r.outcome().rateMin()
        + " < eta lambda0 / 2");
    assertTrue(r.outcome().rateFit() > 0 && r.outcome().rateFit() < 1);
    // The curve: step 0 first, ascending, and the stopping step last.
    int[] steps = r.curve().steps();
    assertEquals(0, steps[0]);
    assertEquals(r.outcome().steps(), steps[steps.length - 1]);
    for (int i = 1; i < steps.length; i++) {
      assertTrue(steps[i] > steps[i - 1]);
    }
    assertEquals(r.outcome().initialLoss(), r.curve().loss()[0]);
    assertEquals(r.outcome().finalLoss(), r.curve().loss()[steps.length - 1]);
    assertEquals(0.0, r.curve().flipFraction()[0]);
    assertEquals(0.0, r.curve().maxNeuronDistance()[0]);
    // Counts and bookkeeping.
    assertEquals(2000L * 10 + 2000, r.cost().paramCount());
    assertEquals(2000L * 10, r.cost().trainedParamCount());
    assertEquals(1, r.movement().trainedLayers().length);
    assertTrue(r.cost().flops() > 0);
    assertTrue(r.ntk().lambdaMinInit() > 0 && r.ntk().lambdaMinFinal() > 0);
    // Wide net: the empirical NTK stays near H^inf, whose lambda_min is lambda_0 (Du et al. Lemma 3.1).
    assertEquals(lambda0, r.ntk().lambdaMinInit(), 0.3 * lambda0);
    // Its limit kernel is H^inf itself, so the run takes the limit's lambda_min from lambda_0.
    assertEquals(lambda0, r.ntk().limitLambdaMin(), 0.0);
    assertNull(r.ntk().note());
    assertNull(r.outcome().error());
  }

  @Test
  void stopsAtMaxSteps() {
    RunResult r = Runs.execute(du(20, 100, 0.01, 7, TargetLoss.relative(1e-9)));
    assertEquals(Status.MAX_STEPS, r.status());
    assertEquals(7, r.outcome().steps());
    assertEquals(-1, r.outcome().stepsToTarget());
    assertTrue(r.outcome().finalLoss() < r.outcome().initialLoss());
  }

  @Test
  void hugeStepSizeDivergesWithoutThrowing() {
    RunResult r = Runs.execute(du(20, 100, 1e4, 1000, TargetLoss.relative(1e-4)));
    assertEquals(Status.DIVERGED, r.status());
    assertTrue(r.outcome().steps() < 1000);
    assertTrue(!Double.isFinite(r.outcome().finalLoss()) || r.outcome().finalLoss() > 1e6 * r.outcome().initialLoss());
    assertTrue(Double.isNaN(r.ntk().lambdaMinFinal()));
    assertTrue(r.ntk().note().contains("diverged"));
  }

  @Test
  void sgdReducesLogisticLossAndReportsAccuracy() {
    RunSpec spec = new RunSpec(DataSpec.sphere(40, 5, LabelKind.SIGN).withTest(50),
        ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 128, 2),
        TrainSpec.sgd(0.5, 8, Loss.LOGISTIC, 3000, TargetLoss.absolute(0.05)), RECORD, 3);
    RunResult r = Runs.execute(spec);
    assertEquals(Status.CONVERGED, r.status(), "final loss " + r.outcome().finalLoss());
    assertTrue(r.generalization().trainAccuracy() >= 0.975, "train accuracy " + r.generalization().trainAccuracy());
    // Random sign labels: nothing to generalize, test accuracy near chance.
    assertTrue(r.generalization().testAccuracy() > 0.2 && r.generalization().testAccuracy() < 0.8, "test accuracy "
        + r.generalization().testAccuracy());
    assertTrue(Double.isFinite(r.generalization().testLoss()));
    assertEquals(2, r.movement().trainedLayers().length);
    assertEquals(2, r.movement().flipFractions().length);
  }

  @Test
  void sgdWithFullBatchIsGradientDescent() {
    DataSpec data = DataSpec.sphere(12, 4, LabelKind.GAUSSIAN);
    ModelSpec model = ModelSpec.du(50);
    RunResult gd = Runs.execute(new RunSpec(data, model,
        TrainSpec.gd(0.3, Loss.HALF_SUM_SQUARED, 40, TargetLoss.relative(1e-9)), RECORD, 0));
    RunResult sgd = Runs.execute(new RunSpec(data, model,
        TrainSpec.sgd(0.3, 12, Loss.HALF_SUM_SQUARED, 40, TargetLoss.relative(1e-9)), RECORD, 0));
    // Only the summation order over points differs: rounding, 1e-12 relative after 40 steps.
    assertEquals(gd.outcome().finalLoss(), sgd.outcome().finalLoss(), 1e-12 * gd.outcome().finalLoss());
  }

  @Test
  void allenZhuTrainsOnlyTheHiddenSquareLayers() {
    RunSpec spec = new RunSpec(DataSpec.sphere(10, 6, LabelKind.GAUSSIAN).withInputMap(InputMap.ALLEN_ZHU),
        ModelSpec.of(Arch.DEEP, Parameterization.ALLEN_ZHU, Activation.RELU, 64, 2),
        TrainSpec.gd(0.05, Loss.HALF_SUM_SQUARED, 300, TargetLoss.relative(1e-2)), RECORD, 0);
    RunResult r = Runs.execute(spec);
    assertEquals(Status.CONVERGED, r.status());
    assertEquals(2 * 64L * 64, r.cost().trainedParamCount());
    assertEquals(6 * 64L + 2 * 64 * 64 + 64, r.cost().paramCount());
    assertEquals(2, r.movement().trainedLayers()[1]);
    assertEquals(3, r.movement().flipFractions().length);
    assertEquals(0.0, r.movement().flipFractions()[0], "the fixed input layer's patterns cannot change");
  }

  @Test
  void recordsNtkSkipReasonAboveTheLimit() {
    RunSpec spec = new RunSpec(DataSpec.sphere(30, 5, LabelKind.GAUSSIAN), ModelSpec.du(20),
        TrainSpec.gd(0.1, Loss.HALF_SUM_SQUARED, 3, TargetLoss.relative(1e-3)), new RecordSpec(10, true, 20), 0);
    RunResult r = Runs.execute(spec);
    assertTrue(Double.isNaN(r.ntk().lambdaMinInit()));
    assertTrue(Double.isNaN(r.dataset().lambda0()));
    assertEquals("n = 30 > record.ntk_max_n = 20", r.ntk().note());
    assertEquals("n = 30 > record.ntk_max_n = 20", r.dataset().lambda0Note());
  }

  @Test
  void aRunThatThrowsIsAFailedResultNotAnException() {
    // 100,000 x 100,000 weights overflow a Java array: the run fails, the caller gets a row.
    RunSpec spec = new RunSpec(DataSpec.sphere(5, 3, LabelKind.GAUSSIAN),
        ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 100_000, 2),
        TrainSpec.gd(0.1, Loss.MSE, 10, TargetLoss.relative(0.1)), RECORD, 0);
    RunResult r = Runs.execute(spec);
    assertEquals(Status.FAILED, r.status());
    assertTrue(r.outcome().error() != null && !r.outcome().error().isBlank(), "error message: " + r.outcome().error());
    assertEquals(spec.runId(), r.runId());
    assertEquals(0, r.curve().size());
    assertTrue(r.dataset() != null && r.dataset().delta() > 0, "the data set was still summarized");
  }

  @Test
  void curveScheduleIsLogSpaced() {
    int[] s = Curve.schedule(5000, 100);
    assertEquals(0, s[0]);
    assertEquals(1, s[1]);
    assertEquals(5000, s[s.length - 1]);
    assertTrue(s.length > 60 && s.length <= 101, "points " + s.length);
    assertEquals(3, Curve.schedule(2, 100).length);
  }

  @Test
  void invalidSpecsNameTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.du(0));
    assertEquals("model.width = 0: must be an integer >= 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TrainSpec.gd(-1, Loss.MSE, 10, TargetLoss.relative(0.1)));
    assertTrue(e.getMessage().startsWith("train.lr = -1.0"));
    e = assertThrows(IllegalArgumentException.class, () -> new RunSpec(DataSpec.sphere(5, 3, LabelKind.GAUSSIAN),
        ModelSpec.du(4), TrainSpec.gd(0.1, Loss.LOGISTIC, 10, TargetLoss.relative(0.1)), RECORD, 0));
    assertTrue(e.getMessage().startsWith("train.loss = logistic"));
    e = assertThrows(IllegalArgumentException.class, () -> new RunSpec(DataSpec.sphere(5, 3, LabelKind.GAUSSIAN),
        ModelSpec.du(4), TrainSpec.sgd(0.1, 6, Loss.MSE, 10, TargetLoss.relative(0.1)), RECORD, 0));
    assertTrue(e.getMessage().startsWith("train.batch_size = 6"));
    e = assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.of(Arch.TWO_LAYER, Parameterization.ZOU, Activation.RELU, 4, 2));
    assertTrue(e.getMessage().startsWith("model.depth = 2"));
  }
}
