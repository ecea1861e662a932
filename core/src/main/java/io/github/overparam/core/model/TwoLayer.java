package io.github.overparam.core.model;

import io.github.overparam.core.linalg.Dense;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The passes of a plain two-layer ReLU net with one output in float64, each one fused sweep over the
 * data ({@link Dense#reluForward}, {@link Dense#reluOuterGradient}) where {@link Network}'s general
 * passes make a product, a ReLU and a single-column product forward, and a masked outer product and
 * input^T delta backward. The same bits as the general passes (TwoLayerGradientTest); the
 * workspace is left as they leave it (z, which is not stored, is h itself in the workspace: the gates
 * and the activation pattern are read from h; the gradient reads the gates as bytes where the forward
 * pass writes them too, {@link io.github.overparam.core.linalg.Kernels#gateBytes}).
 */
final class TwoLayer {
  private TwoLayer() {}

  /** Whether a net of this form takes the fused passes: no surrogate, float64, first layer trained. */
  static boolean applies(int hidden, int outputs, Activation activation, boolean cnn, int lowestTrained,
      FrozenGates frozenGates, FloatLayers single) {
    return hidden == 1 && outputs == 1 && activation == Activation.RELU && !cnn && lowestTrained == 0
        && frozenGates == null && single == null;
  }

  /** h (the gates and the activation pattern; z is not stored) and the outputs of x in the workspace. */
  static void forward(double outputScale, DMatrixRMaj x, DMatrixRMaj[] weights, Workspace ws) {
    Dense.reluForward(outputScale, x, weights[0], weights[1], ws.z[0], ws.h[0], ws.f, ws.gateBytes);
    if (ws.pinned == x) {
      ws.fixedLayersDone = true;
    }
  }

  /** The gradients of the trained layers, from the output gradient in the workspace. */
  static void backward(double outputScale, DMatrixRMaj x, DMatrixRMaj[] weights, boolean[] trained, Workspace ws,
      DMatrixRMaj[] gradients) {
    CommonOps_DDRM.scale(outputScale, ws.dOutput, ws.deltaOut);
    if (trained[1]) {
      Dense.multTransA(ws.top, ws.deltaOut, gradients[1]);
    }
    Dense.reluOuterGradient(x, ws.deltaOut, weights[1], ws.gates[0], ws.gateBytes, ws.backTop, gradients[0]);
  }
}
