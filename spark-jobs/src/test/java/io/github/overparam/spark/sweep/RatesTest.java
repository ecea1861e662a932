package io.github.overparam.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunContext;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibration runs every shape on as many threads as asked at once, caches what it measured,
 * and expects the work its sampled runs did.
 */
class RatesTest {
  @TempDir
  Path tmp;

  private static final List<RunSpec> GRID = List.of(run(16), run(17), run(256));

  private static RunSpec run(int width) {
    return new RunSpec(DataSpec.sphere(10, 5, LabelKind.GAUSSIAN), ModelSpec.du(width), TrainSpec.gd(0.5,
        Loss.HALF_SUM_SQUARED, 200, TargetLoss.relative(1e-9)), new RecordSpec(5, false, 0), 0);
  }

  @Test
  void measuresEachShapeOnEveryThreadAndCachesIt() throws Exception {
    for (int threads : new int[] {1, 2}) {
      Path cache = tmp.resolve("rates-" + threads + ".json");
      Rates rates = Rates.calibrate(c -> GRID.forEach(r -> c.accept(r, 1L)), cache, threads);
      // widths 16 and 17 share a shape (power-of-two bucket 2^4), 256 is another.
      assertEquals(2, rates.shapes());
      assertTrue(rates.source().contains("2 shapes measured now, 0 from"), rates.source());
      for (RunSpec r : GRID) {
        assertTrue(rates.gflops(r) > 0 && Double.isFinite(rates.gflops(r)), threads + " threads: " + rates.gflops(r));
      }
      assertTrue(Files.readString(cache).contains(Rates.shape(GRID.get(2))));
      Rates again = Rates.calibrate(c -> GRID.forEach(r -> c.accept(r, 1L)), cache, threads);
      assertTrue(again.source().contains("0 shapes measured now, 2 from"), again.source());
      assertEquals(rates.gflops(GRID.get(0)), again.gflops(GRID.get(0)));
      assertEquals(rates.estimate(walk(GRID)), again.estimate(walk(GRID)), "the cache gives the same estimate");
    }
  }

  private static MemoryGuard.Walk walk(List<RunSpec> runs) {
    return c -> runs.forEach(r -> c.accept(r, 1L));
  }

  /** Runs that reach their target stop early: the expected work is what the sampled runs did. */
  @Test
  void expectsTheWorkTheSampledRunsDid() {
    // A reachable target: these runs stop long before their 3,000 steps.
    List<RunSpec> grid = List.of(early(16, 0), early(17, 0), early(16, 1));
    Rates rates = Rates.calibrate(walk(grid), tmp.resolve("early.json"), 1);
    // Two samples of the shape (the first two points): their work over their upper bounds.
    double done = Runs.execute(grid.get(0), new RunContext()).cost().flops()
        + Runs.execute(grid.get(1), new RunContext()).cost().flops();
    double bound = Costs.flops(grid.get(0)) + Costs.flops(grid.get(1));
    assertTrue(done < 0.5 * bound, "the runs stop early: " + done + " of " + bound);
    assertEquals(done / bound, rates.workFraction(grid.get(2)), 1e-12);
    Rates.Estimate e = rates.estimate(walk(grid));
    double sumBound = grid.stream().mapToDouble(Costs::flops).sum();
    assertEquals(sumBound, e.flops(), 1e-6 * sumBound);
    assertEquals(sumBound * done / bound, e.expectedFlops(), 1e-6 * sumBound);
    // Each run: the shape's fixed time plus its expected training flops at the shape's rate.
    double seconds = 0;
    for (RunSpec r : grid) {
      Rates.Measured m = rates.measured(r);
      assertTrue(m.fixedSeconds() >= 0 && Double.isFinite(m.fixedSeconds()), "fixed " + m.fixedSeconds());
      seconds += m.fixedSeconds() + Costs.flops(r) * done / bound / (m.gflops() * 1e9);
    }
    assertEquals(seconds, e.expectedSeconds(), 1e-9 * seconds);
    assertTrue(e.warmUpSeconds() >= 0 && Double.isFinite(e.warmUpSeconds()), "warm-up " + e.warmUpSeconds());
    // The rate runs/ will show: expected work over the run times plus each core's warm-up.
    assertEquals(e.expectedFlops() / (e.expectedSeconds() + 2 * e.warmUpSeconds()) / 1e9, e.gflops(2), 1e-12);
  }

  @Test
  void aFixedRateExpectsEveryRunToGoToMaxSteps() {
    Rates.Estimate e = Rates.fixed(2.0).estimate(walk(GRID));
    double bound = GRID.stream().mapToDouble(Costs::flops).sum();
    assertEquals(bound, e.expectedFlops(), 1e-6 * bound);
    assertEquals(bound / 2e9, e.seconds(), 1e-9);
    assertEquals(0, e.warmUpSeconds());
    assertEquals(2.0, e.gflops(4), 1e-12);
  }

  /** Float32 runs are a shape of their own; float64 keys stay those of caches written before precision. */
  @Test
  void float32IsAShapeOfItsOwn() {
    RunSpec f64 = GRID.get(0);
    RunSpec f32 = new RunSpec(f64.data(), f64.model(), f64.train().withPrecision(Precision.F32), f64.record(), 0);
    assertEquals("two_layer/L1/gd/m2^4/rows2^3", Rates.shape(f64));
    assertEquals("two_layer/L1/gd/m2^4/rows2^3/f32", Rates.shape(f32));
  }

  private static RunSpec early(int width, long seed) {
    return new RunSpec(DataSpec.sphere(10, 5, LabelKind.GAUSSIAN), ModelSpec.du(width), TrainSpec.gd(0.5,
        Loss.HALF_SUM_SQUARED, 3000, TargetLoss.relative(1e-2)), new RecordSpec(5, false, 0), seed);
  }
}
