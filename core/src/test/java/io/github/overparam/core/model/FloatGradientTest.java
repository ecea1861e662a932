package io.github.overparam.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.linalg.Signs;
import io.github.overparam.core.train.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 net's outputs and backpropagated gradient against the float64 net with the same
 * weights (the float weights widened exactly) on the same inputs (rounded to float), for every
 * parameterization, activation, depth, loss, trained output layer and a narrower or wider last
 * hidden layer. {@link GradientCheckTest} checks the float64 gradient against finite differences, so
 * this checks the float32 gradient against finite differences too, to float accuracy.
 *
 * <p>Tolerance: relative error ||g32 - g64|| / ||g64|| below 1e-4, and the same for the outputs.
 * Each entry of a float product is one FMA chain of at most max(n, width) = 24 terms, rounded at
 * every step with unit roundoff 2^-24 = 6e-8: at most about 24 x 6e-8 = 1.4e-6 relative per product
 * in the worst case (typically sqrt(24) times less), compounded over at most 2 L + 2 = 8 products of
 * a depth-3 forward and backward pass: about 1e-5 in the worst case. 1e-4 leaves a factor of 10;
 * a wrong or missing term in backpropagation gives errors of order 1, and computing in float64
 * everywhere would give 1e-15 (the test also requires the error to exceed 1e-9, so that it cannot
 * pass by running the double path).
 */
class FloatGradientTest {

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (GradientCheckTest.DenseCase c : GradientCheckTest.denseCases(24)) {
      cases.add(Arguments.of(c.model(), c.loss(), 1));
    }
    ModelSpec kawaguchiHuang = new ModelSpec(Arch.DEEP, Parameterization.STANDARD, Activation.SOFTPLUS, 16, 3, true);
    cases.add(Arguments.of(kawaguchiHuang.withLastWidth(21), Loss.MSE, 1));
    cases.add(Arguments.of(kawaguchiHuang.withLastWidth(5), Loss.CROSS_ENTROPY, 3));
    cases.add(Arguments.of(ModelSpec.du(24).withLastWidth(24), Loss.HALF_SUM_SQUARED, 1));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} k={2}")
  @MethodSource("cases")
  void floatGradientMatchesTheDoubleGradientOfTheSameWeights(ModelSpec model, Loss loss, int k) {
    int n = 12;
    DataSpec dataSpec = new DataSpec(DataSource.SPHERE, n, 6, loss == Loss.LOGISTIC ? LabelKind.SIGN
        : LabelKind.GAUSSIAN, false, 0, 0, model.parameterization() == Parameterization.ALLEN_ZHU ? InputMap.ALLEN_ZHU
            : InputMap.NONE);
    Dataset data = Datasets.generate(dataSpec, 11);
    DMatrixRMaj x = data.xTrain().copy();
    for (int e = 0; e < x.getNumElements(); e++) {
      x.data[e] = (float) x.data[e];
    }
    DMatrixRMaj y = k == 1 ? data.yTrain() : oneHot(n, k);
    Network single = Network.initialize(model, data.d(), k, 1234).withPrecision(Precision.F32);
    Network reference = single.withPrecision(Precision.F64);
    assertEquals(Precision.F32, single.precision());
    assertEquals(Precision.F64, reference.precision());

    Workspace ws32 = single.workspace(n);
    Gradients g32 = single.gradients();
    single.forward(x, ws32);
    loss.gradient(ws32.outputs(), y, loss.normalizer(n, k), ws32.outputGradient());
    single.backward(x, ws32, g32);

    Workspace ws64 = reference.workspace(n);
    DMatrixRMaj[] g64 = reference.gradientBuffers();
    reference.forward(x, ws64);
    loss.gradient(ws64.outputs(), y, loss.normalizer(n, k), ws64.outputGradient());
    reference.backward(x, ws64, g64);

    double outputError = relative(ws32.outputs().data, ws64.outputs().data);
    assertTrue(outputError < 1e-4, "relative output error " + outputError + " for " + model.canonical());
    double diff2 = 0;
    double norm2 = 0;
    for (int l = 0; l <= reference.hiddenLayers(); l++) {
      if (!reference.trained(l)) {
        continue;
      }
      float[] a = g32.floats[l];
      double[] b = g64[l].data;
      assertEquals(b.length, a.length, "layer " + l);
      for (int e = 0; e < a.length; e++) {
        diff2 += (a[e] - b[e]) * (a[e] - b[e]);
        norm2 += b[e] * b[e];
      }
    }
    double rel = Math.sqrt(diff2 / norm2);
    assertTrue(norm2 > 0, "gradient is identically zero: the check would be vacuous");
    assertTrue(rel < 1e-4, "relative gradient error " + rel + " for " + model.canonical() + ", " + loss);
    assertTrue(rel > 1e-9, "the float32 gradient equals the float64 one to " + rel + ": not float arithmetic");
  }

  /**
   * A two-layer net with a fixed output layer and more inputs than the fused passes take trains
   * through its gate panels (on the vector kernels): outputs and gradient match the float64 net to
   * float accuracy, as above, and its activation pattern reads back as the float product's signs
   * (the pattern of h = max(x w, 0) computed by the float kernels themselves), with flips counted
   * against it.
   */
  @Test
  void gatePanelNetsMatchTheDoubleNet() {
    int n = 200;
    int d = 20;
    int m = 70;
    assertEquals(Kernels.vectorized(), Kernels.gatePanels(n, d, m), "the shape takes the gate panels");
    Dataset data = Datasets.generate(DataSpec.sphere(n, d, LabelKind.GAUSSIAN), 5);
    DMatrixRMaj x = data.xTrain().copy();
    for (int e = 0; e < x.getNumElements(); e++) {
      x.data[e] = (float) x.data[e];
    }
    Network single = Network.initialize(ModelSpec.du(m), d, 1, 77).withPrecision(Precision.F32);
    Network reference = single.withPrecision(Precision.F64);
    Workspace ws32 = single.workspace(n);
    Gradients g32 = single.gradients();
    single.forward(x, ws32);
    Loss.HALF_SUM_SQUARED.gradient(ws32.outputs(), data.yTrain(), 1, ws32.outputGradient());
    single.backward(x, ws32, g32);
    Workspace ws64 = reference.workspace(n);
    DMatrixRMaj[] g64 = reference.gradientBuffers();
    reference.forward(x, ws64);
    Loss.HALF_SUM_SQUARED.gradient(ws64.outputs(), data.yTrain(), 1, ws64.outputGradient());
    reference.backward(x, ws64, g64);
    assertTrue(relative(ws32.outputs().data, ws64.outputs().data) < 1e-4, "outputs");
    double[] g = new double[g64[0].data.length];
    for (int e = 0; e < g.length; e++) {
      g[e] = g32.floats[0][e];
    }
    double rel = relative(g, g64[0].data);
    assertTrue(rel < 1e-4 && rel > 1e-9, "relative gradient error " + rel);

    float[] x32 = new float[n * d];
    for (int e = 0; e < x32.length; e++) {
      x32[e] = (float) x.data[e];
    }
    float[] h = new float[n * m];
    Kernels.multRelu(n, m, d, 1f, x32, single.floatWeights(0), h, h);
    long[] expected = new long[Signs.words(n * m)];
    Signs.positive(h, n * m, expected);
    assertEquals(n * m, ws32.preActivationSize(0));
    long[] bits = new long[expected.length];
    ws32.positive(0, bits);
    assertArrayEquals(expected, bits, "the activation pattern");
    assertEquals(0, ws32.flips(0, expected));
    expected[3] ^= 0b1011L;
    assertEquals(3, ws32.flips(0, expected));
  }

  /**
   * The gate panels' gradient reads the input transposed, kept in the workspace while the input is
   * pinned: a workspace that moves between a pinned input and another one gives each the bits of a
   * fresh workspace's gradient.
   */
  @Test
  void gatePanelGradientsFollowTheirInput() {
    int n = 200;
    int d = 20;
    int m = 70;
    DMatrixRMaj pinned = Datasets.generate(DataSpec.sphere(n, d, LabelKind.GAUSSIAN), 5).xTrain();
    Dataset other = Datasets.generate(DataSpec.sphere(n, d, LabelKind.GAUSSIAN), 6);
    Network net = Network.initialize(ModelSpec.du(m), d, 1, 77).withPrecision(Precision.F32);
    Workspace ws = net.workspace(n);
    ws.pinInput(pinned);
    float[] first = gradient(net, ws, pinned, other.yTrain());
    assertArrayEquals(first, gradient(net, ws, pinned, other.yTrain()), "the pinned input again");
    assertArrayEquals(gradient(net, net.workspace(n), other.xTrain(), other.yTrain()),
        gradient(net, ws, other.xTrain(), other.yTrain()), "another input through the same workspace");
    assertArrayEquals(first, gradient(net, ws, pinned, other.yTrain()), "back to the pinned input");
    assertTrue(!java.util.Arrays.equals(first, gradient(net, ws, other.xTrain(), other.yTrain())),
        "the two inputs give different gradients: the check would be vacuous");
  }

  private static float[] gradient(Network net, Workspace ws, DMatrixRMaj x, DMatrixRMaj y) {
    Gradients g = net.gradients();
    net.forward(x, ws);
    Loss.HALF_SUM_SQUARED.gradient(ws.outputs(), y, 1, ws.outputGradient());
    net.backward(x, ws, g);
    return g.floats[0].clone();
  }

  @Test
  void theUpdateIsTheDoubleUpdateToFloatAccuracy() {
    Dataset data = Datasets.generate(DataSpec.sphere(16, 5, LabelKind.GAUSSIAN), 3);
    Network single = Network.initialize(ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 20, 2), 5, 1,
        7).withPrecision(Precision.F32);
    Network before = single.copy();
    Workspace ws = single.workspace(16);
    Gradients g = single.gradients();
    single.forward(data.xTrain(), ws);
    Loss.HALF_SUM_SQUARED.gradient(ws.outputs(), data.yTrain(), 1, ws.outputGradient());
    single.backward(data.xTrain(), ws, g);
    single.step(g, 0.25);
    for (int l = 0; l <= single.hiddenLayers(); l++) {
      float[] w = single.floatWeights(l);
      float[] w0 = before.floatWeights(l);
      for (int e = 0; e < w.length; e++) {
        float expected = single.trained(l) ? (float) (w0[e] - 0.25 * g.floats[l][e]) : w0[e];
        // One float FMA: w0 + (-lr) g rounded once; the double form rounds once too, so they agree to 1 ulp.
        assertEquals(expected, w[e], Math.ulp(expected), "layer " + l + " entry " + e);
      }
    }
  }

  @Test
  void onlyFullyConnectedNetsTrainInFloat() {
    ModelSpec resnet = ModelSpec.of(Arch.RESNET, Parameterization.ALLEN_ZHU, Activation.RELU, 8, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Network.initialize(resnet, 4, 1, 1).withPrecision(Precision.F32));
    assertTrue(e.getMessage().contains("precision f32") && e.getMessage().contains("resnet"), e.getMessage());
    Network single = Network.initialize(ModelSpec.du(8), 4, 1, 1).withPrecision(Precision.F32);
    assertThrows(IllegalArgumentException.class, single::surrogate);
    assertThrows(IllegalStateException.class, () -> single.weights(0));
    assertThrows(IllegalStateException.class, single::gradientBuffers);
  }

  private static double relative(double[] a, double[] b) {
    double diff2 = 0;
    double norm2 = 0;
    for (int e = 0; e < a.length; e++) {
      diff2 += (a[e] - b[e]) * (a[e] - b[e]);
      norm2 += b[e] * b[e];
    }
    return Math.sqrt(diff2 / norm2);
  }

  private static DMatrixRMaj oneHot(int n, int k) {
    DMatrixRMaj y = new DMatrixRMaj(n, k);
    for (int i = 0; i < n; i++) {
      y.unsafe_set(i, i % k, 1.0);
    }
    return y;
  }
}
