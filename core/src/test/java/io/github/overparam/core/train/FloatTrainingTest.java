package io.github.overparam.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Training in float32 follows training in float64 on small problems, within stated tolerances. */
class FloatTrainingTest {

  /**
   * The float32 loss curve against the float64 one from the same initial weights, every step:
   * max_k |L32(k) - L64(k)| / L64(0) below 1e-4. The two start 1e-7 apart (the weights rounded to
   * float), each float step adds rounding of order 1e-7 relative, and GD at these stable step sizes
   * contracts, so the differences stay small: measured 4e-8 (Du), 3e-7 and 4e-7 (Allen-Zhu, Zou),
   * 2e-6 (Zou, SGD with the same batches) and 1.5e-5 (standard softplus, which trains slowest);
   * 1e-4 leaves a margin of 6 or more, while a float path that computed a wrong gradient would leave
   * the curve at once. (At a step size near the edge of stability, 0.05 for the softplus net, the
   * loss first rises and the two curves drift apart by 4% of L(0): float arithmetic is no more
   * stable than the dynamics it follows.) Both runs must also end the same way at the same step
   * within 1% (the step at which a geometric curve crosses the target moves by about the relative
   * loss difference divided by the per-step rate).
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"du, gd", "zou, gd", "allen_zhu, gd", "standard_softplus, gd", "zou, sgd"})
  void floatLossCurveTracksTheDoubleOne(String net, String optimizer) {
    Dataset data = Datasets.generate(DataSpec.sphere(24, 8, LabelKind.GAUSSIAN), 5);
    ModelSpec model = switch (net) {
      case "du" -> ModelSpec.du(256);
      case "zou" -> ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 64, 2);
      case "allen_zhu" -> ModelSpec.of(Arch.DEEP, Parameterization.ALLEN_ZHU, Activation.RELU, 64, 2);
      default -> ModelSpec.of(Arch.DEEP, Parameterization.STANDARD, Activation.SOFTPLUS, 64, 2);
    };
    double lr = switch (net) {
      case "du" -> 0.3;
      case "zou", "allen_zhu" -> 0.02;
      default -> 0.003;
    };
    int steps = 400;
    TrainSpec spec = optimizer.equals("gd") ? TrainSpec.gd(lr, Loss.HALF_SUM_SQUARED, steps, TargetLoss.relative(1e-3))
        : TrainSpec.sgd(lr, 8, Loss.HALF_SUM_SQUARED, steps, TargetLoss.relative(1e-3));
    Network base = Network.initialize(model, data.d(), 1, 17);
    double[] log64 = train(base.copy(), data, spec);
    double[] log32 = train(base.withPrecision(Precision.F32), data, spec);
    double worst = 0;
    int compared = 0;
    for (int k = 0; k < log64.length; k++) {
      if (!Double.isNaN(log64[k])) {
        assertTrue(!Double.isNaN(log32[k]), "f32 evaluated no loss at step " + k);
        worst = Math.max(worst, Math.abs(log32[k] - log64[k]) / log64[0]);
        compared++;
      }
    }
    assertTrue(compared > 10, "compared only " + compared + " steps");
    assertTrue(log64[0] > 0 && worst < 1e-4, "f32 loss differs from f64 by " + worst + " of L(0); f64 curve "
        + log64[0] + " " + log64[10] + " " + log64[100] + " " + log64[steps]);
    assertTrue(worst > 0, "f32 and f64 curves are identical: not float arithmetic");
    Trajectory t64 = Trainer.train(base.copy(), data, spec, TrainOptions.of(20, 3, new Drift(base.copy(), 24)));
    Network single = base.withPrecision(Precision.F32);
    Trajectory t32 = Trainer.train(single, data, spec, TrainOptions.of(20, 3, new Drift(single, 24)));
    assertEquals(t64.status(), t32.status());
    assertEquals(t64.steps(), t32.steps(), Math.max(1, 0.01 * t64.steps()), "steps made");
    assertTrue(t64.finalLoss() < 0.5 * t64.initialLoss(), "the problem trains: " + t64.finalLoss());
  }

  private static double[] train(Network net, Dataset data, TrainSpec spec) {
    double[] log = new double[spec.maxSteps() + 1];
    Arrays.fill(log, Double.NaN);
    TrainOptions options = TrainOptions.of(20, 3, new Drift(net, data.n())).withExactSteps(spec.maxSteps()).withLossLog(
        log);
    Trainer.train(net, data, spec, options);
    return log;
  }
}
