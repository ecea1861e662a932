package io.github.overparam.core.model;

import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.linalg.Signs;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Buffers for a forward and backward pass over a fixed number of rows (a batch), sized once so that
 * training allocates nothing per step. One workspace per thread; not shareable.
 *
 * <p>Hidden layer l holds rows x P rows of its width (P positions for a cnn, 1 otherwise), so the
 * units of one position are contiguous and a cnn's layer is the same product as a dense one.
 *
 * <p>A float32 net's workspace ({@link Precision#F32}) holds its inputs, pre-activations,
 * activations and deltas in float arrays instead (the double matrices are null), and its outputs and
 * output gradient in double, as the loss reads and writes them.
 */
public final class Workspace {
  final int rows;
  /**
   * Arguments of the activation of hidden layer l (pre-activations; for a residual block h + tau z);
   * for a layer that keeps h only (a ReLU layer rectified in place), h itself. Either way its entries
   * are > 0 exactly where the argument is (h = relu(z): NaN gives 0 in h and "not > 0" in z), so the
   * activation pattern ({@link #positive}, {@link #flips}) is read here.
   */
  final DMatrixRMaj[] z;
  /** Activations h_l = act(z_l), (rows P) x width(l). */
  final DMatrixRMaj[] h;
  /** The sign source of each layer's ReLU gates: z (h where it keeps h only), or a frozen net's z (the surrogate). */
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

  /** float32 only (null otherwise): the rounded input, rows x d. */
  final float[] x32;
  /**
   * float32 only: pre-activations (as {@link #z}: h32 itself for a ReLU layer, also its gates),
   * activations and dLoss/dz of each hidden layer, rows x width(l).
   */
  final float[][] z32;
  final float[][] h32;
  final float[][] back32;
  /** float32 only: the outputs before widening, and the scaled output delta, rows x k. */
  final float[] f32;
  final float[] delta32;

  /**
   * float32 two-layer nets with a fixed output layer on shapes of {@link Kernels#gatePanels}: h32[0]
   * (and z32[0]) hold layer 0's gates in the panels of {@link Kernels#reluForwardPanels}, not h;
   * xT32 holds the input transposed for the gradient.
   */
  final boolean gatePanels;
  /** {@link #gatePanels} only (null otherwise): x32 transposed, d x rows, as the gradient reads it. */
  final float[] xT32;
  /** Whether xT32 holds the transpose of x32 as it is now (x32 rounded again: not until the next backward). */
  boolean xT32Ready;
  /** The entry of h32[0] the gate panels start from, as the last forward pass put them ({@link #gatePanels}). */
  int gateStart;
  /**
   * float64 two-layer nets on shapes of {@link Kernels#gateBytes} (null otherwise): layer 0's gates
   * as the forward pass writes them beside h, entry i m + j 1 exactly where h_ij is > 0, else 0; the
   * gradient reads them instead of h, and {@link #positive} and {@link #flips} read the pattern
   * there (eight entries a multiply instead of a compare each).
   */
  final byte[] gateBytes;
  /** Units of hidden layer 0. */
  private final int width0;
  /** The first layer's inputs d (the gate panels' layout follows the gradient's d x m product). */
  private final int inputs0;

  /** The input promised unchanged ({@link #pinInput}), or null. */
  DMatrixRMaj pinned;
  /** Whether the fixed layers below the lowest trained one hold their output for {@link #pinned}. */
  boolean fixedLayersDone;

  /**
   * @param hOnly per hidden layer, whether the forward pass stores h only (a ReLU layer rectified in
   *     place, or layer 0 of a two-layer ReLU net on the fused passes): its gates and activation
   *     pattern are then read from h, and z is not written
   * @param gateBytes whether layer 0's gates are kept as bytes too ({@link #gateBytes})
   */
  Workspace(int rows, ModelSpec spec, int d, int outputs, Precision precision, boolean[] hOnly, boolean gatePanels,
      boolean gateBytes) {
    this.rows = rows;
    this.gateBytes = gateBytes ? new byte[rows * spec.layerWidth(0)] : null;
    this.gatePanels = gatePanels;
    this.width0 = spec.layerWidth(0);
    this.inputs0 = d;
    int hidden = spec.hiddenLayers();
    this.f = new DMatrixRMaj(rows, outputs);
    this.dOutput = new DMatrixRMaj(rows, outputs);
    if (precision == Precision.F32) {
      // Fully connected nets only (Network checks): one position per row, no residual blocks.
      this.x32 = new float[rows * d];
      this.z32 = new float[hidden][];
      this.h32 = new float[hidden][];
      this.back32 = new float[hidden][];
      for (int l = 0; l < hidden; l++) {
        int size = rows * spec.layerWidth(l);
        boolean panels = gatePanels && l == 0;
        h32[l] = new float[panels ? Kernels.gatePanelSize(rows, spec.layerWidth(l)) : size];
        // A layer that keeps h only has no z of its own: the name points at h (never read as z).
        z32[l] = hOnly[l] || panels ? h32[l] : new float[size];
        back32[l] = new float[size];
      }
      this.xT32 = gatePanels ? new float[d * rows] : null;
      this.f32 = new float[rows * outputs];
      this.delta32 = new float[rows * outputs];
      this.z = null;
      this.h = null;
      this.gates = null;
      this.back = null;
      this.patches = null;
      this.patchGrads = null;
      this.top = null;
      this.backTop = null;
      this.scaled = null;
      this.deltaOut = null;
      return;
    }
    this.x32 = null;
    this.xT32 = null;
    this.z32 = null;
    this.h32 = null;
    this.back32 = null;
    this.f32 = null;
    this.delta32 = null;
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
      h[l] = new DMatrixRMaj(units, width);
      // A layer that keeps h only has no z of its own: the name points at h (never read as z).
      z[l] = hOnly[l] ? h[l] : new DMatrixRMaj(units, width);
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
   * the pre-activation, or for a residual block h_{l-1} + tau h_{l-1} W_l. Read only. A float32
   * net's workspace has none in double, and a ReLU layer rectified in place keeps h only ({@link
   * #positive} reads the activation pattern of either).
   */
  public DMatrixRMaj preActivation(int layer) {
    if (z == null) {
      throw new IllegalStateException("a float32 workspace holds its pre-activations in float: use positive()");
    }
    if (z[layer] == h[layer]) {
      throw new IllegalStateException("the forward pass rectifies ReLU layer " + layer
          + " in place and keeps h = relu(z), not z: use activation() or positive() for its activation pattern");
    }
    return z[layer];
  }

  /** Hidden layer l's activations h_l = act(z_l), (rows P) x width(l), of a float64 net. Read only. */
  public DMatrixRMaj activation(int layer) {
    if (h == null) {
      throw new IllegalStateException("a float32 workspace holds its activations in float: use positive()");
    }
    return h[layer];
  }

  /** Entries of hidden layer l's pre-activations: rows x positions x width(l). */
  public int preActivationSize(int layer) {
    if (gatePanels && layer == 0) {
      return rows * width0;
    }
    return z == null ? z32[layer].length : z[layer].getNumElements();
  }

  /**
   * Sets bit e of {@code bits} (bit e & 63 of word e >>> 6) where entry e of hidden layer l's
   * pre-activations is > 0 and clears it elsewhere: the layer's activation pattern, in either precision.
   */
  public void positive(int layer, long[] bits) {
    int size = preActivationSize(layer);
    if (gatePanels && layer == 0) {
      Kernels.gatePattern(rows, inputs0, width0, z32[0], gateStart, bits, false);
    } else if (gateBytes != null && layer == 0) {
      Signs.positive(gateBytes, size, bits);
    } else if (z == null) {
      Signs.positive(z32[layer], size, bits);
    } else {
      Signs.positive(z[layer].data, size, bits);
    }
    Arrays.fill(bits, Signs.words(size), bits.length, 0L);
  }

  /** Entries of hidden layer l's pre-activations whose sign (> 0 or not) differs from {@code bits}. */
  public long flips(int layer, long[] bits) {
    int size = preActivationSize(layer);
    if (gatePanels && layer == 0) {
      return Kernels.gatePattern(rows, inputs0, width0, z32[0], gateStart, bits, true);
    }
    if (gateBytes != null && layer == 0) {
      return Signs.flips(gateBytes, size, bits);
    }
    return z == null ? Signs.flips(z32[layer], size, bits) : Signs.flips(z[layer].data, size, bits);
  }

}
