package io.github.overparam.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.overparam.core.FreshJvm;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Nets trained side by side in the lanes of one vector have, lane by lane, the bits of each net
 * trained alone by {@link Trainer}: every step's loss and the final weights, whatever the other
 * lanes hold and whichever lane a net is in.
 */
class PackedTwoLayerTest {
  private static final int STEPS = 40;

  /** Net k of a group: its own data set (seed), initial weights and step size. */
  private record Net(Network net, Dataset data, double lr) {}

  private static Net net(int n, int d, int m, long seed, double lr) {
    Dataset data = Datasets.generate(DataSpec.sphere(n, d, LabelKind.GAUSSIAN), seed);
    return new Net(Network.initialize(ModelSpec.du(m), d, 1, 1000 + seed), data, lr);
  }

  /** Losses at steps 0 .. STEPS and the final weights of {@code net} trained alone. */
  private static double[] alone(Net net, DMatrixRMaj finalWeights) {
    Network copy = net.net().copy();
    double[] log = new double[STEPS + 1];
    TrainSpec spec = TrainSpec.gd(net.lr(), Loss.HALF_SUM_SQUARED, STEPS, TargetLoss.relative(1e-12));
    TrainOptions options = TrainOptions.of(0, 0, new Drift(copy, net.data().n())).withExactSteps(STEPS).withLossLog(
        log);
    Trajectory t = Trainer.train(copy, net.data(), spec, options);
    assertEquals(STEPS, t.steps(), "the single-net run stopped early: " + t.status());
    finalWeights.setTo(copy.weights(0));
    return log;
  }

  @Test
  void eachLaneHasTheBitsOfItsNetTrainedAlone() {
    assumeTrue(PackedTwoLayerGd.available(), "needs 8 float64 lanes");
    // Widths below a block of partial sums, at one, with a tail, several blocks; d a multiple of
    // the gradient's block of inputs and not; n odd.
    int[][] shapes = {{37, 10, 4}, {37, 10, 7}, {37, 10, 8}, {37, 3, 13}, {23, 10, 32}, {16, 5, 21}};
    for (int[] shape : shapes) {
      int n = shape[0];
      int d = shape[1];
      int m = shape[2];
      // 5 nets in lanes 0, 2, 3, 5 and 7 (the others empty), step sizes spread over a decade.
      int[] lanes = {0, 2, 3, 5, 7};
      PackedTwoLayerGd packed = new PackedTwoLayerGd(n, d, m);
      Net[] nets = new Net[lanes.length];
      for (int k = 0; k < lanes.length; k++) {
        nets[k] = net(n, d, m, 17 + k, 0.02 * (1 + 2 * k) / Math.max(1, n / 16));
        packed.set(lanes[k], nets[k].net(), nets[k].data().xTrain(), nets[k].data().yTrain(), nets[k].lr());
      }
      double[][] logs = new double[lanes.length][STEPS + 1];
      for (int s = 0; s <= STEPS; s++) {
        if (s < STEPS) {
          packed.step();
        } else {
          packed.evaluate();
        }
        for (int k = 0; k < lanes.length; k++) {
          logs[k][s] = packed.loss(lanes[k]);
        }
      }
      for (int k = 0; k < lanes.length; k++) {
        DMatrixRMaj want = new DMatrixRMaj(1, 1);
        double[] wantLog = alone(nets[k], want);
        String where = "n " + n + ", d " + d + ", m " + m + ", lane " + lanes[k];
        assertArrayEquals(wantLog, logs[k], where + ": losses");
        DMatrixRMaj got = new DMatrixRMaj(1, 1);
        packed.weights(lanes[k], got);
        assertArrayEquals(want.data, Arrays.copyOf(got.data, d * m), where + ": weights");
        // The loss fell: the nets trained.
        assertEquals(true, logs[k][STEPS] < logs[k][0], where + ": loss " + logs[k][0] + " -> " + logs[k][STEPS]);
      }
    }
  }

  /**
   * A packed step allocates nothing once compiled: measured in a JVM of its own (PackedAllocationProbe),
   * whose JIT has compiled nothing else.
   */
  @Test
  void packedStepsAllocateNothing() throws Exception {
    assumeTrue(PackedTwoLayerGd.available(), "needs 8 float64 lanes");
    String out = FreshJvm.run(PackedAllocationProbe.class, "two_layer");
    assertTrue(out.contains("bytes/step ") && Double.parseDouble(out.substring(out.indexOf("bytes/step ")
        + 11).trim().split("\\s")[0]) < 4, out);
  }

  @Test
  void refusesNetsItDoesNotTrain() {
    assumeTrue(PackedTwoLayerGd.available(), "needs 8 float64 lanes");
    PackedTwoLayerGd packed = new PackedTwoLayerGd(16, 10, 8);
    Net ok = net(16, 10, 8, 3, 0.1);
    Network deep = Network.initialize(ModelSpec.of(Arch.DEEP, io.github.overparam.core.model.Parameterization.ZOU,
        io.github.overparam.core.model.Activation.RELU, 8, 2), 10, 1, 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> packed.set(0, deep, ok.data().xTrain(), ok.data().yTrain(), 0.1));
    assertEquals(true, e.getMessage().contains("needs a float64 two_layer du net"), e.getMessage());
    Network wide = Network.initialize(ModelSpec.du(9), 10, 1, 5);
    e = assertThrows(IllegalArgumentException.class,
        () -> packed.set(1, wide, ok.data().xTrain(), ok.data().yTrain(), 0.1));
    assertEquals(true, e.getMessage().contains("width 9"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> packed.set(8, ok.net(), ok.data().xTrain(), ok.data().yTrain(), 0.1));
    assertEquals(true, e.getMessage().contains("lane = 8"), e.getMessage());
  }
}
