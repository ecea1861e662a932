package io.github.overparam.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.overparam.core.FreshJvm;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deep nets trained side by side in the lanes of one vector have, lane by lane, the bits of each
 * net trained alone by {@link Trainer}: every step's loss and the final weights of every layer,
 * whatever the other lanes hold and whichever lane a net is in.
 */
class PackedDeepTest {
  private static final int STEPS = 30;

  /** Net k of a group: its own data set (seed), initial weights, loss and step size. */
  private record Net(Network net, Dataset data, Loss loss, double lr) {}

  private static Net net(ModelSpec spec, int n, int d, long seed, Loss loss, double lr) {
    Dataset data = Datasets.generate(DataSpec.sphere(n, d, LabelKind.GAUSSIAN), seed);
    return new Net(Network.initialize(spec, d, 1, 1000 + seed), data, loss, lr);
  }

  /** Losses at steps 0 .. STEPS of {@code net} trained alone; {@code trained} receives its final net. */
  private static double[] alone(Net net, Network[] trained) {
    Network copy = net.net().copy();
    double[] log = new double[STEPS + 1];
    TrainSpec spec = TrainSpec.gd(net.lr(), net.loss(), STEPS, TargetLoss.relative(1e-12));
    TrainOptions options = TrainOptions.of(0, 0, new Drift(copy, net.data().n())).withExactSteps(STEPS).withLossLog(
        log);
    Trajectory t = Trainer.train(copy, net.data(), spec, options);
    assertEquals(STEPS, t.steps(), "the single-net run stopped early: " + t.status());
    trained[0] = copy;
    return log;
  }

  @Test
  void eachLaneHasTheBitsOfItsNetTrainedAlone() {
    assumeTrue(PackedDeepGd.available(), "needs the vector kernels");
    // Widths at a tile of 4, below and past it, a partial-sum block of the output (8) and past it;
    // deep nets as wide as they pack (19, 32); two and three hidden layers; Zou et al.'s nets (every hidden layer trained) and Allen-Zhu et
    // al.'s (the input layer fixed); n odd and below a tile's rows; d below and past a tile.
    Object[][] cases = {
        {Parameterization.ZOU, 4, 2, 37, 10}, {Parameterization.ZOU, 5, 2, 37, 10},
        {Parameterization.ZOU, 13, 2, 37, 3}, {Parameterization.ZOU, 8, 3, 23, 10},
        {Parameterization.ALLEN_ZHU, 6, 2, 19, 5}, {Parameterization.ZOU, 3, 2, 6, 3},
        {Parameterization.ZOU, 17, 1, 70, 10}, {Parameterization.DU, 4, 1, 37, 10}, {Parameterization.DU, 13, 1, 70, 3},
        {Parameterization.DU, 9, 1, 21, 10}, {Parameterization.DU, 7, 1, 37, 10}, {Parameterization.DU, 32, 1, 23, 10},
        {Parameterization.DU, 21, 1, 16, 5}, {Parameterization.ZOU, 19, 2, 29, 10},
        {Parameterization.ALLEN_ZHU, 32, 2, 33, 5}};
    int[] lanes = {0, 1, PackedDeepGd.LANES - 1};
    for (int ci = 0; ci < cases.length; ci++) {
      Object[] c = cases[ci];
      // Du et al.'s two-layer nets (their fused passes alone) as packed nets of one hidden layer.
      ModelSpec spec = c[0] == Parameterization.DU ? ModelSpec.du((int) c[1])
          : ModelSpec.of(Arch.DEEP, (Parameterization) c[0], Activation.RELU, (int) c[1], (int) c[2]);
      int n = (int) c[3];
      int d = (int) c[4];
      Net[] nets = new Net[lanes.length];
      PackedDeepGd packed = null;
      for (int k = 0; k < lanes.length; k++) {
        // Mixed losses (the lanes' scalar loop), or one shared squared loss (the vector passes).
        Loss loss = switch (ci % 3) {
          case 0 -> k == 1 ? Loss.MSE : Loss.HALF_SUM_SQUARED;
          case 1 -> Loss.HALF_SUM_SQUARED;
          default -> Loss.MSE;
        };
        double lr = (loss == Loss.MSE ? n : 1) * 0.05 * (1 + 2 * k) / Math.max(1, n / 8);
        nets[k] = net(spec, n, d, 17 + k, loss, lr);
        if (packed == null) {
          packed = new PackedDeepGd(nets[k].net(), n);
        }
        packed.set(lanes[k], nets[k].net(), nets[k].data().xTrain(), nets[k].data().yTrain(), loss, nets[k].lr());
      }
      double[][] logs = new double[lanes.length][STEPS + 1];
      for (int s = 0; s <= STEPS; s++) {
        packed.evaluate();
        for (int k = 0; k < lanes.length; k++) {
          logs[k][s] = packed.loss(lanes[k]);
        }
        if (s < STEPS) {
          packed.update();
        }
      }
      for (int k = 0; k < lanes.length; k++) {
        Network[] want = new Network[1];
        double[] wantLog = alone(nets[k], want);
        String where = spec.canonical() + ", n " + n + ", d " + d + ", lane " + lanes[k];
        assertArrayEquals(wantLog, logs[k], where + ": losses");
        Network got = nets[k].net().copy();
        packed.weightsInto(lanes[k], got);
        for (int l = 0; l <= got.hiddenLayers(); l++) {
          assertArrayEquals(want[0].weights(l).data, got.weights(l).data, where + ": weights of layer " + l);
        }
        assertTrue(logs[k][STEPS] < logs[k][0], where + ": loss " + logs[k][0] + " -> " + logs[k][STEPS]);
      }
    }
  }

  @Test
  void aLaneClearedAndRefilledTrainsAsAlone() {
    assumeTrue(PackedDeepGd.available(), "needs the vector kernels");
    ModelSpec spec = ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 7, 2);
    Net first = net(spec, 21, 10, 3, Loss.HALF_SUM_SQUARED, 0.02);
    Net second = net(spec, 21, 10, 4, Loss.HALF_SUM_SQUARED, 0.03);
    PackedDeepGd packed = new PackedDeepGd(first.net(), 21);
    packed.set(2, first.net(), first.data().xTrain(), first.data().yTrain(), first.loss(), first.lr());
    for (int s = 0; s < 5; s++) {
      packed.evaluate();
      packed.update();
    }
    packed.clear(2);
    packed.set(2, second.net(), second.data().xTrain(), second.data().yTrain(), second.loss(), second.lr());
    double[] log = new double[STEPS + 1];
    for (int s = 0; s <= STEPS; s++) {
      packed.evaluate();
      log[s] = packed.loss(2);
      assertEquals(0.0, packed.loss(0), "an empty lane has no loss");
      if (s < STEPS) {
        packed.update();
      }
    }
    assertArrayEquals(alone(second, new Network[1]), log);
  }

  /**
   * A packed step allocates nothing once compiled, deep and two-layer nets: measured in a JVM of its
   * own (PackedAllocationProbe), whose JIT has compiled nothing else.
   */
  @ParameterizedTest
  @ValueSource(strings = {"deep", "two_layer"})
  void packedStepsAllocateNothing(String nets) throws Exception {
    assumeTrue(PackedDeepGd.available(), "needs the vector kernels");
    String out = FreshJvm.run(PackedAllocationProbe.class, nets);
    assertTrue(out.contains("bytes/step ") && Double.parseDouble(out.substring(out.indexOf("bytes/step ")
        + 11).trim().split("\\s")[0]) < 4, out);
  }

  @Test
  void refusesNetsItDoesNotTrain() {
    assumeTrue(PackedDeepGd.available(), "needs the vector kernels");
    ModelSpec deep = ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 8, 2);
    Net ok = net(deep, 16, 10, 3, Loss.HALF_SUM_SQUARED, 0.1);
    assertTrue(PackedDeepGd.packs(ok.net(), Loss.HALF_SUM_SQUARED));
    assertFalse(PackedDeepGd.packs(ok.net().withPrecision(Precision.F32), Loss.HALF_SUM_SQUARED), "float32");
    assertFalse(PackedDeepGd.packs(ok.net(), Loss.CROSS_ENTROPY), "a loss over rows");
    assertFalse(PackedDeepGd.packs(Network.initialize(ModelSpec.of(Arch.DEEP, Parameterization.ZOU,
        Activation.RELU, 1, 2), 10, 1, 5), Loss.HALF_SUM_SQUARED), "width 1");
    assertFalse(PackedDeepGd.packs(Network.initialize(ModelSpec.of(Arch.RESNET, Parameterization.ALLEN_ZHU,
        Activation.RELU, 8, 2), 10, 1, 5), Loss.HALF_SUM_SQUARED), "residual");
    PackedDeepGd packed = new PackedDeepGd(ok.net(), 16);
    Network wider = Network.initialize(ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 9, 2), 10, 1, 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> packed.set(0, wider, ok.data().xTrain(), ok.data().yTrain(), Loss.HALF_SUM_SQUARED, 0.1));
    assertTrue(e.getMessage().contains("lane 0 has model"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> packed.set(PackedDeepGd.LANES, ok.net(), ok.data().xTrain(), ok.data().yTrain(), Loss.HALF_SUM_SQUARED,
            0.1));
    assertTrue(e.getMessage().contains("lane = " + PackedDeepGd.LANES), e.getMessage());
  }
}
