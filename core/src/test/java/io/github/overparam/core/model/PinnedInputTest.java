package io.github.overparam.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.train.Loss;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pinned input lets the forward pass skip the fixed layers below the lowest trained one after its
 * first pass (Allen-Zhu et al.'s input layer A): over GD steps the outputs, pre-activations and
 * gradients are the same bits as with a fresh, unpinned workspace at every step.
 */
class PinnedInputTest {

  @ParameterizedTest
  @ValueSource(strings = {"deep", "resnet", "cnn", "surrogate"})
  void pinnedForwardGivesTheSameBits(String variant) {
    Dataset data = Datasets.generate(DataSpec.sphere(24, 8, LabelKind.GAUSSIAN).withInputMap(InputMap.ALLEN_ZHU), 2);
    ModelSpec model = switch (variant) {
      case "resnet" -> ModelSpec.of(Arch.RESNET, Parameterization.ALLEN_ZHU, Activation.RELU, 12, 2);
      case "cnn" -> ModelSpec.of(Arch.CNN, Parameterization.ALLEN_ZHU, Activation.RELU, 4, 2).withPatch(3, 2);
      default -> ModelSpec.of(Arch.DEEP, Parameterization.ALLEN_ZHU, Activation.RELU, 12, 2);
    };
    Network net = Network.initialize(model, data.d(), 1, 4);
    assertTrue(!net.trained(0), "layer 0 is fixed in the Allen-Zhu parameterization");
    DMatrixRMaj x = data.xTrain();
    if (variant.equals("surrogate")) {
      net = net.surrogate();
      net.pinGates(x);
    }
    Workspace pinned = net.workspace(x.numRows);
    pinned.pinInput(x);
    DMatrixRMaj[] g1 = net.gradientBuffers();
    DMatrixRMaj[] g2 = net.gradientBuffers();
    for (int step = 0; step < 5; step++) {
      Workspace fresh = net.workspace(x.numRows);
      net.forward(x, pinned);
      net.forward(x, fresh);
      assertArrayEquals(fresh.outputs().data, pinned.outputs().data, "outputs at step " + step);
      for (int l = 0; l < net.hiddenLayers(); l++) {
        assertArrayEquals(fresh.activation(l).data, pinned.activation(l).data, "h of layer " + l);
      }
      Loss.MSE.gradient(pinned.outputs(), data.yTrain(), 1.0, pinned.outputGradient());
      Loss.MSE.gradient(fresh.outputs(), data.yTrain(), 1.0, fresh.outputGradient());
      net.backward(x, pinned, g1);
      net.backward(x, fresh, g2);
      for (int l = 0; l <= net.hiddenLayers(); l++) {
        if (net.trained(l)) {
          assertArrayEquals(g2[l].data, g1[l].data, "gradient of layer " + l + " at step " + step);
        }
      }
      net.step(g1, 0.5);
    }
  }
}
