package io.github.overparam.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.train.Loss;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A two-layer ReLU net with one output computes its first layer's gradient in one fused pass
 * ({@code Dense.reluOuterGradient}); the gradients are the bits of the layer-by-layer backward pass
 * (the masked delta, then input^T delta, as the empirical NTK's sink sees them), with the output
 * layer fixed or trained (the surrogate, which keeps the general passes, checked the same way).
 */
class TwoLayerGradientTest {

  @ParameterizedTest(name = "n={0} d={1} m={2} trainOutput={3} surrogate={4}")
  @CsvSource({"128, 10, 8, false, false", "256, 10, 32, false, false", "300, 10, 33, true, false",
      "64, 3, 16, true, true", "40, 20, 300, false, false"})
  void theFusedGradientIsTheLayerByLayerGradient(int n, int d, int m, boolean trainOutput, boolean surrogate) {
    Dataset data = Datasets.generate(DataSpec.sphere(n, d, LabelKind.GAUSSIAN), 3);
    ModelSpec spec = new ModelSpec(Arch.TWO_LAYER, Parameterization.DU, Activation.RELU, m, 1, trainOutput);
    Network net = Network.initialize(spec, d, 1, 9);
    if (surrogate) {
      net = net.surrogate();
      net.pinGates(data.xTrain());
    }
    DMatrixRMaj x = data.xTrain();
    Workspace ws = net.workspace(n);
    net.forward(x, ws);
    Loss.HALF_SUM_SQUARED.gradient(ws.outputs(), data.yTrain(), 1.0, ws.outputGradient());
    Gradients fused = net.gradients();
    net.backward(x, ws, fused);
    DMatrixRMaj[] layered = net.gradientBuffers();
    net.backward(x, ws, Network.gradientSink(layered));
    assertEquals(trainOutput, layered[1] != null);
    for (int l = 0; l < layered.length; l++) {
      if (layered[l] != null) {
        assertArrayEquals(layered[l].data, fused.matrices[l].data, "layer " + l);
      }
    }
  }
}
