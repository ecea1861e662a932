package io.github.overparam.core.run;

import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Workspace;
import io.github.overparam.core.train.Drift;
import java.io.Serializable;

/**
 * How far training moved the net from its initialization (docs/design.md section 2).
 *
 * @param trainedLayers indices of the trained layers (hidden layers 0..H-1, output H)
 * @param distFrobenius ||W_l - W_l(0)||_F per trained layer
 * @param distRelative the same divided by ||W_l(0)||_F
 * @param distMaxNeuron max_r ||w_r - w_r(0)|| per trained layer
 * @param flipFractions per hidden layer, fraction of activation signs on the training points that
 *     changed since initialization
 * @param flipFraction mean of flipFractions over the hidden layers that training can change (a layer
 *     with every layer up to it fixed never flips and is left out)
 */
public record Movement(int[] trainedLayers, double[] distFrobenius, double[] distRelative,
    double[] distMaxNeuron, double[] flipFractions, double flipFraction) implements Serializable {

  /** Nothing measured (a failed run). */
  public static final Movement NONE = new Movement(new int[0], new double[0], new double[0], new double[0],
      new double[0], Double.NaN);

  /**
   * Measures the trained {@code net} against its initialization as {@code drift} recorded it.
   *
   * @param full the forward pass over every training point at the final weights (not modified)
   */
  public static Movement measure(Network net, Drift drift, Workspace full) {
    int hidden = net.hiddenLayers();
    int trainedCount = 0;
    for (int l = 0; l <= hidden; l++) {
      trainedCount += net.trained(l) ? 1 : 0;
    }
    int[] trainedLayers = new int[trainedCount];
    double[] frob = new double[trainedCount];
    double[] rel = new double[trainedCount];
    double[] maxNeuron = new double[trainedCount];
    for (int l = 0, i = 0; l <= hidden; l++) {
      if (net.trained(l)) {
        trainedLayers[i] = l;
        frob[i] = drift.frobenius(l);
        rel[i] = frob[i] / drift.initialNorm(l);
        maxNeuron[i] = drift.maxNeuronDistance(l);
        i++;
      }
    }
    double[] flips = new double[hidden];
    // The mean leaves out the hidden layers whose pre-activations no training can change (every layer
    // up to them fixed, as Allen-Zhu et al.'s input layer A): they never flip.
    double flipSum = 0;
    int moving = 0;
    boolean trainedBelow = false;
    for (int l = 0; l < hidden; l++) {
      flips[l] = drift.flipFraction(full, l);
      trainedBelow |= net.trained(l);
      if (trainedBelow) {
        flipSum += flips[l];
        moving++;
      }
    }
    double flipMean = moving == 0 ? 0 : flipSum / moving;
    return new Movement(trainedLayers, frob, rel, maxNeuron, flips, flipMean);
  }

  /** max over trained layers of distMaxNeuron, NaN if none. */
  public double maxNeuronDistance() {
    return max(distMaxNeuron);
  }

  /** max over trained layers of distRelative, NaN if none. */
  public double maxRelativeDistance() {
    return max(distRelative);
  }

  private static double max(double[] values) {
    double max = Double.NaN;
    for (double v : values) {
      max = Double.isNaN(max) ? v : Math.max(max, v);
    }
    return max;
  }
}
