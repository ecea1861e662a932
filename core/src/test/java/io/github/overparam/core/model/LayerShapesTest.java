package io.github.overparam.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One home for the counts: the planner's estimates ({@link Costs}) equal what a built network
 * reports, and the network's weights have the shapes {@link LayerShapes} gives; the counts of a
 * two-layer net are checked against the closed forms.
 */
class LayerShapesTest {

  static List<ModelSpec> models() {
    return List.of(ModelSpec.du(16),
        ModelSpec.of(Arch.DEEP, Parameterization.ALLEN_ZHU, Activation.RELU, 12, 3),
        ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 12, 2).withLastWidth(5),
        ModelSpec.of(Arch.RESNET, Parameterization.ALLEN_ZHU, Activation.RELU, 10, 2),
        ModelSpec.of(Arch.CNN, Parameterization.ZOU, Activation.RELU, 6, 2).withPatch(3, 2));
  }

  @Test
  void costsAndNetworkCountTheSame() {
    int n = 20;
    int d = 8;
    for (ModelSpec model : models()) {
      Network net = Network.initialize(model, d, 1, 3);
      LayerShapes shapes = net.shapes();
      for (int l = 0; l <= net.hiddenLayers(); l++) {
        assertEquals(shapes.fanIn(l), net.weights(l).numRows, model.canonical() + " layer " + l);
        assertEquals(shapes.fanOut(l), net.weights(l).numCols, model.canonical() + " layer " + l);
        assertEquals(shapes.trained(l), net.trained(l), model.canonical() + " layer " + l);
      }
      RunSpec gd = new RunSpec(DataSpec.sphere(n, d, LabelKind.GAUSSIAN), model,
          TrainSpec.gd(0.1, Loss.MSE, 10, TargetLoss.relative(1e-4)), RecordSpec.defaults(), 0);
      assertEquals((double) net.parameterCount(), Costs.parameters(gd), model.canonical());
      assertEquals((double) net.trainedParameterCount(), Costs.trainedParameters(gd), model.canonical());
      assertEquals((double) net.forwardFlops(n) + net.backwardFlops(n), Costs.flopsPerStep(gd), model.canonical());
      RunSpec sgd = new RunSpec(gd.data(), model, TrainSpec.sgd(0.1, 5, Loss.MSE, 10, TargetLoss.relative(1e-4)),
          RecordSpec.defaults(), 0);
      assertEquals(2.0 * net.forwardFlops(5) + net.backwardFlops(5), Costs.flopsPerStep(sgd), model.canonical());
    }
  }

  @Test
  void twoLayerClosedForms() {
    int n = 7;
    int d = 3;
    int m = 11;
    LayerShapes s = LayerShapes.of(ModelSpec.du(m), d, 1);
    assertEquals(2, s.count());
    assertEquals(d * m + m, s.parameters());
    assertEquals(d * m, s.trainedParameters());
    assertEquals(2L * n * d * m + 2L * n * m, s.forwardFlops(n));
    // The gradient X^T delta and the update of W, and the delta through the fixed output layer.
    assertEquals(2L * n * d * m + 2L * d * m + 2L * n * m, s.backwardFlops(n));
  }
}
