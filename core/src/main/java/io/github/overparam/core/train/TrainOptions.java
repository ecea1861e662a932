package io.github.overparam.core.train;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * How {@link Trainer#train} records and drives a run, beside the spec's training hyper-parameters.
 *
 * @param curvePoints points of the recorded loss curve ({@code record.curve_points})
 * @param batchSeed seed of the SGD batch order (unused by GD)
 * @param drift tracks the distance from initialization; must track the trained net
 * @param exactSteps when present, make exactly that many updates whatever the loss (the target does
 *     not stop the run; divergence does), evaluating at that step; the status is converged when the
 *     final loss meets the target, else max_steps. Used to follow another run step by step (Noy et
 *     al.'s surrogate beside the real net). At most {@code train.max_steps}.
 * @param lossLog when present, receives the full-data loss at every evaluated step (every step for
 *     GD) at the step's index; other entries are left as they are. Longer than the last step.
 */
public record TrainOptions(int curvePoints, long batchSeed, Drift drift, OptionalInt exactSteps,
    Optional<double[]> lossLog) {

  public TrainOptions {
    if (drift == null || exactSteps == null || lossLog == null) {
      throw new IllegalArgumentException("drift, exactSteps and lossLog must not be null (use empty optionals)");
    }
    if (exactSteps.isPresent() && exactSteps.getAsInt() < 0) {
      throw new IllegalArgumentException("exactSteps = " + exactSteps.getAsInt() + ": must be >= 0");
    }
  }

  /** Stop by the spec's rules, no loss log. */
  public static TrainOptions of(int curvePoints, long batchSeed, Drift drift) {
    return new TrainOptions(curvePoints, batchSeed, drift, OptionalInt.empty(), Optional.empty());
  }

  /** The same options, making exactly {@code steps} updates. */
  public TrainOptions withExactSteps(int steps) {
    return new TrainOptions(curvePoints, batchSeed, drift, OptionalInt.of(steps), lossLog);
  }

  /** The same options, logging the loss of every evaluated step into {@code log}. */
  public TrainOptions withLossLog(double[] log) {
    return new TrainOptions(curvePoints, batchSeed, drift, exactSteps, Optional.of(log));
  }
}
