package io.github.overparam.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.PackedDeepGd;
import io.github.overparam.core.train.PackedTrainer;
import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs trained packed ({@link Runs#executeAll}) give, run by run, the results of each run executed
 * alone (wall time aside), bit for bit: converged, max_steps and diverged runs in one pack, packs
 * cut at the lanes, runs that do not pack between them, in the order given.
 */
class PackedRunsTest {
  private static RunSpec deep(Parameterization p, int width, long seed, double lr, int maxSteps) {
    return new RunSpec(DataSpec.sphere(24, 5, LabelKind.GAUSSIAN),
        ModelSpec.of(Arch.DEEP, p, Activation.RELU, width, 2),
        TrainSpec.gd(lr, Loss.HALF_SUM_SQUARED, maxSteps, TargetLoss.relative(0.2)), new RecordSpec(12, true, 100),
        seed);
  }

  @Test
  void packedRunsHaveTheBitsOfRunsAlone() {
    assumeTrue(PackedDeepGd.available(), "needs the vector kernels");
    List<RunSpec> specs = new ArrayList<>();
    // More seeds than a pack has lanes (a second pack), step sizes from slow to diverging, budgets
    // that end some runs at max_steps, a net that does not pack (two-layer, 16 wide) and other keys
    // (Allen-Zhu's nets, width 6) in between.
    for (int seed = 0; seed < PackedTrainer.LANES + 3; seed++) {
      double lr = seed == 2 ? 40.0 : 0.05 * (1 + seed % 4);
      specs.add(deep(Parameterization.ZOU, 4, seed, lr, seed % 3 == 0 ? 40 : 400));
      if (seed == 1) {
        specs.add(new RunSpec(DataSpec.sphere(24, 5, LabelKind.GAUSSIAN), ModelSpec.du(16),
            TrainSpec.gd(0.5, Loss.HALF_SUM_SQUARED, 100, TargetLoss.relative(1e-2)), new RecordSpec(12, true, 100),
            seed));
      }
      specs.add(deep(Parameterization.ALLEN_ZHU, 6, seed, 0.02, 300 - 10 * seed));
      // Du et al.'s two-layer nets pack too.
      specs.add(new RunSpec(DataSpec.sphere(24, 5, LabelKind.GAUSSIAN), ModelSpec.du(6),
          TrainSpec.gd(0.2 * (1 + seed % 3), Loss.HALF_SUM_SQUARED, 200 + 50 * seed, TargetLoss.relative(0.05)),
          new RecordSpec(12, true, 100), seed));
    }
    List<RunResult> packed = Runs.executeAll(specs, new RunContext());
    assertEquals(specs.size(), packed.size());
    Set<Status> seen = EnumSet.noneOf(Status.class);
    for (int i = 0; i < specs.size(); i++) {
      RunResult alone = Runs.execute(specs.get(i));
      RunResult got = packed.get(i);
      assertEquals(specs.get(i).runId(), got.runId(), "in order");
      assertNotEquals(Status.FAILED, got.status(), got.outcome().toString());
      DeterminismTest.assertSameResult(alone, got);
      assertTrue(got.cost().wallMicros() > 0, "a run's own time");
      seen.add(got.status());
    }
    assertEquals(EnumSet.of(Status.CONVERGED, Status.MAX_STEPS, Status.DIVERGED), seen);
  }

  @Test
  void onlyNarrowFloat64GdRunsHaveAKey() {
    RunSpec ok = deep(Parameterization.ZOU, 8, 1, 0.1, 10);
    assertNotNull(Runs.packKey(ok));
    assertEquals(Runs.packKey(ok), Runs.packKey(deep(Parameterization.ZOU, 8, 2, 0.3, 50)), "seeds, steps, lr");
    assertNotEquals(Runs.packKey(ok), Runs.packKey(deep(Parameterization.ZOU, 6, 1, 0.1, 10)), "width");
    assertNotNull(Runs.packKey(deep(Parameterization.ZOU, 40, 1, 0.1, 10)), "40 wide on 24 points");
    assertNull(Runs.packKey(deep(Parameterization.ZOU, 41, 1, 0.1, 10)), "too wide");
    assertNull(Runs.packKey(new RunSpec(ok.data(), ok.model(), ok.train().withPrecision(Precision.F32), ok.record(),
        1)), "float32");
    assertNull(Runs.packKey(new RunSpec(ok.data(), ok.model(), TrainSpec.sgd(0.1, 4, Loss.HALF_SUM_SQUARED, 10,
        TargetLoss.relative(1e-2)), ok.record(), 1)), "sgd");
    assertNull(Runs.packKey(new RunSpec(ok.data(), ok.model(), ok.train(), ok.record().withSurrogate(true), 1)),
        "surrogate");
    assertNotNull(Runs.packKey(new RunSpec(ok.data(), ModelSpec.du(7), ok.train(), ok.record(), 1)), "two-layer");
    assertNotNull(Runs.packKey(new RunSpec(ok.data(), ModelSpec.du(11), ok.train(), ok.record(), 1)), "two-layer, 11");
    assertNull(Runs.packKey(new RunSpec(ok.data(), ModelSpec.du(PackedTrainer.LANES), ok.train(), ok.record(), 1)),
        "two-layer, a vector wide");
    assertNull(Runs.packKey(new RunSpec(ok.data(), ModelSpec.du(16), ok.train(), ok.record(), 1)), "two-layer, 16");
    assertNull(Runs.packKey(new RunSpec(DataSpec.sphere(16, 8, LabelKind.GAUSSIAN), ModelSpec.of(Arch.CNN,
        Parameterization.ZOU, Activation.RELU, 6, 2).withPatch(3, 2), ok.train(), ok.record(), 1)), "cnn");
  }
}
