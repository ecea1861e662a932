package io.github.overparam.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import org.junit.jupiter.api.Test;

/** The planner's per-run memory estimate in both precisions, and shortened copies of runs. */
class CostsTest {

  @Test
  void floatHalvesTheNetsMemoryAndKeepsTheKernelsInDouble() {
    DataSpec data = DataSpec.sphere(200, 10, LabelKind.GAUSSIAN);
    ModelSpec model = ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 64, 2);
    TrainSpec f64 = TrainSpec.gd(0.1, Loss.HALF_SUM_SQUARED, 100, TargetLoss.relative(1e-3));
    TrainSpec f32 = f64.withPrecision(Precision.F32);
    RecordSpec noKernels = new RecordSpec(10, false, 1000);
    double net = Costs.memoryBytes(new RunSpec(data, model, f64, noKernels, 0));
    assertEquals(net / 2, Costs.memoryBytes(new RunSpec(data, model, f32, noKernels, 0)), 1e-9 * net);
    // With the kernels: the n x n kernels stay double, and the empirical NTK runs on a double copy of
    // the net (its weights and n rows of four buffers of the width per hidden layer).
    RecordSpec kernels = new RecordSpec(10, true, 1000);
    double withKernels64 = Costs.memoryBytes(new RunSpec(data, model, f64, kernels, 0));
    double kernelBytes = withKernels64 - net;
    assertEquals(8.0 * 4 * 200 * 200, kernelBytes, 1e-9);
    double copy = 8 * (Costs.parameters(new RunSpec(data, model, f64, kernels, 0)) + 200 * 4.0 * 64
        * model.hiddenLayers());
    assertEquals(net / 2 + kernelBytes + copy, Costs.memoryBytes(new RunSpec(data, model, f32, kernels, 0)), 1e-6);
  }

  @Test
  void shortenedRunsTakeAboutTheirBudget() {
    TrainSpec train = TrainSpec.gd(0.5, Loss.HALF_SUM_SQUARED, 100_000, TargetLoss.absolute(1e-300));
    RecordSpec record = new RecordSpec(20, true, 64);
    double budget = 1e8;
    RunSpec s = new RunSpec(DataSpec.sphere(128, 4, LabelKind.GAUSSIAN), ModelSpec.du(64), train, record, 0);
    RunSpec w = Costs.shortened(s, budget);
    assertNotEquals(s.train().maxSteps(), w.train().maxSteps());
    double flops = Costs.flopsPerStep(s) * w.train().maxSteps();
    assertTrue(flops <= budget && flops > budget - Costs.flopsPerStep(s), "about the budget: " + flops);
    assertEquals(s.data(), w.data());
    assertEquals(s.model(), w.model());
    assertEquals(s.train().withMaxSteps(w.train().maxSteps()), w.train());
    assertEquals(s.seed(), w.seed());
    RunSpec small = new RunSpec(DataSpec.sphere(16, 4, LabelKind.GAUSSIAN), ModelSpec.du(4), train.withMaxSteps(300),
        record, 0);
    assertSame(small, Costs.shortened(small, budget), "a run within the budget is not shortened");
    RunSpec oneStep = new RunSpec(small.data(), small.model(), train.withMaxSteps(1), record, 0);
    assertEquals(1, Costs.shortened(oneStep, budget).train().maxSteps(), "never more than max_steps");
    RunSpec huge = new RunSpec(DataSpec.sphere(2000, 100, LabelKind.GAUSSIAN), ModelSpec.du(4000), train,
        RecordSpec.defaults(), 0);
    assertEquals(2, Costs.shortened(huge, budget).train().maxSteps(), "two steps at least");
  }
}
