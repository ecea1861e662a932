package io.github.overparam.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.PackedTrainer;
import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JIT warm-up before the runs of a small shape: once per shape and context, never for large runs, no effect on results. */
class WarmupTest {
  private static final TrainSpec TRAIN = TrainSpec.gd(0.5, Loss.HALF_SUM_SQUARED, 300, TargetLoss.absolute(1e-300));

  private static RunSpec spec(int n, int width, TrainSpec train, long seed) {
    return new RunSpec(DataSpec.sphere(n, 4, LabelKind.GAUSSIAN), ModelSpec.du(width), train, new RecordSpec(20, true,
        64), seed);
  }

  @Test
  void warmsEachSmallShapeOncePerContext() {
    RunContext context = new RunContext(new UserTables(), 1 << 20);
    long ms = Warmup.ensure(spec(16, 4, TRAIN, 0), context);
    long first = context.warmUpNanos();
    assertTrue(first > 0, "the first run of a small shape is warmed");
    assertEquals(first / 1_000_000L, ms, "the milliseconds returned are those counted");
    if (ManagementFactory.getCompilationMXBean().isCompilationTimeMonitoringSupported()) {
      assertTrue(ms >= Warmup.QUIET_MS, "it runs until the JIT has been quiet for " + Warmup.QUIET_MS + " ms: " + ms);
    }
    // Another seed, step size, budget or n of the same power-of-two bucket: the same code, no second warm-up.
    assertEquals(0, Warmup.ensure(spec(16, 4, TRAIN, 9), context));
    assertEquals(0, Warmup.ensure(spec(16, 4, TRAIN.withLr(0.1).withMaxSteps(50), 1), context));
    assertEquals(0, Warmup.ensure(spec(31, 4, TRAIN, 2), context));
    assertEquals(first, context.warmUpNanos(), "nothing more was warmed");
    // A width of the bucket whose last tile is ragged (another edge path), a width of another
    // bucket, float32 and another n bucket are other shapes.
    Warmup.ensure(spec(16, 6, TRAIN, 0), context);
    long ragged = context.warmUpNanos();
    assertTrue(ragged > first, "a width with a ragged last tile is warmed");
    assertEquals(0, Warmup.ensure(spec(16, 7, TRAIN, 3), context), "5-7 units: one edge path");
    Warmup.ensure(spec(16, 64, TRAIN, 0), context);
    long second = context.warmUpNanos();
    assertTrue(second > ragged, "a width of another bucket is warmed");
    Warmup.ensure(spec(16, 4, TRAIN.withPrecision(Precision.F32), 0), context);
    assertTrue(context.warmUpNanos() > second, "float32 is warmed on its own");
    // Another context (another executor JVM's) warms again.
    RunContext other = new RunContext(new UserTables(), 1 << 20);
    Warmup.ensure(spec(16, 4, TRAIN, 0), other);
    assertTrue(other.warmUpNanos() > 0);
  }

  /**
   * A run with n x n kernels on more than 500 points warms a proxy on 500 points first (the same
   * kernels' paths, cheaper calls), under the proxy's own shape; the milliseconds returned count both.
   */
  @Test
  void kernelsOnManyPointsWarmAProxyOnFewerFirst() {
    RunSpec big = new RunSpec(DataSpec.sphere(600, 4, LabelKind.GAUSSIAN), ModelSpec.du(8), TRAIN,
        new RecordSpec(20, true, 1000), 0);
    RunSpec proxy = Warmup.proxy(big);
    assertEquals(Warmup.PROXY_N, proxy.data().n());
    assertEquals(big.data().withN(Warmup.PROXY_N), proxy.data());
    assertEquals(big.model(), proxy.model());
    assertEquals(big.train(), proxy.train());
    assertEquals(big.record(), proxy.record());
    assertNull(Warmup.proxy(spec(16, 4, TRAIN, 0)), "500 points or fewer: no proxy");
    assertNull(Warmup.proxy(new RunSpec(big.data(), big.model(), TRAIN, new RecordSpec(20, true, 599), 0)),
        "no n x n kernels above record.ntk_max_n: no proxy");
    TrainSpec sgd = TrainSpec.sgd(0.1, 550, Loss.HALF_SUM_SQUARED, 10, TargetLoss.absolute(1e-300));
    assertNull(Warmup.proxy(new RunSpec(big.data(), big.model(), sgd, big.record(), 0)),
        "a mini-batch larger than the proxy's points: no proxy");
    RunContext context = new RunContext();
    // A budget of 1 ms a shape: one warm-up run each.
    long ms = Warmup.ensure(big, context, 1_000_000L);
    assertEquals(0, Warmup.ensure(proxy, context), "the proxy's shape was warmed with the run's");
    assertTrue(Math.abs(ms - context.warmUpNanos() / 1_000_000L) <= 1,
        ms + " ms returned, " + context.warmUpNanos() + " ns counted");
  }

  @Test
  void largeRunsAreNotWarmed() {
    RunSpec large = spec(256, 256, TRAIN.withMaxSteps(2_000_000), 0);
    assertTrue(Costs.flops(large) > Warmup.MAX_RUN_FLOPS, "the spec is large: " + Costs.flops(large));
    RunContext context = new RunContext();
    assertEquals(0, Warmup.ensure(large, context));
    assertEquals(0, context.warmUpNanos(), "no warm-up run was made");
  }

  @Test
  void aShapeWithoutBudgetRunsNothingAndIsNotTriedAgain() {
    RunContext context = new RunContext();
    assertEquals(0, Warmup.ensure(spec(16, 4, TRAIN, 0), context, 0));
    assertTrue(context.warmUpNanos() < 1_000_000L, "no run within a budget of 0: " + context.warmUpNanos() + " ns");
    long before = context.warmUpNanos();
    assertEquals(0, Warmup.ensure(spec(16, 4, TRAIN, 1), context));
    assertEquals(before, context.warmUpNanos(), "the shape was claimed");
  }

  @Test
  void warmUpChangesNoResult() {
    RunSpec s = spec(20, 8, TRAIN, 3);
    RunResult cold = Runs.execute(s, new RunContext());
    RunContext context = new RunContext();
    Warmup.ensure(s, context);
    RunResult warm = Runs.execute(s, context);
    DeterminismTest.assertSameResult(cold, warm);
  }

  /**
   * A shape that trains packed is warmed as a pack and alone (a pack's kernels are not the alone
   * path's), and the warm-up run's result is still the run's own: the bits of the same spec run
   * alone.
   */
  @Test
  void aPackingShapeWarmsAsAPackWithTheBitsOfARunAlone() {
    RunSpec s = spec(16, 4, TRAIN, 5);
    assertNotNull(Runs.packKey(s), "width 4 packs");
    RunResult alone = Runs.execute(s, new RunContext());
    DeterminismTest.assertSameResult(alone, Warmup.warmRun(s, new RunContext()));
    RunSpec wide = spec(16, 64, TRAIN, 5);
    assertEquals(null, Runs.packKey(wide), "width 64 trains alone");
    DeterminismTest.assertSameResult(Runs.execute(wide, new RunContext()), Warmup.warmRun(wide, new RunContext()));
  }

  /**
   * The warm-up's pack stops its nets at different steps, as a sweep's packs do: one converges early,
   * the others reach max_steps at k / LANES of the budget, the last runs it all; all of one pack key.
   */
  @Test
  void theWarmUpPackStopsItsNetsAtDifferentSteps() {
    RunSpec s = spec(16, 4, TRAIN, 5);
    List<RunSpec> pack = Warmup.staggered(s);
    int lanes = PackedTrainer.LANES;
    assertEquals(lanes, pack.size());
    for (RunSpec copy : pack) {
      assertEquals(Runs.packKey(s), Runs.packKey(copy), "one pack");
    }
    assertEquals(s, pack.get(lanes - 1), "the last copy is the warm run itself");
    List<RunResult> results = Runs.executeAll(pack, new RunContext());
    assertEquals(Status.CONVERGED, results.get(0).status());
    assertTrue(results.get(0).outcome().steps() < 300 / lanes, "copy 0 converges before the first copy stops: "
        + results.get(0).outcome().steps());
    for (int k = 1; k < lanes; k++) {
      assertEquals(Status.MAX_STEPS, results.get(k).status(), "copy " + k);
      assertEquals(k < lanes - 1 ? 300 * k / lanes : 300, results.get(k).outcome().steps(), "copy " + k);
    }
  }

  @Test
  void readsTheCompilerQueue() {
    assertTrue(Warmup.idle(null), "no queue to read: the time fraction decides");
    assertTrue(Warmup.idle("Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n\n"));
    assertFalse(Warmup.idle(
        "Current compiles: \nC2 CompilerThread0  1176 %     4       a.B::outer @ 386 (449 bytes)\n\n"
            + "C1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n"), "a compile under way");
    assertFalse(Warmup.idle("Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\n"
        + "1164       4       a.B::divideElements (27 bytes)\n"), "a queued compile");
    String vm = System.getProperty("java.vm.name", "");
    assumeTrue(vm.contains("HotSpot") || vm.contains("OpenJDK"), "HotSpot's diagnostic command, not on " + vm);
    String queue = Warmup.compilerQueue();
    assertNotNull(queue);
    assertTrue(queue.contains("compile queue:"), queue);
  }
}
