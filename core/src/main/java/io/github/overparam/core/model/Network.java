package io.github.overparam.core.model;

import io.github.overparam.core.random.Rng;
import io.github.overparam.core.random.Seeds;
import org.ejml.data.DMatrixRMaj;
import io.github.overparam.core.linalg.Dense;
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
 * <p>Not thread-safe: one network per task thread.
 */
public final class Network {
  private final ModelSpec spec;
  private final int inputs;
  private final int outputs;
  private final int hidden;
  private final DMatrixRMaj[] weights;
  private final boolean[] trained;
  private final int lowestTrained;
  private final double outputScale;
  private final Activation activation;

  private Network(ModelSpec spec, int inputs, int outputs, DMatrixRMaj[] weights, boolean[] trained,
      double outputScale) {
    this.spec = spec;
    this.inputs = inputs;
    this.outputs = outputs;
    this.hidden = spec.hiddenLayers();
    this.weights = weights;
    this.trained = trained;
    this.outputScale = outputScale;
    this.activation = spec.activation();
    int lowest = -1;
    for (int l = 0; l <= hidden; l++) {
      if (trained[l]) {
        lowest = l;
        break;
      }
    }
    if (lowest < 0) {
      throw new IllegalArgumentException("model " + spec.canonical() + " trains no layer");
    }
    this.lowestTrained = lowest;
  }

  /**
   * Draws the initial weights of {@code spec} for d inputs and k outputs. Each layer has its own
   * random stream derived from {@code seed} and the layer index.
   */
  public static Network initialize(ModelSpec spec, int d, int k, long seed) {
    int m = spec.width();
    int hidden = spec.hiddenLayers();
    DMatrixRMaj[] weights = new DMatrixRMaj[hidden + 1];
    boolean[] trained = new boolean[hidden + 1];
    Parameterization p = spec.parameterization();
    for (int l = 0; l < hidden; l++) {
      int fanIn = l == 0 ? d : m;
      double std = switch (p) {
        case DU -> 1.0;
        case ALLEN_ZHU, ZOU -> Math.sqrt(2.0 / m);
        case STANDARD -> Math.sqrt(2.0 / fanIn);
      };
      weights[l] = new DMatrixRMaj(fanIn, m);
      layerRng(seed, l).fillGaussian(weights[l].data, 0, fanIn * m, std);
      trained[l] = p != Parameterization.ALLEN_ZHU || l > 0;
    }
    DMatrixRMaj out = new DMatrixRMaj(m, k);
    Rng rng = layerRng(seed, hidden);
    for (int r = 0; r < m; r++) {
      for (int j = 0; j < k; j++) {
        double v = switch (p) {
          case DU -> rng.sign();
          case ALLEN_ZHU -> rng.gaussian() * Math.sqrt(1.0 / k);
          case ZOU -> r < (m + 1) / 2 ? 1.0 : -1.0;
          case STANDARD -> rng.gaussian() * Math.sqrt(1.0 / m);
        };
        out.unsafe_set(r, j, v);
      }
    }
    weights[hidden] = out;
    trained[hidden] = spec.trainOutput();
    double scale = p == Parameterization.DU ? 1.0 / Math.sqrt(m) : 1.0;
    return new Network(spec, d, k, weights, trained, scale);
  }

  private static Rng layerRng(long seed, int layer) {
    return new Rng(Seeds.derive(Long.toString(seed), "weights", Integer.toString(layer)));
  }

  /** A deep copy (same spec, same weights). */
  public Network copy() {
    DMatrixRMaj[] w = new DMatrixRMaj[weights.length];
    for (int l = 0; l < w.length; l++) {
      w[l] = weights[l].copy();
    }
    return new Network(spec, inputs, outputs, w, trained.clone(), outputScale);
  }

  public Workspace workspace(int rows) {
    return new Workspace(rows, hidden, spec.width(), outputs);
  }

  /** Gradient buffers: one per trained layer (null for fixed layers), same shapes as the weights. */
  public DMatrixRMaj[] gradientBuffers() {
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
    DMatrixRMaj in = x;
    for (int l = 0; l < hidden; l++) {
      Dense.mult(1.0, in, weights[l], ws.z[l]);
      double[] z = ws.z[l].data;
      double[] h = ws.h[l].data;
      int size = ws.z[l].getNumElements();
      if (activation == Activation.RELU) {
        Dense.relu(z, h, size);
      } else {
        for (int e = 0; e < size; e++) {
          h[e] = activation.apply(z[e]);
        }
      }
      in = ws.h[l];
    }
    Dense.mult(outputScale, in, weights[hidden], ws.f);
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

  /** A sink that writes input^T delta into {@code gradients}; create it once per run, not per step. */
  public static LayerDeltaSink gradientSink(DMatrixRMaj[] gradients) {
    return (layer, input, delta) -> Dense.multTransA(input, delta, gradients[layer]);
  }

  /** Receives, for each trained layer, its input (rows x fan_in) and delta dLoss/dz (rows x fan_out). */
  @FunctionalInterface
  public interface LayerDeltaSink {
    void accept(int layer, DMatrixRMaj input, DMatrixRMaj delta);
  }

  /**
   * The backward pass with a custom consumer of each trained layer's (input, delta) pair: the
   * gradient is input^T delta; the empirical NTK is the sum over layers of (input input^T) times
   * (delta delta^T), elementwise.
   */
  public void backward(DMatrixRMaj x, Workspace ws, LayerDeltaSink sink) {
    checkRows(x, ws);
    CommonOps_DDRM.scale(outputScale, ws.dOutput, ws.deltaOut);
    DMatrixRMaj delta = ws.deltaOut;
    for (int l = hidden; l >= lowestTrained; l--) {
      DMatrixRMaj input = l == 0 ? x : ws.h[l - 1];
      if (trained[l]) {
        sink.accept(l, input, delta);
      }
      if (l == lowestTrained) {
        break;
      }
      // dLoss/dh_{l-1} = delta W_l^T, then times act'(z_{l-1}) elementwise.
      DMatrixRMaj next = delta == ws.back1 ? ws.back2 : ws.back1;
      Dense.multTransB(delta, weights[l], next);
      double[] g = next.data;
      double[] z = ws.z[l - 1].data;
      int size = next.getNumElements();
      if (activation == Activation.RELU) {
        Dense.reluMask(g, z, size);
      } else {
        for (int e = 0; e < size; e++) {
          g[e] *= activation.derivative(z[e]);
        }
      }
      delta = next;
    }
  }

  /** W_l -= lr * grad_l for every trained layer. */
  public void step(DMatrixRMaj[] gradients, double lr) {
    for (int l = 0; l < weights.length; l++) {
      if (trained[l]) {
        Dense.addScaled(weights[l], -lr, gradients[l]);
      }
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
    long flops = 0;
    for (DMatrixRMaj w : weights) {
      flops += 2L * rows * w.numRows * w.numCols;
    }
    return flops;
  }

  /** Floating-point operations of one backward pass plus the update, over {@code rows} rows. */
  public long backwardFlops(int rows) {
    long flops = 0;
    for (int l = hidden; l >= lowestTrained; l--) {
      long size = (long) weights[l].numRows * weights[l].numCols;
      if (trained[l]) {
        flops += 2L * rows * size + 2L * size;
      }
      if (l > lowestTrained) {
        flops += 2L * rows * size;
      }
    }
    return flops;
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

  /** Weight matrix of layer l (fan_in x fan_out, transposed storage). Live view: do not modify. */
  public DMatrixRMaj weights(int layer) {
    return weights[layer];
  }

  public boolean trained(int layer) {
    return trained[layer];
  }

  public double outputScale() {
    return outputScale;
  }

  public long parameterCount() {
    long count = 0;
    for (DMatrixRMaj w : weights) {
      count += w.getNumElements();
    }
    return count;
  }

  public long trainedParameterCount() {
    long count = 0;
    for (int l = 0; l < weights.length; l++) {
      if (trained[l]) {
        count += weights[l].getNumElements();
      }
    }
    return count;
  }
}
