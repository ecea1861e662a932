package io.github.overparam.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Wave planning without Spark: every run once, longest first, balanced buckets, deterministic. */
class WavePlanTest {

  static List<RunSpec> runs() {
    List<RunSpec> runs = new ArrayList<>();
    for (int m = 1; m <= 50; m++) {
      runs.add(new RunSpec(DataSpec.sphere(20, 5, LabelKind.GAUSSIAN), ModelSpec.du(m * 7),
          TrainSpec.gd(0.1, Loss.MSE, 100, TargetLoss.relative(0.1)), RecordSpec.defaults(), m % 3));
    }
    return runs;
  }

  @Test
  void everyRunOnceLongestFirstAndBalanced() {
    List<RunSpec> runs = runs();
    WavePlan plan = WavePlan.of(runs, 20, 4);
    assertEquals(3, plan.waves().size());
    assertEquals(50, plan.runCount());
    Set<String> seen = new HashSet<>();
    double previousWaveMin = Double.POSITIVE_INFINITY;
    for (List<List<RunSpec>> wave : plan.waves()) {
      assertTrue(wave.size() <= 4);
      double waveMax = 0;
      double waveMin = Double.POSITIVE_INFINITY;
      double maxLoad = 0;
      double total = 0;
      double largest = 0;
      for (List<RunSpec> bucket : wave) {
        double load = 0;
        for (RunSpec r : bucket) {
          assertTrue(seen.add(r.runId()), "run planned twice");
          load += Costs.flops(r);
          waveMax = Math.max(waveMax, Costs.flops(r));
          waveMin = Math.min(waveMin, Costs.flops(r));
          largest = Math.max(largest, Costs.flops(r));
        }
        maxLoad = Math.max(maxLoad, load);
        total += load;
      }
      // Longest first: no run of this wave is costlier than any run of the previous wave.
      assertTrue(waveMax <= previousWaveMin);
      previousWaveMin = waveMin;
      // LPT bound: makespan <= total / buckets + the largest single run.
      assertTrue(maxLoad <= total / wave.size() + largest + 1e-6);
    }
    assertEquals(50, seen.size());
    List<RunSpec> reversed = new ArrayList<>(runs);
    Collections.reverse(reversed);
    assertEquals(plan, WavePlan.of(reversed, 20, 4), "independent of input order");
  }

  /**
   * Narrow deep nets of one shape (one pack key) are dealt side by side, up to {@link WavePlan#PACK}
   * per unit, whatever else the wave holds; with packs of 1 every run is dealt alone.
   */
  @Test
  void runsThatPackAreDealtSideBySide() {
    // Ten two-layer nets 14 to 70 units wide (too wide to pack), then the deep ones.
    List<RunSpec> runs = new ArrayList<>(runs().subList(1, 11));
    for (int seed = 0; seed < 11; seed++) {
      for (int width : new int[] {4, 6}) {
        runs.add(new RunSpec(DataSpec.sphere(20, 5, LabelKind.GAUSSIAN), ModelSpec.of(Arch.DEEP, Parameterization.ZOU,
            Activation.RELU, width, 2), TrainSpec.gd(0.1, Loss.MSE, 100, TargetLoss.relative(0.1)),
            RecordSpec.defaults(), seed));
      }
    }
    WavePlan plan = WavePlan.of(runs, 100, 6);
    assertEquals(32, plan.runCount());
    int packs = 0;
    for (List<RunSpec> bucket : plan.waves().get(0)) {
      for (int i = 0; i < bucket.size();) {
        String key = Runs.packKey(bucket.get(i));
        int j = i + 1;
        while (key != null && j < bucket.size() && key.equals(Runs.packKey(bucket.get(j)))) {
          j++;
        }
        if (key != null) {
          packs++;
          assertTrue(j - i <= WavePlan.PACK, "a unit of " + (j - i));
        }
        i = j;
      }
    }
    // 11 runs of each width: a unit of 8 and one of 3 each (units of one key may meet in a bucket).
    assertTrue(packs <= 4, packs + " runs of packs");
    List<List<RunSpec>> units = WavePlan.units(runs, WavePlan.PACK);
    assertEquals(10 + 4, units.size());
    assertEquals(List.of(8, 8, 3, 3), units.stream().filter(u -> Runs.packKey(u.get(0)) != null).map(List::size).sorted(
        Collections.reverseOrder()).toList());
    assertEquals(32, WavePlan.units(runs, 1).size(), "packs of 1: every run alone");
    assertThrows(IllegalArgumentException.class, () -> WavePlan.of(runs, 10, 2, WavePlan.PACK + 1));
  }

  @Test
  void smallWavesAndBadArguments() {
    WavePlan plan = WavePlan.of(runs().subList(0, 3), 100, 8);
    assertEquals(1, plan.waves().size());
    assertEquals(3, plan.waves().get(0).size(), "never more buckets than runs");
    assertEquals(0, WavePlan.of(List.of(), 10, 2).waves().size());
    assertThrows(IllegalArgumentException.class, () -> WavePlan.of(runs(), 0, 2));
  }
}
