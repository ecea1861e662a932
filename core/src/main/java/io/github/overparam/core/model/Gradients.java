package io.github.overparam.core.model;

import org.ejml.data.DMatrixRMaj;

/**
 * The gradient buffers of one net, in its precision: one per trained layer, shaped like the
 * weights, filled by {@link Network#backward(DMatrixRMaj, Workspace, Gradients)} and applied by
 * {@link Network#step(Gradients, double)}. Allocated once per run ({@link Network#gradients()}).
 */
public final class Gradients {
  /** float64 nets: the gradient matrices (null for fixed layers); null for float32 nets. */
  final DMatrixRMaj[] matrices;
  /** float64 nets: writes input^T delta into {@link #matrices}. */
  final Network.LayerDeltaSink sink;
  /** float32 nets: the gradients, row-major like the weights (null for fixed layers); null for float64. */
  final float[][] floats;

  Gradients(DMatrixRMaj[] matrices) {
    this.matrices = matrices;
    this.sink = Network.gradientSink(matrices);
    this.floats = null;
  }

  Gradients(float[][] floats) {
    this.matrices = null;
    this.sink = null;
    this.floats = floats;
  }
}
