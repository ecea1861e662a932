package io.github.overparam.core.model;

/**
 * The shapes of a network's layers, computed once from its spec and the data's dimensions: what
 * {@link Network} allocates and counts, and what the sweep planner ({@code run.Costs}) estimates
 * without building a net. One home for the parameter and floating-point operation counts.
 *
 * <p>Layers 0..H-1 are hidden, layer H the output (H = {@link ModelSpec#hiddenLayers()}). Layer l's
 * weight matrix is {@code fanIn(l) x fanOut(l)}; its product runs over {@code positions(l)} rows per
 * input row (a cnn's hidden layers: d / channels positions; 1 otherwise).
 */
public final class LayerShapes {
  private final int[] fanIn;
  private final int[] fanOut;
  private final int[] positions;
  private final boolean[] trained;
  private final int lowestTrained;

  private LayerShapes(int[] fanIn, int[] fanOut, int[] positions, boolean[] trained) {
    this.fanIn = fanIn;
    this.fanOut = fanOut;
    this.positions = positions;
    this.trained = trained;
    int lowest = -1;
    for (int l = 0; l < trained.length; l++) {
      if (trained[l]) {
        lowest = l;
        break;
      }
    }
    this.lowestTrained = lowest;
  }

  /** The layers of {@code spec} for inputs of dimension d and k outputs. */
  public static LayerShapes of(ModelSpec spec, int d, int k) {
    int hidden = spec.hiddenLayers();
    int[] in = new int[hidden + 1];
    int[] out = new int[hidden + 1];
    int[] pos = new int[hidden + 1];
    boolean[] trained = new boolean[hidden + 1];
    for (int l = 0; l < hidden; l++) {
      in[l] = spec.fanIn(l, d);
      out[l] = spec.layerWidth(l);
      pos[l] = spec.positions(d);
      trained[l] = spec.trainedHidden(l);
    }
    in[hidden] = spec.outputFanIn(d);
    out[hidden] = k;
    pos[hidden] = 1;
    trained[hidden] = spec.trainOutput();
    return new LayerShapes(in, out, pos, trained);
  }

  /** Number of layers, hidden and output: H + 1. */
  public int count() {
    return fanIn.length;
  }

  /** Rows of layer l's weight matrix. */
  public int fanIn(int layer) {
    return fanIn[layer];
  }

  /** Columns of layer l's weight matrix. */
  public int fanOut(int layer) {
    return fanOut[layer];
  }

  /** Rows of layer l's product per input row. */
  public int positions(int layer) {
    return positions[layer];
  }

  public boolean trained(int layer) {
    return trained[layer];
  }

  /** The lowest trained layer, or -1 when no layer is trained. */
  public int lowestTrained() {
    return lowestTrained;
  }

  /** Entries of layer l's weight matrix. */
  public long size(int layer) {
    return (long) fanIn[layer] * fanOut[layer];
  }

  /** Number of weights. */
  public long parameters() {
    long total = 0;
    for (int l = 0; l < fanIn.length; l++) {
      total += size(l);
    }
    return total;
  }

  /** Number of trained weights. */
  public long trainedParameters() {
    long total = 0;
    for (int l = 0; l < fanIn.length; l++) {
      total += trained[l] ? size(l) : 0;
    }
    return total;
  }

  /** Floating-point operations of one forward pass over {@code rows} rows (multiply-adds count 2). */
  public long forwardFlops(long rows) {
    long flops = 0;
    for (int l = 0; l < fanIn.length; l++) {
      flops += 2L * rows * positions[l] * size(l);
    }
    return flops;
  }

  /**
   * Floating-point operations of one backward pass plus the update over {@code rows} rows: per trained
   * layer its gradient product and the update, per layer above the lowest trained one the product
   * that propagates the delta down.
   */
  public long backwardFlops(long rows) {
    long flops = 0;
    for (int l = fanIn.length - 1; l >= lowestTrained && l >= 0; l--) {
      long r = rows * positions[l];
      if (trained[l]) {
        flops += 2L * r * size(l) + 2L * size(l);
      }
      if (l > lowestTrained) {
        flops += 2L * r * size(l);
      }
    }
    return flops;
  }
}
