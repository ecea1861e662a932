package io.github.overparam.core.train;

import io.github.overparam.core.run.Curve;
import java.util.Arrays;

/**
 * The loss curve a run records as {@link Trainer} evaluates it: the steps of {@link Curve#schedule}
 * and the step the run stops at, each with its loss, flip fraction and largest neuron distance. One
 * per run, allocated before the first step.
 */
final class CurveRecorder {
  private final int[] schedule;
  private final int[] steps;
  private final double[] loss;
  private final double[] flips;
  private final double[] distance;
  private int recorded;
  private int next;

  /** The curve of a run of at most {@code maxSteps} steps with {@code points} scheduled points. */
  CurveRecorder(int maxSteps, int points) {
    schedule = Curve.schedule(maxSteps, points);
    steps = new int[schedule.length + 1];
    loss = new double[schedule.length + 1];
    flips = new double[schedule.length + 1];
    distance = new double[schedule.length + 1];
  }

  /** Whether {@code step} is the next scheduled point. */
  boolean due(int step) {
    return next < schedule.length && schedule[next] == step;
  }

  /** Records {@code step} (a scheduled point, which it passes, or the last step). */
  void add(int step, double stepLoss, double flipFraction, double maxNeuronDistance) {
    if (due(step)) {
      next++;
    }
    steps[recorded] = step;
    loss[recorded] = stepLoss;
    flips[recorded] = flipFraction;
    distance[recorded] = maxNeuronDistance;
    recorded++;
  }

  /** The points recorded so far. */
  Curve curve() {
    return new Curve(Arrays.copyOf(steps, recorded), Arrays.copyOf(loss, recorded), Arrays.copyOf(flips, recorded),
        Arrays.copyOf(distance, recorded));
  }
}
