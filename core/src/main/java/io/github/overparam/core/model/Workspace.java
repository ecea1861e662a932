package io.github.overparam.core.model;

import org.ejml.data.DMatrixRMaj;

/**
 * Buffers for a forward and backward pass over a fixed number of rows (a batch), sized once so that
 * training allocates nothing per step. One workspace per thread; not shareable.
 *
 * <p>Hidden layer l holds rows x P rows of its width (P positions for a cnn, 1 otherwise), so the
 * units of one position are contiguous and a cnn's layer is the same product as a dense one.
 */
public final class Workspace {
  final int rows;
  /** Arguments of the activation of hidden layer l (pre-activations; for a residual block h + tau z). */
  final DMatrixRMaj[] z;
  /** Activations h_l = act(z_l), (rows P) x width(l). */
  final DMatrixRMaj[] h;
  /** The sign source of each layer's ReLU gates: z itself, or a frozen net's z (the surrogate). */
  final DMatrixRMaj[] gates;
  /** cnn only: the patches of each layer's input, (rows P) x (q channels); null otherwise. */
  final DMatrixRMaj[] patches;
  /** cnn only: dLoss/dpatches during backward; null otherwise. */
  final DMatrixRMaj[] patchGrads;
  /** The last hidden layer seen as rows x (P width): the output layer's input. */
  final DMatrixRMaj top;
  /** Network outputs, rows x k. */
  final DMatrixRMaj f;
  /** dLoss / dOutput, rows x k: filled by the loss, read by backward. */
  final DMatrixRMaj dOutput;
  /** Scaled output delta (output scale times dOutput), rows x k. */
  final DMatrixRMaj deltaOut;
  /** dLoss/dz_l per hidden layer, shaped like z. */
  final DMatrixRMaj[] back;
  /** dLoss/dh of the last hidden layer seen as rows x (P width) (shares {@code back}'s last buffer). */
  final DMatrixRMaj backTop;
  /** resnet only: tau dLoss/dz_l, the delta of a residual block's weights. */
  final DMatrixRMaj scaled;

  /** The input promised unchanged ({@link #pinInput}), or null. */
  DMatrixRMaj pinned;
  /** Whether the fixed layers below the lowest trained one hold their output for {@link #pinned}. */
  boolean fixedLayersDone;

  Workspace(int rows, ModelSpec spec, int d, int outputs) {
    this.rows = rows;
    int hidden = spec.hiddenLayers();
    int positions = spec.positions(d);
    int units = rows * positions;
    this.z = new DMatrixRMaj[hidden];
    this.h = new DMatrixRMaj[hidden];
    this.gates = new DMatrixRMaj[hidden];
    this.back = new DMatrixRMaj[hidden];
    boolean cnn = spec.arch() == Arch.CNN;
    this.patches = cnn ? new DMatrixRMaj[hidden] : null;
    this.patchGrads = cnn ? new DMatrixRMaj[hidden] : null;
    for (int l = 0; l < hidden; l++) {
      int width = spec.layerWidth(l);
      z[l] = new DMatrixRMaj(units, width);
      h[l] = new DMatrixRMaj(units, width);
      gates[l] = z[l];
      back[l] = new DMatrixRMaj(units, width);
      if (cnn) {
        patches[l] = new DMatrixRMaj(units, spec.fanIn(l, d));
        patchGrads[l] = l > 0 ? new DMatrixRMaj(units, spec.fanIn(l, d)) : null;
      }
    }
    int topWidth = positions * spec.lastWidth();
    this.top = positions == 1 ? h[hidden - 1] : DMatrixRMaj.wrap(rows, topWidth, h[hidden - 1].data);
    this.backTop = positions == 1 ? back[hidden - 1] : DMatrixRMaj.wrap(rows, topWidth, back[hidden - 1].data);
    this.scaled = spec.arch() == Arch.RESNET ? new DMatrixRMaj(units, spec.width()) : null;
    this.f = new DMatrixRMaj(rows, outputs);
    this.dOutput = new DMatrixRMaj(rows, outputs);
    this.deltaOut = new DMatrixRMaj(rows, outputs);
  }

  /**
   * Promises that {@code x} is not modified while this workspace is used with it (training inputs,
   * full-batch): the layers below the lowest trained one (Allen-Zhu et al.'s fixed input layer A)
   * then compute their output on the first forward pass over {@code x} only, and later passes start
   * at the lowest trained layer. Their results are the same bits as without the promise.
   */
  public void pinInput(DMatrixRMaj x) {
    pinned = x;
    fixedLayersDone = false;
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

  /**
   * The argument of hidden layer l's activation from the last forward pass, (rows P) x width(l):
   * the pre-activation, or for a residual block h_{l-1} + tau h_{l-1} W_l. Read only.
   */
  public DMatrixRMaj preActivation(int layer) {
    return z[layer];
  }
}
