package io.github.overparam.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
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
 * depth, loss and choice of trained output layer, on every architecture (two-layer, deep, ResNet,
 * CNN, a narrower or wider last hidden layer), with k = 3 outputs and cross-entropy, and on Noy et
 * al.'s frozen-pattern surrogate.
 *
 * <p>Tolerance: relative error ||g_fd - g|| / ||g|| below 1e-6. Central differences with h = 1e-6
 * have truncation error O(h^2) ~ 1e-12 and rounding error ~ eps |L| / h ~ 1e-10 relative, far below
 * it; a wrong term in backpropagation gives errors of order 1. ReLU kinks are crossed with
 * probability ~ h per coordinate, and the fixed seeds here cross none.
 */
class GradientCheckTest {

  /** A dense net of the given width under every parameterization, activation, depth and trained output. */
  record DenseCase(ModelSpec model, Loss loss) {}

  /**
   * The dense nets every gradient check covers: each parameterization (Du et al.'s at depth 1 only,
   * the others at depths 1 and 3), activation, scalar loss and trained or fixed output layer.
   */
  static List<DenseCase> denseCases(int width) {
    List<DenseCase> cases = new ArrayList<>();
    for (Parameterization p : Parameterization.values()) {
      for (Activation act : Activation.values()) {
        for (Loss loss : List.of(Loss.HALF_SUM_SQUARED, Loss.MSE, Loss.LOGISTIC)) {
          for (boolean trainOutput : new boolean[] {false, true}) {
            for (int depth : p == Parameterization.DU ? new int[] {1} : new int[] {1, 3}) {
              Arch arch = p == Parameterization.DU || (depth == 1 && p != Parameterization.ALLEN_ZHU)
                  ? Arch.TWO_LAYER : Arch.DEEP;
              cases.add(new DenseCase(new ModelSpec(arch, p, act, width, depth, trainOutput), loss));
            }
          }
        }
      }
    }
    return cases;
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (DenseCase c : denseCases(7)) {
      cases.add(Arguments.of(c.model(), c.loss(), 1, false));
    }
    // ResNet and CNN under every deep parameterization, activation and trained output, squared loss.
    for (Parameterization p : List.of(Parameterization.ALLEN_ZHU, Parameterization.ZOU, Parameterization.STANDARD)) {
      for (Activation act : Activation.values()) {
        for (boolean trainOutput : new boolean[] {false, true}) {
          for (int depth : new int[] {1, 3}) {
            cases.add(Arguments.of(new ModelSpec(Arch.RESNET, p, act, 7, depth, trainOutput).withResidualScale(0.7),
                Loss.HALF_SUM_SQUARED, 1, false));
            cases.add(Arguments.of(new ModelSpec(Arch.CNN, p, act, 5, depth, trainOutput).withPatch(3, 2),
                Loss.HALF_SUM_SQUARED, 1, false));
          }
        }
      }
    }
    ModelSpec kawaguchiHuang = new ModelSpec(Arch.DEEP, Parameterization.STANDARD, Activation.SOFTPLUS, 7, 3, true);
    cases.add(Arguments.of(kawaguchiHuang.withLastWidth(11), Loss.MSE, 1, false));
    cases.add(Arguments.of(kawaguchiHuang.withLastWidth(3), Loss.CROSS_ENTROPY, 3, false));
    cases.add(Arguments.of(kawaguchiHuang, Loss.CROSS_ENTROPY, 3, false));
    cases.add(Arguments.of(new ModelSpec(Arch.CNN, Parameterization.STANDARD, Activation.RELU, 4, 2, true).withPatch(5,
        1), Loss.CROSS_ENTROPY, 3, false));
    // The surrogate: gates frozen at initialization, every architecture.
    cases.add(Arguments.of(ModelSpec.du(9), Loss.HALF_SUM_SQUARED, 1, true));
    cases.add(Arguments.of(ModelSpec.of(Arch.DEEP, Parameterization.ALLEN_ZHU, Activation.RELU, 7, 3),
        Loss.HALF_SUM_SQUARED, 1, true));
    cases.add(Arguments.of(ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 7, 2),
        Loss.LOGISTIC, 1, true));
    cases.add(Arguments.of(ModelSpec.of(Arch.RESNET, Parameterization.ALLEN_ZHU, Activation.RELU, 7, 2),
        Loss.HALF_SUM_SQUARED, 1, true));
    cases.add(Arguments.of(ModelSpec.of(Arch.CNN, Parameterization.STANDARD, Activation.RELU, 4, 2),
        Loss.HALF_SUM_SQUARED, 1, true));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} k={2} surrogate={3}")
  @MethodSource("cases")
  void backpropagationMatchesFiniteDifferences(ModelSpec model, Loss loss, int k, boolean surrogate) {
    int n = 6;
    DataSpec dataSpec = new DataSpec(DataSource.SPHERE, n,
        model.arch() == Arch.CNN ? 8 : 4, loss == Loss.LOGISTIC ? LabelKind.SIGN : LabelKind.GAUSSIAN, false, 0, 0,
        model.parameterization() == Parameterization.ALLEN_ZHU ? InputMap.ALLEN_ZHU : InputMap.NONE);
    Dataset data = Datasets.generate(dataSpec, 11);
    DMatrixRMaj x = data.xTrain();
    DMatrixRMaj y = k == 1 ? data.yTrain() : oneHot(n, k);
    Network net = Network.initialize(model, data.d(), k, 1234);
    if (surrogate) {
      // Move the weights off their initial values first, so that gates and weights disagree.
      Network moved = net.surrogate();
      moved.pinGates(x);
      perturb(moved);
      net = moved;
    }
    Workspace ws = net.workspace(n);
    DMatrixRMaj[] grads = net.gradientBuffers();

    net.forward(x, ws);
    loss.gradient(ws.outputs(), y, loss.normalizer(n, k), ws.outputGradient());
    net.backward(x, ws, grads);

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
        net.forward(x, ws);
        double up = loss.value(ws.outputs(), y);
        w.data[e] = saved - h;
        net.forward(x, ws);
        double down = loss.value(ws.outputs(), y);
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

  /** One-hot labels of k classes, class i mod k for row i. */
  private static DMatrixRMaj oneHot(int n, int k) {
    DMatrixRMaj y = new DMatrixRMaj(n, k);
    for (int i = 0; i < n; i++) {
      y.unsafe_set(i, i % k, 1.0);
    }
    return y;
  }

  /** A deterministic perturbation of every trained weight by a few percent. */
  private static void perturb(Network net) {
    for (int l = 0; l <= net.hiddenLayers(); l++) {
      if (net.trained(l)) {
        double[] w = net.weights(l).data;
        for (int e = 0; e < w.length; e++) {
          w[e] += 0.05 * Math.sin(7.0 * e + l);
        }
      }
    }
  }
}
