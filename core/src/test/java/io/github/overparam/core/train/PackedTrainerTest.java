package io.github.overparam.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Parameterization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PackedTrainer} gives each net the trajectory {@link Trainer} gives it alone, bit for bit,
 * while its pack empties: nets stop one after another (their budgets 2 to 89 steps), the last few
 * going on alone; and the time shares add up to the time spent.
 */
class PackedTrainerTest {
  private static PackedTrainer.Job job(long seed, int maxSteps) {
    Dataset data = Datasets.generate(DataSpec.sphere(30, 6, LabelKind.GAUSSIAN), seed);
    Network net = Network.initialize(ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 5, 2), 6, 1,
        100 + seed);
    TrainSpec spec = TrainSpec.gd(0.05 + 0.01 * seed, Loss.HALF_SUM_SQUARED, maxSteps, TargetLoss.absolute(1e-300));
    return new PackedTrainer.Job(net, data, spec, TrainOptions.of(7, 0, new Drift(net, data.n())));
  }

  @Test
  void netsStoppingOneAfterAnotherKeepTheirBits() {
    assumeTrue(PackedDeepGd.available(), "needs the vector kernels");
    int[] budgets = {2, 5, 8, 13, 21, 34, 55, 89};
    List<PackedTrainer.Job> jobs = new ArrayList<>();
    List<PackedTrainer.Job> alone = new ArrayList<>();
    for (int k = 0; k < Math.min(PackedTrainer.LANES, budgets.length); k++) {
      jobs.add(job(k, budgets[k]));
      alone.add(job(k, budgets[k]));
    }
    long[] nanos = new long[jobs.size()];
    long t0 = System.nanoTime();
    List<Trajectory> packed = PackedTrainer.train(jobs, nanos);
    long spent = System.nanoTime() - t0;
    long shares = 0;
    for (int k = 0; k < jobs.size(); k++) {
      PackedTrainer.Job a = alone.get(k);
      Trajectory want = Trainer.train(a.net(), a.data(), a.spec(), a.options());
      Trajectory got = packed.get(k);
      String where = "net " + k + " (budget " + budgets[k] + ")";
      assertEquals(Status.MAX_STEPS, got.status(), where);
      assertEquals(want.steps(), got.steps(), where);
      assertEquals(want.initialLoss(), got.initialLoss(), 0.0, where);
      assertEquals(want.finalLoss(), got.finalLoss(), 0.0, where);
      assertEquals(want.flops(), got.flops(), where);
      assertArrayEquals(want.curve().steps(), got.curve().steps(), where);
      assertArrayEquals(want.curve().loss(), got.curve().loss(), where);
      assertArrayEquals(want.curve().flipFraction(), got.curve().flipFraction(), where);
      assertArrayEquals(want.curve().maxNeuronDistance(), got.curve().maxNeuronDistance(), where);
      for (int l = 0; l <= a.net().hiddenLayers(); l++) {
        assertArrayEquals(a.net().weights(l).data, jobs.get(k).net().weights(l).data, where + ", layer " + l);
      }
      assertArrayEquals(want.finalForward().outputs().data, got.finalForward().outputs().data, where);
      assertTrue(nanos[k] > 0, where + ": a share of the time");
      shares += nanos[k];
    }
    assertTrue(shares <= spent, shares + " ns of shares in " + spent + " ns");
  }

  @Test
  void packsOnlyWhereAPackIsFasterThanItsNetsAlone() {
    int lanes = PackedTrainer.LANES;
    // Two-layer nets up to 12 units, but not a whole number of vectors wide (their fused passes alone).
    assertTrue(PackedTrainer.packsWidth(Arch.TWO_LAYER, 7, 4096));
    assertTrue(PackedTrainer.packsWidth(Arch.TWO_LAYER, 11, 16));
    assertFalse(PackedTrainer.packsWidth(Arch.TWO_LAYER, lanes, 16), "a vector wide");
    assertFalse(PackedTrainer.packsWidth(Arch.TWO_LAYER, 13, 16));
    // Deep nets: 40 units while n x width <= 24,576, never below 12.
    assertTrue(PackedTrainer.packsWidth(Arch.DEEP, 40, 16));
    assertFalse(PackedTrainer.packsWidth(Arch.DEEP, 41, 16));
    assertTrue(PackedTrainer.packsWidth(Arch.DEEP, 40, 512));
    assertTrue(PackedTrainer.packsWidth(Arch.DEEP, 24, 1024));
    assertFalse(PackedTrainer.packsWidth(Arch.DEEP, 25, 1024));
    assertTrue(PackedTrainer.packsWidth(Arch.DEEP, 12, 1 << 20));
    assertFalse(PackedTrainer.packsWidth(Arch.DEEP, 13, 2048));
    // The least pack that trains faster than its nets alone (PackedTrainer.minActive's table).
    assertEquals(Math.max(2, 3 * lanes / 8), PackedTrainer.minPack(deep(4)));
    assertEquals(Math.max(2, lanes - 3 * lanes / 8), PackedTrainer.minPack(deep(5)));
    assertEquals(Math.max(2, lanes - 3 * lanes / 8), PackedTrainer.minPack(deep(8)));
    assertEquals(Math.max(2, lanes - lanes / 4), PackedTrainer.minPack(deep(11)));
    assertEquals(Math.max(2, lanes - lanes / 4), PackedTrainer.minPack(deep(12)));
    assertEquals(Math.max(2, lanes - lanes / 8), PackedTrainer.minPack(deep(13)));
    assertEquals(Math.max(2, lanes - lanes / 8), PackedTrainer.minPack(deep(32)));
    assertEquals(Math.max(2, lanes / 2), PackedTrainer.minPack(Network.initialize(ModelSpec.du(4), 6, 1, 1)));
    assertEquals(Math.max(2, 3 * lanes / 8), PackedTrainer.minPack(Network.initialize(ModelSpec.du(5), 6, 1, 1)));
    assertEquals(Math.max(2, 3 * lanes / 8), PackedTrainer.minPack(Network.initialize(ModelSpec.du(7), 6, 1, 1)));
    assertEquals(Math.max(2, lanes - lanes / 4), PackedTrainer.minPack(Network.initialize(ModelSpec.du(9), 6, 1, 1)));
    assertEquals(Math.max(2, lanes - lanes / 4), PackedTrainer.minPack(Network.initialize(ModelSpec.du(11), 6, 1, 1)));
  }

  private static Network deep(int width) {
    return Network.initialize(ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, width, 2), 6, 1, 1);
  }
}
