package io.github.overparam.core.run;

import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.Trajectory;
import java.io.Serializable;

/**
 * How training ended.
 *
 * @param status how training ended
 * @param error the exception message of a failed run, else null
 * @param steps updates made
 * @param stepsToTarget first step at which the loss reached the target, -1 if never
 * @param initialLoss training loss at initialization
 * @param finalLoss training loss at the last step
 * @param targetLoss the absolute threshold the run aimed at
 * @param rateFit r of loss(k) ~ loss(0) (1 - r)^k, least squares of log loss on step over the curve
 *     (weighted by the steps each recorded point stands for)
 * @param rateMin the worst rate over recorded steps, min_k 1 - (loss(k) / loss(0))^(1/k): Du et
 *     al.'s bound loss(k) <= (1 - eta lambda_0 / 2)^k loss(0) holds at the recorded steps iff
 *     rateMin >= eta lambda_0 / 2
 */
public record Outcome(Status status, String error, int steps, int stepsToTarget, double initialLoss,
    double finalLoss, double targetLoss, double rateFit, double rateMin) implements Serializable {

  /** The outcome of a finished training trajectory. */
  public static Outcome of(Trajectory t) {
    return new Outcome(t.status(), null, t.steps(), t.stepsToTarget(), t.initialLoss(), t.finalLoss(),
        t.threshold(), Rates.fitted(t.curve()), Rates.worst(t.curve()));
  }

  /** The outcome of a run that threw before or while training. */
  public static Outcome failed(String error) {
    double nan = Double.NaN;
    return new Outcome(Status.FAILED, error, 0, -1, nan, nan, nan, nan, nan);
  }
}
