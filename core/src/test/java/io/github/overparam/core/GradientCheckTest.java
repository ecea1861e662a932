package io.github.overparam.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Workspace;
import io.github.overparam.core.train.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation against central finite differences, for every parameterization, activation,
 * depth, loss and choice of trained output layer.
 *
 * <p>Tolerance: relative error ||g_fd - g|| / ||g|| below 1e-6. Central differences with h = 1e-6
 * have truncation error O(h^2) ~ 1e-12 and rounding error ~ eps |L| / h ~ 1e-10 relative, far below
 * it; a wrong term in backpropagation gives errors of order 1. ReLU kinks are crossed with
 * probability ~ h per coordinate, and the fixed seeds here cross none.
 */
class GradientCheckTest {

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Parameterization p : Parameterization.values()) {
      for (Activation act : Activation.values()) {
        for (Loss loss : Loss.values()) {
          for (boolean trainOutput : new boolean[] {false, true}) {
            for (int depth : p == Parameterization.DU ? new int[] {1} : new int[] {1, 3}) {
              Arch arch = p == Parameterization.DU || (depth == 1 && p != Parameterization.ALLEN_ZHU)
                  ? Arch.TWO_LAYER : Arch.DEEP;
              cases.add(Arguments.of(new ModelSpec(arch, p, act, 7, depth, trainOutput), loss));
            }
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void backpropagationMatchesFiniteDifferences(ModelSpec model, Loss loss) {
    int n = 6;
    DataSpec dataSpec = new DataSpec(io.github.overparam.core.data.DataSource.SPHERE, n, 4,
        loss == Loss.LOGISTIC ? LabelKind.SIGN : LabelKind.GAUSSIAN, false, 0, 0,
        model.parameterization() == Parameterization.ALLEN_ZHU ? InputMap.ALLEN_ZHU : InputMap.NONE);
    Dataset data = Datasets.generate(dataSpec, 11);
    Network net = Network.initialize(model, data.d(), 1, 1234);
    Workspace ws = net.workspace(n);
    DMatrixRMaj[] grads = net.gradientBuffers();

    net.forward(data.xTrain(), ws);
    loss.gradient(ws.outputs(), data.yTrain(), loss.normaliser(n, 1), ws.outputGradient());
    net.backward(data.xTrain(), ws, grads);

    double h = 1e-6;
    double diff2 = 0;
    double norm2 = 0;
    int checked = 0;
    for (int l = 0; l <= net.hiddenLayers(); l++) {
      if (!net.trained(l)) {
        continue;
      }
      DMatrixRMaj w = net.weights(l);
      for (int e = 0; e < w.getNumElements(); e++) {
        double saved = w.data[e];
        w.data[e] = saved + h;
        net.forward(data.xTrain(), ws);
        double up = loss.value(ws.outputs(), data.yTrain());
        w.data[e] = saved - h;
        net.forward(data.xTrain(), ws);
        double down = loss.value(ws.outputs(), data.yTrain());
        w.data[e] = saved;
        double fd = (up - down) / (2 * h);
        double g = grads[l].data[e];
        diff2 += (fd - g) * (fd - g);
        norm2 += g * g;
        checked++;
      }
    }
    double rel = Math.sqrt(diff2 / norm2);
    assertTrue(checked > 0, "no trained parameter was checked");
    assertTrue(norm2 > 0, "gradient is identically zero: the check would be vacuous");
    assertTrue(rel < 1e-6, "relative gradient error " + rel + " for " + model.canonical() + ", " + loss);
  }
}
