package io.github.overparam.core.train;

import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.model.Workspace;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * How far a network has moved from its initialization: distances of the weights (per trained
 * layer) and flips of the activation patterns (per hidden layer) on the training points.
 *
 * <p>Holds a copy of the initial weights and the initial sign bits; every buffer is sized once, so
 * measuring during training allocates nothing. A float32 net's distances are summed in double from
 * its float weights.
 */
public final class Drift {
  private final Network initial;
  private final Network current;
  private final int n;
  private final long[][] initialSigns;
  private final double[] columnSums;
  private boolean captured;

  /** Takes the initial weights from {@code net} now; patterns are captured by {@link #capturePatterns}. */
  public Drift(Network net, int n) {
    this.initial = net.copy();
    this.current = net;
    this.n = n;
    this.initialSigns = new long[net.hiddenLayers()][];
    for (int l = 0; l < initialSigns.length; l++) {
      long bits = (long) n * net.unitsPerRow(l);
      initialSigns[l] = new long[(int) ((bits + 63) / 64)];
    }
    int maxCols = 0;
    for (int l = 0; l <= net.hiddenLayers(); l++) {
      maxCols = Math.max(maxCols, net.shapes().fanOut(l));
    }
    this.columnSums = new double[maxCols];
  }

  /** The network as it was when this tracker was created. */
  public Network initial() {
    return initial;
  }

  /** Stores the signs of the pre-activations of a full-data forward pass at initialization. */
  public void capturePatterns(Workspace fullData) {
    for (int l = 0; l < initialSigns.length; l++) {
      fullData.positive(l, initialSigns[l]);
    }
    captured = true;
  }

  /** Fraction of (point, unit) signs of hidden layer l that differ from initialization. */
  public double flipFraction(Workspace fullData, int layer) {
    if (!captured) {
      throw new IllegalStateException("capturePatterns was not called");
    }
    return (double) fullData.flips(layer, initialSigns[layer]) / fullData.preActivationSize(layer);
  }

  /** Flip fraction over all hidden layers together. */
  public double flipFraction(Workspace fullData) {
    double sum = 0;
    for (int l = 0; l < initialSigns.length; l++) {
      sum += flipFraction(fullData, l);
    }
    return sum / initialSigns.length;
  }

  /** ||W_l - W_l(0)||_F. */
  public double frobenius(int layer) {
    if (current.precision() == Precision.F32) {
      float[] a = current.floatWeights(layer);
      float[] b = initial.floatWeights(layer);
      double s = 0;
      for (int e = 0; e < a.length; e++) {
        double diff = (double) a[e] - b[e];
        s += diff * diff;
      }
      return Math.sqrt(s);
    }
    double[] a = current.weights(layer).data;
    double[] b = initial.weights(layer).data;
    int size = current.weights(layer).getNumElements();
    double s = 0;
    for (int e = 0; e < size; e++) {
      double diff = a[e] - b[e];
      s += diff * diff;
    }
    return Math.sqrt(s);
  }

  /** ||W_l(0)||_F. */
  public double initialNorm(int layer) {
    if (current.precision() == Precision.F32) {
      float[] w = initial.floatWeights(layer);
      double s = 0;
      for (float v : w) {
        s += (double) v * v;
      }
      return Math.sqrt(s);
    }
    DMatrixRMaj w = initial.weights(layer);
    double s = 0;
    for (int e = 0; e < w.getNumElements(); e++) {
      s += w.data[e] * w.data[e];
    }
    return Math.sqrt(s);
  }

  /** max_r ||w_r - w_r(0)|| over the units (columns) of layer l. */
  public double maxNeuronDistance(int layer) {
    int rows = current.shapes().fanIn(layer);
    int cols = current.shapes().fanOut(layer);
    Arrays.fill(columnSums, 0, cols, 0.0);
    if (current.precision() == Precision.F32) {
      float[] w = current.floatWeights(layer);
      float[] w0 = initial.floatWeights(layer);
      for (int i = 0; i < rows; i++) {
        int base = i * cols;
        for (int r = 0; r < cols; r++) {
          double diff = (double) w[base + r] - w0[base + r];
          columnSums[r] += diff * diff;
        }
      }
    } else {
      DMatrixRMaj w = current.weights(layer);
      DMatrixRMaj w0 = initial.weights(layer);
      for (int i = 0; i < rows; i++) {
        int base = i * cols;
        for (int r = 0; r < cols; r++) {
          double diff = w.data[base + r] - w0.data[base + r];
          columnSums[r] += diff * diff;
        }
      }
    }
    double max = 0;
    for (int r = 0; r < cols; r++) {
      max = Math.max(max, columnSums[r]);
    }
    return Math.sqrt(max);
  }

  /** max over trained hidden layers of {@link #maxNeuronDistance}; NaN when only the output trains. */
  public double maxNeuronDistance() {
    double max = Double.NaN;
    for (int l = 0; l < current.hiddenLayers(); l++) {
      if (current.trained(l)) {
        double v = maxNeuronDistance(l);
        max = Double.isNaN(max) ? v : Math.max(max, v);
      }
    }
    return max;
  }
}
