package io.github.overparam.core.model;

import org.ejml.data.DMatrixRMaj;

/**
 * Buffers for a forward and backward pass over a fixed number of rows (a batch), sized once so that
 * training allocates nothing per step. One workspace per thread; not shareable.
 */
public final class Workspace {
  final int rows;
  /** Pre-activations z_l, rows x m, one per hidden layer. */
  final DMatrixRMaj[] z;
  /** Activations h_l = act(z_l), rows x m. */
  final DMatrixRMaj[] h;
  /** Network outputs, rows x k. */
  final DMatrixRMaj f;
  /** dLoss / dOutput, rows x k: filled by the loss, read by backward. */
  final DMatrixRMaj dOutput;
  /** Scaled output delta (output scale times dOutput), rows x k. */
  final DMatrixRMaj deltaOut;
  /** Two ping-pong buffers for the per-layer deltas dLoss/dz_l, rows x m. */
  final DMatrixRMaj back1;
  final DMatrixRMaj back2;

  Workspace(int rows, int hidden, int width, int outputs) {
    this.rows = rows;
    this.z = new DMatrixRMaj[hidden];
    this.h = new DMatrixRMaj[hidden];
    for (int l = 0; l < hidden; l++) {
      z[l] = new DMatrixRMaj(rows, width);
      h[l] = new DMatrixRMaj(rows, width);
    }
    this.f = new DMatrixRMaj(rows, outputs);
    this.dOutput = new DMatrixRMaj(rows, outputs);
    this.deltaOut = new DMatrixRMaj(rows, outputs);
    this.back1 = new DMatrixRMaj(rows, width);
    this.back2 = new DMatrixRMaj(rows, hidden > 1 ? width : 1);
  }

  public int rows() {
    return rows;
  }

  /** The outputs of the last forward pass (rows x k). Read only. */
  public DMatrixRMaj outputs() {
    return f;
  }

  /** Where the loss writes dLoss/dOutput (rows x k) before {@link Network#backward}. */
  public DMatrixRMaj outputGradient() {
    return dOutput;
  }

  /** Pre-activations of hidden layer l (0-based) from the last forward pass. Read only. */
  public DMatrixRMaj preActivation(int layer) {
    return z[layer];
  }
}
