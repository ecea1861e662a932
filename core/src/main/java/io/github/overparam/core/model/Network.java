package io.github.overparam.core.model;

import io.github.overparam.core.Names;
import io.github.overparam.core.linalg.Dense;
import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.random.Rng;
import io.github.overparam.core.random.Seeds;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A fully connected network of any depth, width, activation and parameterization: one class, the
 * variants are values (DESIGN.md: "depth, width and activation are values, not classes").
 *
 * <p>Layers 0..H-1 are hidden (H = {@link ModelSpec#hiddenLayers()}), layer H is the output. Every
 * weight matrix is stored transposed, fan_in x fan_out, so that the wide dimension m is contiguous:
 * the forward pass is z_l = h_{l-1} W_l (rows x m) and the gradient h_{l-1}^T delta_l (DESIGN.md
 * section 6). Outputs are f = c h_{H-1} B with the parameterization's output scale c (m^-1/2 for Du
 * et al., 1 otherwise).
 *
 * <p>Precision is a value too ({@link Precision}): a float32 net ({@link #withPrecision}) keeps its
 * weights and workspaces in float and runs its passes in {@link FloatLayers}; its public face
 * (double inputs, outputs and output gradient) is the same. Fully connected nets only.
 *
 * <p>Not thread-safe: one network per task thread.
 */
public final class Network {
  private final ModelSpec spec;
  private final int inputs;
  private final int outputs;
  private final int hidden;
  private final int positions;
  private final LayerShapes shapes;
  private final DMatrixRMaj[] weights;
  private final boolean[] trained;
  private final int lowestTrained;
  private final double outputScale;
  private final Activation activation;
  private final boolean cnn;
  private final double tau;
  /** The surrogate only: the frozen gates of the initial net; null for a plain network. */
  private final FrozenGates frozenGates;
  /** A float32 net's weights and passes; null for float64 (then {@link #weights} holds the weights). */
  private final FloatLayers single;
  /** A plain two-layer ReLU net with one output: its passes fused ({@link TwoLayer}). */
  private final boolean twoLayer;

  private Network(ModelSpec spec, int inputs, LayerShapes shapes, DMatrixRMaj[] weights, double outputScale,
      FrozenGates frozenGates) {
    this(spec, inputs, shapes, weights, outputScale, frozenGates, null);
  }

  private Network(ModelSpec spec, int inputs, LayerShapes shapes, DMatrixRMaj[] weights, double outputScale,
      FrozenGates frozenGates, FloatLayers single) {
    this.spec = spec;
    this.shapes = shapes;
    this.inputs = inputs;
    this.outputs = shapes.fanOut(shapes.count() - 1);
    this.hidden = spec.hiddenLayers();
    this.positions = shapes.positions(0);
    this.weights = weights;
    this.trained = new boolean[hidden + 1];
    for (int l = 0; l <= hidden; l++) {
      trained[l] = shapes.trained(l);
    }
    this.outputScale = outputScale;
    this.activation = spec.activation();
    this.cnn = spec.arch() == Arch.CNN;
    this.tau = spec.arch() == Arch.RESNET ? spec.residualScale() : 1.0;
    this.frozenGates = frozenGates;
    this.single = single;
    if (shapes.lowestTrained() < 0) {
      throw new IllegalArgumentException("model " + spec.canonical() + " trains no layer");
    }
    this.lowestTrained = shapes.lowestTrained();
    this.twoLayer = TwoLayer.applies(hidden, outputs, activation, cnn, lowestTrained, frozenGates, single);
  }

  /**
   * Draws the initial weights of {@code spec} for d inputs and k outputs. Each layer has its own
   * random stream derived from {@code seed} and the layer index.
   *
   * <p>Hidden weights: Du et al. N(0, 1); Allen-Zhu et al. and Zou et al. N(0, 2 / m) (a cnn's
   * filters N(0, 2 / (q m)), so that the summed squared activations over positions stay near
   * ||x||^2); standard N(0, 2 / fan_in). Output weights as each paper states them.
   */
  public static Network initialize(ModelSpec spec, int d, int k, long seed) {
    String problem = spec.inputProblem(d);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    int hidden = spec.hiddenLayers();
    LayerShapes shapes = LayerShapes.of(spec, d, k);
    DMatrixRMaj[] weights = new DMatrixRMaj[hidden + 1];
    Parameterization p = spec.parameterization();
    boolean conv = spec.arch() == Arch.CNN;
    for (int l = 0; l < hidden; l++) {
      int fanIn = shapes.fanIn(l);
      int m = shapes.fanOut(l);
      double std = switch (p) {
        case DU -> 1.0;
        case ALLEN_ZHU, ZOU -> Math.sqrt(2.0 / (conv ? (double) spec.patch() * m : m));
        case STANDARD -> Math.sqrt(2.0 / fanIn);
      };
      weights[l] = new DMatrixRMaj(fanIn, m);
      layerRng(seed, l).fillGaussian(weights[l].data, 0, fanIn * m, std);
    }
    int top = shapes.fanIn(hidden);
    DMatrixRMaj out = new DMatrixRMaj(top, k);
    Rng rng = layerRng(seed, hidden);
    for (int r = 0; r < top; r++) {
      for (int j = 0; j < k; j++) {
        double v = switch (p) {
          case DU -> rng.sign();
          case ALLEN_ZHU -> rng.gaussian() * Math.sqrt(1.0 / k);
          case ZOU -> r < (top + 1) / 2 ? 1.0 : -1.0;
          case STANDARD -> rng.gaussian() * Math.sqrt(1.0 / top);
        };
        out.unsafe_set(r, j, v);
      }
    }
    weights[hidden] = out;
    // Du's output scale is 1 / sqrt of the output layer's fan-in: the last hidden layer's width.
    double scale = p == Parameterization.DU ? 1.0 / Math.sqrt(spec.lastWidth()) : 1.0;
    return new Network(spec, d, shapes, weights, scale, null);
  }

  private static Rng layerRng(long seed, int layer) {
    return new Rng(Seeds.derive(Long.toString(seed), "weights", Integer.toString(layer)));
  }

  /** A deep copy (same spec, same weights, same precision); a surrogate's copy is a plain network. */
  public Network copy() {
    if (single != null) {
      return new Network(spec, inputs, shapes, null, outputScale, null, single.copy());
    }
    DMatrixRMaj[] w = new DMatrixRMaj[weights.length];
    for (int l = 0; l < w.length; l++) {
      w[l] = weights[l].copy();
    }
    return new Network(spec, inputs, shapes, w, outputScale, null);
  }

  /**
   * This net if it is in {@code precision}, else a copy in it: float32 rounds each weight to the
   * nearest float, float64 widens a float32 net's weights exactly (the theory quantities of a float32
   * run are computed in double from its float weights this way).
   *
   * @throws IllegalArgumentException for float32 and a net that is not fully connected (two_layer,
   *     deep) or a surrogate
   */
  public Network withPrecision(Precision precision) {
    if (precision == precision()) {
      return this;
    }
    if (precision == Precision.F64) {
      return new Network(spec, inputs, shapes, single.widen(), outputScale, null);
    }
    if (!supportsFloat(spec) || frozenGates != null) {
      throw new IllegalArgumentException("precision f32 trains two_layer and deep nets, not "
          + (frozenGates != null ? "the frozen-pattern surrogate" : "arch " + Names.of(spec.arch())));
    }
    return new Network(spec, inputs, shapes, null, outputScale, null,
        new FloatLayers(shapes, FloatLayers.round(weights), activation, outputScale));
  }

  /** Whether {@code spec}'s net can be trained in float32: fully connected (two_layer, deep). */
  public static boolean supportsFloat(ModelSpec spec) {
    return spec.arch() == Arch.TWO_LAYER || spec.arch() == Arch.DEEP;
  }

  /** The precision of this net's weights and passes. */
  public Precision precision() {
    return single == null ? Precision.F64 : Precision.F32;
  }

  /**
   * Noy et al.'s surrogate of this net: the same weights, with every ReLU gate frozen at its value
   * in this net now (a gated linear network in the trained weights; see {@link FrozenGates}). At the
   * time of the call the surrogate and the net compute the same function.
   */
  public Network surrogate() {
    if (single != null) {
      throw new IllegalArgumentException("the frozen-pattern surrogate needs precision f64");
    }
    if (activation != Activation.RELU) {
      throw new IllegalArgumentException("the frozen-pattern surrogate needs model.activation = relu, not "
          + Names.of(activation));
    }
    Network s = copy();
    return new Network(spec, inputs, shapes, s.weights, outputScale, new FrozenGates(copy()));
  }

  /** Whether this is a frozen-pattern surrogate. */
  public boolean isSurrogate() {
    return frozenGates != null;
  }

  /**
   * Surrogate only: computes the frozen gates of {@code x} once and reuses them whenever forward is
   * called with this very matrix (the training inputs), which must then not be modified.
   */
  public void pinGates(DMatrixRMaj x) {
    if (frozenGates == null) {
      throw new IllegalStateException("pinGates: not a surrogate");
    }
    frozenGates.pin(x);
  }

  public Workspace workspace(int rows) {
    boolean[] hOnly = new boolean[hidden];
    for (int l = 0; l < hidden; l++) {
      hOnly[l] = rectifiedInPlace(l);
    }
    boolean gateBytes = twoLayer && Kernels.gateBytes(rows, inputs, spec.layerWidth(0));
    return new Workspace(rows, spec, inputs, outputs, precision(), hOnly, single != null && single.gatePanels(rows),
        gateBytes);
  }

  /**
   * Whether the forward pass rectifies hidden layer l in place (h = max(x W, 0) tile by tile, z not
   * written; h > 0 exactly where z > 0, so h is the layer's gate): a plain ReLU layer of a net without
   * frozen gates (a surrogate's layer is gated by another net's pattern, a residual block adds its
   * input first). The two-layer net's fused passes, and the float32 layers, keep h only too.
   */
  private boolean rectifiedInPlace(int l) {
    return frozenGates == null && activation == Activation.RELU && !spec.residual(l);
  }

  /** Gradient buffers in this net's precision, for {@link #backward(DMatrixRMaj, Workspace, Gradients)}. */
  public Gradients gradients() {
    return single != null ? new Gradients(single.gradientBuffers()) : new Gradients(gradientBuffers());
  }

  /** Gradient buffers of a float64 net: one per trained layer (null for fixed layers), shaped as the weights. */
  public DMatrixRMaj[] gradientBuffers() {
    requireDouble("gradientBuffers");
    DMatrixRMaj[] g = new DMatrixRMaj[weights.length];
    for (int l = 0; l < g.length; l++) {
      if (trained[l]) {
        g[l] = new DMatrixRMaj(weights[l].numRows, weights[l].numCols);
      }
    }
    return g;
  }

  /**
   * Forward pass over the rows of {@code x} (rows x d). Fills the workspace's pre-activations,
   * activations and outputs. {@code x} not modified.
   */
  public void forward(DMatrixRMaj x, Workspace ws) {
    checkRows(x, ws);
    if (single != null) {
      single.forward(x, ws);
      ws.fixedLayersDone = ws.pinned == x;
      return;
    }
    if (twoLayer) {
      TwoLayer.forward(outputScale, x, weights, ws);
      return;
    }
    Workspace frozen = frozenGates == null ? null : frozenGates.of(x);
    // Layers below the lowest trained one see the same input and weights at every step: with a
    // pinned input they are computed once (their outputs stay in the workspace).
    int first = ws.pinned == x && ws.fixedLayersDone ? Math.min(lowestTrained, hidden) : 0;
    for (int l = first; l < hidden; l++) {
      DMatrixRMaj z = ws.z[l];
      // A plain ReLU layer rectifies inside the product's tiles, in place in h: one pass over one
      // rows x width matrix, z not written (its gate is h).
      boolean fused = rectifiedInPlace(l);
      DMatrixRMaj input;
      if (cnn) {
        double[] source = l == 0 ? x.data : ws.h[l - 1].data;
        int channels = l == 0 ? spec.channels() : spec.width();
        Patches.patches(source, ws.rows, positions, spec.patch(), channels, ws.patches[l]);
        input = ws.patches[l];
      } else {
        input = l == 0 ? x : ws.h[l - 1];
      }
      if (fused) {
        Dense.multRelu(1.0, input, weights[l], ws.h[l], ws.h[l]);
        continue;
      }
      if (spec.residual(l)) {
        DMatrixRMaj previous = ws.h[l - 1];
        Dense.mult(tau, previous, weights[l], z);
        Dense.addTo(z.data, previous.data, z.getNumElements());
      } else {
        Dense.mult(1.0, input, weights[l], z);
      }
      double[] h = ws.h[l].data;
      int size = z.getNumElements();
      if (frozen != null) {
        ws.gates[l] = frozen.z[l];
        Dense.reluGate(z.data, frozen.z[l].data, h, size);
      } else if (activation == Activation.RELU) {
        Dense.relu(z.data, h, size);
      } else {
        double[] zd = z.data;
        for (int e = 0; e < size; e++) {
          h[e] = activation.apply(zd[e]);
        }
      }
    }
    Dense.mult(outputScale, ws.top, weights[hidden], ws.f);
    if (ws.pinned == x) {
      ws.fixedLayersDone = true;
    }
  }

  /**
   * Backward pass after {@link #forward} on the same {@code x} and workspace, with dLoss/dOutput in
   * {@link Workspace#outputGradient()}. Writes the gradient of every trained layer into
   * {@code gradients} (from {@link #gradientBuffers()}); fixed layers are skipped and nothing below
   * the lowest trained layer is computed.
   */
  public void backward(DMatrixRMaj x, Workspace ws, DMatrixRMaj[] gradients) {
    backward(x, ws, gradientSink(gradients));
  }

  /** The backward pass into gradient buffers of this net's precision ({@link #gradients()}). */
  public void backward(DMatrixRMaj x, Workspace ws, Gradients gradients) {
    if (single != null) {
      checkRows(x, ws);
      single.backward(ws, gradients.floats);
    } else if (twoLayer) {
      checkRows(x, ws);
      TwoLayer.backward(outputScale, x, weights, trained, ws, gradients.matrices);
    } else {
      backward(x, ws, gradients.sink);
    }
  }

  /** A sink that writes input^T delta into {@code gradients}; create it once per run, not per step. */
  public static LayerDeltaSink gradientSink(DMatrixRMaj[] gradients) {
    return (layer, input, delta) -> Dense.multTransA(input, delta, gradients[layer]);
  }

  /**
   * Receives, for each trained layer, its input (rows x fan_in) and delta (rows x fan_out), whose
   * product input^T delta is the layer's gradient. For a cnn the rows are (row, position) pairs and
   * the input is the patch matrix.
   */
  @FunctionalInterface
  public interface LayerDeltaSink {
    void accept(int layer, DMatrixRMaj input, DMatrixRMaj delta);
  }

  /**
   * The backward pass with a custom consumer of each trained layer's (input, delta) pair: the
   * gradient is input^T delta; the empirical NTK of a dense net is the sum over layers of
   * (input input^T) times (delta delta^T), elementwise.
   */
  public void backward(DMatrixRMaj x, Workspace ws, LayerDeltaSink sink) {
    requireDouble("backward with a sink");
    checkRows(x, ws);
    CommonOps_DDRM.scale(outputScale, ws.dOutput, ws.deltaOut);
    if (trained[hidden]) {
      sink.accept(hidden, ws.top, ws.deltaOut);
    }
    if (lowestTrained == hidden) {
      return;
    }
    // dLoss/dh of the last hidden layer, then through its activation.
    if (activation == Activation.RELU && positions == 1) {
      Dense.multTransBMasked(ws.deltaOut, weights[hidden], ws.gates[hidden - 1], ws.backTop);
    } else {
      Dense.multTransB(ws.deltaOut, weights[hidden], ws.backTop);
      activationBackward(ws, hidden - 1);
    }
    for (int l = hidden - 1; l >= lowestTrained; l--) {
      DMatrixRMaj delta = ws.back[l];
      DMatrixRMaj input = cnn ? ws.patches[l] : l == 0 ? x : ws.h[l - 1];
      boolean residual = spec.residual(l);
      DMatrixRMaj weightDelta = delta;
      if (residual) {
        Dense.scale(tau, delta.data, ws.scaled.data, delta.getNumElements());
        weightDelta = ws.scaled;
      }
      if (trained[l]) {
        sink.accept(l, input, weightDelta);
      }
      if (l == lowestTrained) {
        break;
      }
      DMatrixRMaj below = ws.back[l - 1];
      if (cnn) {
        Dense.multTransB(delta, weights[l], ws.patchGrads[l]);
        Patches.unpatch(ws.patchGrads[l], ws.rows, positions, spec.patch(), spec.width(), below.data);
      } else if (residual) {
        // h_l = act(h_{l-1} + tau h_{l-1} W_l): dLoss/dh_{l-1} = delta + (tau delta) W_l^T.
        Dense.multTransB(weightDelta, weights[l], below);
        Dense.addTo(below.data, delta.data, below.getNumElements());
      } else if (activation == Activation.RELU) {
        // delta W^T through the ReLU mask of the layer below, in one pass.
        Dense.multTransBMasked(delta, weights[l], ws.gates[l - 1], below);
        continue;
      } else {
        Dense.multTransB(delta, weights[l], below);
      }
      activationBackward(ws, l - 1);
    }
  }

  /** back[l] holds dLoss/dh_l; turns it into dLoss/dz_l (times act'(z_l), or the frozen gate). */
  private void activationBackward(Workspace ws, int l) {
    double[] g = ws.back[l].data;
    int size = ws.back[l].getNumElements();
    if (activation == Activation.RELU) {
      Dense.reluMask(g, ws.gates[l].data, size);
    } else {
      double[] z = ws.z[l].data;
      for (int e = 0; e < size; e++) {
        g[e] *= activation.derivative(z[e]);
      }
    }
  }

  /** W_l -= lr * grad_l for every trained layer, in this net's precision. */
  public void step(Gradients gradients, double lr) {
    if (single != null) {
      single.step(gradients.floats, lr);
    } else {
      step(gradients.matrices, lr);
    }
  }

  /** W_l -= lr * grad_l for every trained layer of a float64 net. */
  public void step(DMatrixRMaj[] gradients, double lr) {
    requireDouble("step with gradient matrices");
    for (int l = 0; l < weights.length; l++) {
      if (trained[l]) {
        Dense.addScaled(weights[l], -lr, gradients[l]);
      }
    }
  }

  private void requireDouble(String what) {
    if (single != null) {
      throw new IllegalStateException(what + ": a float32 net; use withPrecision(Precision.F64) for a double copy");
    }
  }

  private void checkRows(DMatrixRMaj x, Workspace ws) {
    if (x.numRows != ws.rows || x.numCols != inputs) {
      throw new IllegalArgumentException("input is " + x.numRows + " x " + x.numCols + ", workspace expects "
          + ws.rows + " x " + inputs);
    }
  }

  /** Floating-point operations of one forward pass over {@code rows} rows (multiply-adds count 2). */
  public long forwardFlops(int rows) {
    return shapes.forwardFlops(rows);
  }

  /** Floating-point operations of one backward pass plus the update, over {@code rows} rows. */
  public long backwardFlops(int rows) {
    return shapes.backwardFlops(rows);
  }

  /** The shapes of this net's layers. */
  public LayerShapes shapes() {
    return shapes;
  }

  /** Activations of hidden layer l per input row: positions times the layer's width. */
  public int unitsPerRow(int layer) {
    return positions * spec.layerWidth(layer);
  }

  public ModelSpec spec() {
    return spec;
  }

  public int inputs() {
    return inputs;
  }

  public int outputCount() {
    return outputs;
  }

  /** Number of hidden layers H; layer H is the output layer. */
  public int hiddenLayers() {
    return hidden;
  }

  /** Weight matrix of layer l of a float64 net (fan_in x fan_out, transposed storage). Live view: do not modify. */
  public DMatrixRMaj weights(int layer) {
    requireDouble("weights");
    return weights[layer];
  }

  /** Weights of layer l of a float32 net, fan_in x fan_out row-major. Live view: do not modify. */
  public float[] floatWeights(int layer) {
    if (single == null) {
      throw new IllegalStateException("floatWeights: a float64 net; use weights()");
    }
    return single.weights(layer);
  }

  public boolean trained(int layer) {
    return trained[layer];
  }

  public double outputScale() {
    return outputScale;
  }

  public long parameterCount() {
    return shapes.parameters();
  }

  public long trainedParameterCount() {
    return shapes.trainedParameters();
  }
}
