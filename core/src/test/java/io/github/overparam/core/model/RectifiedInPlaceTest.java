package io.github.overparam.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.linalg.Dense;
import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.linalg.Signs;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * A deep ReLU net's layers are rectified in place: the forward pass keeps h = relu(z) only, which is
 * also the layer's gate and activation pattern. Layer by layer, h has the bits of max(h_{l-1} W_l, 0)
 * computed by the same product, and the pattern read from the workspace is z > 0 of that product;
 * a softplus net keeps its pre-activations.
 */
class RectifiedInPlaceTest {

  @Test
  void eachLayerKeepsReluOfItsProductAndItsPatternIsTheProductsSign() {
    Dataset data = Datasets.generate(DataSpec.sphere(37, 6, LabelKind.GAUSSIAN), 3);
    DMatrixRMaj x = data.xTrain();
    ModelSpec model = ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 20, 3);
    Network net = Network.initialize(model, data.d(), 1, 5);
    Workspace ws = net.workspace(x.numRows);
    net.forward(x, ws);
    DMatrixRMaj input = x;
    for (int l = 0; l < net.hiddenLayers(); l++) {
      DMatrixRMaj z = new DMatrixRMaj(x.numRows, model.layerWidth(l));
      Dense.mult(1.0, input, net.weights(l), z);
      double[] relu = new double[z.getNumElements()];
      long[] want = new long[Signs.words(relu.length)];
      for (int e = 0; e < relu.length; e++) {
        relu[e] = z.data[e] > 0 ? z.data[e] : 0;
        if (z.data[e] > 0) {
          want[e >>> 6] |= 1L << (e & 63);
        }
      }
      assertArrayEquals(relu, ws.activation(l).data, "h of layer " + l);
      long[] got = new long[want.length];
      ws.positive(l, got);
      assertArrayEquals(want, got, "activation pattern of layer " + l);
      int layer = l;
      assertThrows(IllegalStateException.class, () -> ws.preActivation(layer), "no z is kept for layer " + l);
      input = ws.activation(l);
    }
  }

  @Test
  void aTwoLayerNetsGateBytesGiveThePatternAndTheFlipsOfH() {
    // 20 inputs, 128 units on 64 points: float64's forward pass writes the gates as bytes for the
    // gradient (Kernels.gateBytes), and the workspace reads the pattern from them.
    Dataset data = Datasets.generate(DataSpec.sphere(64, 20, LabelKind.GAUSSIAN), 5);
    DMatrixRMaj x = data.xTrain();
    ModelSpec model = ModelSpec.of(Arch.TWO_LAYER, Parameterization.DU, Activation.RELU, 128, 1);
    Network net = Network.initialize(model, data.d(), 1, 7);
    Workspace ws = net.workspace(x.numRows);
    assertEquals(Kernels.gateBytes(64, 20, 128), ws.gateBytes != null, "gate bytes kept");
    net.forward(x, ws);
    int size = ws.preActivationSize(0);
    long[] want = new long[Signs.words(size)];
    Signs.positive(ws.activation(0).data, size, want);
    long[] got = new long[want.length];
    ws.positive(0, got);
    assertArrayEquals(want, got, "activation pattern");
    // Another net's pattern on the same workspace: the flips against the first are h's.
    Network other = Network.initialize(model, data.d(), 1, 8);
    other.forward(x, ws);
    long flips = Signs.flips(ws.activation(0).data, size, want);
    assertTrue(flips > size / 4, flips + " flips of " + size);
    assertEquals(flips, ws.flips(0, want), "flips against the first pattern");
  }

  @Test
  void aSoftplusNetKeepsItsPreActivations() {
    Dataset data = Datasets.generate(DataSpec.sphere(12, 4, LabelKind.GAUSSIAN), 4);
    DMatrixRMaj x = data.xTrain();
    ModelSpec model = ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.SOFTPLUS, 8, 2);
    Network net = Network.initialize(model, data.d(), 1, 6);
    Workspace ws = net.workspace(x.numRows);
    net.forward(x, ws);
    DMatrixRMaj z = new DMatrixRMaj(x.numRows, 8);
    Dense.mult(1.0, x, net.weights(0), z);
    assertArrayEquals(z.data, ws.preActivation(0).data, "z of layer 0");
    assertEquals(Activation.SOFTPLUS.apply(z.data[5]), ws.activation(0).data[5], 0.0, "h = softplus(z)");
  }
}
