package io.github.overparam.core.model;

import io.github.overparam.core.linalg.Kernels;
import org.ejml.data.DMatrixRMaj;

/**
 * The float32 weights of a fully connected net (two_layer or deep, any parameterization and
 * activation) and its forward pass, backward pass and update ({@code train.precision: f32}): the
 * same products as {@link Network}'s float64 passes, on the float kernels of {@link Kernels}
 * (vectorized or scalar, as {@code Dense} chooses), into a workspace's float buffers.
 *
 * <p>Precision at the edges: the inputs are rounded to float once per pass (once per run for the
 * pinned training inputs); the outputs are widened to double after the forward pass, so the loss is
 * summed in double; the loss's output gradient (double) is scaled in double and rounded to float
 * before the backward pass. Products accumulate in float (one FMA chain per entry, as in double).
 *
 * <p>Not thread-safe: it belongs to one network.
 */
final class FloatLayers {
  private final LayerShapes shapes;
  private final float[][] weights;
  private final Activation activation;
  private final double outputScale;
  private final int hidden;
  private final int lowestTrained;
  /** A two-layer ReLU net with one output: its passes fused ({@link Kernels#reluForward}). */
  private final boolean twoLayer;

  /** Whether the passes are fused (a two-layer ReLU net with one output): layer 0's z is then not stored. */
  boolean twoLayer() {
    return twoLayer;
  }

  FloatLayers(LayerShapes shapes, float[][] weights, Activation activation, double outputScale) {
    this.shapes = shapes;
    this.weights = weights;
    this.activation = activation;
    this.outputScale = outputScale;
    this.hidden = shapes.count() - 1;
    this.lowestTrained = shapes.lowestTrained();
    this.twoLayer = hidden == 1 && shapes.fanOut(1) == 1 && activation == Activation.RELU && lowestTrained == 0;
  }

  /**
   * Whether the passes on {@code rows} points go through the gate panels ({@link
   * Kernels#gatePanels}): a two-layer net whose output layer is fixed. Layer 0's h is then not
   * stored: the workspace's h32[0] holds the gate panels ({@link Workspace#gatePanels}).
   */
  boolean gatePanels(int rows) {
    return twoLayer && !shapes.trained(hidden) && Kernels.gatePanels(rows, shapes.fanIn(0), shapes.fanOut(0));
  }

  /** Each weight rounded to the nearest float. */
  static float[][] round(DMatrixRMaj[] w) {
    float[][] out = new float[w.length][];
    for (int l = 0; l < w.length; l++) {
      out[l] = new float[w[l].getNumElements()];
      round(w[l].data, out[l], out[l].length);
    }
    return out;
  }

  /** The weights widened to double (exactly). */
  DMatrixRMaj[] widen() {
    DMatrixRMaj[] out = new DMatrixRMaj[weights.length];
    for (int l = 0; l < weights.length; l++) {
      out[l] = new DMatrixRMaj(shapes.fanIn(l), shapes.fanOut(l));
      for (int e = 0; e < weights[l].length; e++) {
        out[l].data[e] = weights[l][e];
      }
    }
    return out;
  }

  /** A deep copy. */
  FloatLayers copy() {
    float[][] w = new float[weights.length][];
    for (int l = 0; l < w.length; l++) {
      w[l] = weights[l].clone();
    }
    return new FloatLayers(shapes, w, activation, outputScale);
  }

  /** Layer l's weights, fan_in x fan_out row-major. Live view. */
  float[] weights(int layer) {
    return weights[layer];
  }

  /** Gradient buffers: one per trained layer (null for fixed layers). */
  float[][] gradientBuffers() {
    float[][] g = new float[weights.length][];
    for (int l = 0; l < g.length; l++) {
      if (shapes.trained(l)) {
        g[l] = new float[weights[l].length];
      }
    }
    return g;
  }

  /**
   * Forward pass over the rows of {@code x}: the workspace's float pre-activations and activations,
   * and its double outputs. With the pinned input the fixed layers below the lowest trained one are
   * computed on the first pass only, and the input is rounded once.
   */
  void forward(DMatrixRMaj x, Workspace ws) {
    int rows = ws.rows;
    boolean reuse = ws.pinned == x && ws.fixedLayersDone;
    if (!reuse) {
      round(x.data, ws.x32, rows * x.numCols);
      ws.xT32Ready = false;
    }
    int k = shapes.fanOut(hidden);
    if (ws.gatePanels) {
      // The same f; the gates go into their panels and h is not stored.
      ws.gateStart = Kernels.reluForwardPanels(rows, shapes.fanIn(0), shapes.fanOut(0), (float) outputScale, ws.x32,
          weights[0],
          weights[1], ws.h32[0], ws.f32);
    } else if (twoLayer) {
      // The hidden layer and the output in one pass, the same bits as the products below.
      Kernels.reluForward(rows, shapes.fanIn(0), shapes.fanOut(0), (float) outputScale, ws.x32, weights[0],
          weights[1], ws.z32[0], ws.h32[0], ws.f32);
    }
    int first = twoLayer ? hidden : reuse ? Math.min(lowestTrained, hidden) : 0;
    for (int l = first; l < hidden; l++) {
      float[] input = l == 0 ? ws.x32 : ws.h32[l - 1];
      int width = shapes.fanOut(l);
      float[] z = ws.z32[l];
      float[] h = ws.h32[l];
      if (activation == Activation.RELU) {
        // Rectified in place, z not written: h is the layer's gate (Workspace's z32[l] is h32[l]).
        Kernels.multRelu(rows, width, shapes.fanIn(l), 1f, input, weights[l], h, h);
      } else {
        Kernels.mult(rows, width, shapes.fanIn(l), 1f, input, weights[l], z);
        for (int e = 0; e < rows * width; e++) {
          h[e] = (float) activation.apply(z[e]);
        }
      }
    }
    if (!twoLayer) {
      Kernels.mult(rows, k, shapes.fanIn(hidden), (float) outputScale, ws.h32[hidden - 1], weights[hidden], ws.f32);
    }
    double[] f = ws.f.data;
    for (int e = 0; e < rows * k; e++) {
      f[e] = ws.f32[e];
    }
  }

  /**
   * Backward pass after {@link #forward} on the same workspace, with dLoss/dOutput in the
   * workspace's (double) output gradient: writes the gradient of every trained layer into
   * {@code gradients}.
   */
  void backward(Workspace ws, float[][] gradients) {
    int rows = ws.rows;
    int k = shapes.fanOut(hidden);
    double[] dOutput = ws.dOutput.data;
    float[] deltaOut = ws.delta32;
    for (int e = 0; e < rows * k; e++) {
      deltaOut[e] = (float) (outputScale * dOutput[e]);
    }
    int top = shapes.fanIn(hidden);
    if (shapes.trained(hidden)) {
      Kernels.multTransA(top, k, rows, ws.h32[hidden - 1], deltaOut, gradients[hidden]);
    }
    if (lowestTrained == hidden) {
      return;
    }
    if (ws.gatePanels) {
      // The input transposed once per input (every step for one not pinned): the gradient's left
      // factor is then packed from contiguous rows.
      if (!ws.xT32Ready) {
        Kernels.transpose(rows, shapes.fanIn(0), ws.x32, ws.xT32);
        ws.xT32Ready = true;
      }
      Kernels.reluPanelGradient(rows, shapes.fanIn(0), top, ws.xT32, deltaOut, weights[1], ws.h32[0], ws.gateStart,
          gradients[0]);
      return;
    }
    if (twoLayer) {
      // The first layer's gradient in one pass, the same bits as the products below.
      Kernels.reluOuterGradient(rows, shapes.fanIn(0), top, ws.x32, deltaOut, weights[1], ws.h32[0], ws.back32[0],
          gradients[0]);
      return;
    }
    backThrough(ws, hidden, k, deltaOut);
    for (int l = hidden - 1; l >= lowestTrained; l--) {
      float[] delta = ws.back32[l];
      float[] input = l == 0 ? ws.x32 : ws.h32[l - 1];
      if (shapes.trained(l)) {
        Kernels.multTransA(shapes.fanIn(l), shapes.fanOut(l), rows, input, delta, gradients[l]);
      }
      if (l == lowestTrained) {
        break;
      }
      backThrough(ws, l, shapes.fanOut(l), delta);
    }
  }

  /** dLoss/dz of hidden layer l - 1 from layer l's delta: delta W_l^T times act'(z_{l-1}). */
  private void backThrough(Workspace ws, int layer, int width, float[] delta) {
    int rows = ws.rows;
    int below = shapes.fanIn(layer);
    float[] z = ws.z32[layer - 1];
    float[] g = ws.back32[layer - 1];
    if (activation == Activation.RELU) {
      Kernels.multTransBMasked(rows, below, width, 1f, delta, weights[layer], z, g);
      return;
    }
    Kernels.multTransB(rows, below, width, delta, weights[layer], g);
    for (int e = 0; e < rows * below; e++) {
      g[e] = (float) (g[e] * activation.derivative(z[e]));
    }
  }

  /** W_l -= lr * grad_l for every trained layer (lr rounded to float). */
  void step(float[][] gradients, double lr) {
    float alpha = (float) -lr;
    for (int l = 0; l < weights.length; l++) {
      if (shapes.trained(l)) {
        Kernels.addScaled(weights[l], alpha, gradients[l], weights[l].length);
      }
    }
  }

  private static void round(double[] source, float[] target, int size) {
    for (int e = 0; e < size; e++) {
      target[e] = (float) source[e];
    }
  }
}
