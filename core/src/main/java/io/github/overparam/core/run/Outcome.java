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
 * @param endRate r of loss(k) ~ c (1 - r)^k fitted (least squares of ln loss on k) over the recorded
 *     points of the run's second half (at least the last {@link #END_POINTS}), NaN with fewer
 * @param projectedStepsToTarget for a run stopped by its budget and still descending: the step at
 *     which the loss would reach the target at its end rate, else -1
 * @param endTrend for a run stopped by its budget: whether it was still descending geometrically
 *     at the end or had stalled; null for the other statuses
 */
public record Outcome(Status status, String error, int steps, int stepsToTarget, double initialLoss,
    double finalLoss, double targetLoss, double rateFit, double rateMin, double endRate,
    int projectedStepsToTarget, EndTrend endTrend) implements Serializable {

  /** Recorded points of the second half the end rate needs. */
  public static final int END_POINTS = 3;

  /**
   * A budget-stopped run is descending when its end rate would reach the target within this many
   * times its step budget: a larger budget, not a wider net, is what it lacks.
   */
  public static final double REACH_FACTOR = 10;

  /** Where a run stopped by its step budget was heading. */
  public enum EndTrend {
    /** Still descending geometrically: the target is within {@link #REACH_FACTOR} budgets. */
    DESCENDING,
    /** Stalled: at its end rate the target is further than that, or the loss no longer falls. */
    STALLED
  }

  /** The outcome of a finished training trajectory. */
  public static Outcome of(Trajectory t) {
    double endRate = endRate(t.curve(), t.steps());
    int projected = -1;
    EndTrend trend = null;
    if (t.status() == Status.MAX_STEPS) {
      trend = EndTrend.STALLED;
      if (endRate > 0 && t.finalLoss() > 0 && t.threshold() > 0) {
        double more = Math.log(t.threshold() / t.finalLoss()) / Math.log1p(-endRate);
        double at = Math.ceil(t.steps() + Math.max(0, more));
        if (at <= REACH_FACTOR * t.steps()) {
          trend = EndTrend.DESCENDING;
          projected = (int) at;
        }
      }
    }
    return new Outcome(t.status(), null, t.steps(), t.stepsToTarget(), t.initialLoss(), t.finalLoss(),
        t.threshold(), Rates.fitted(t.curve()), Rates.worst(t.curve()), endRate, projected, trend);
  }

  /** The outcome of a run that threw before or while training. */
  public static Outcome failed(String error) {
    double nan = Double.NaN;
    return new Outcome(Status.FAILED, error, 0, -1, nan, nan, nan, nan, nan, nan, -1, null);
  }

  /**
   * 1 - exp(slope) of the least-squares line through (k, ln loss(k)) over the recorded points with
   * k >= steps / 2 and a positive finite loss, or over the last {@link #END_POINTS} such points with
   * k > 0 when the second half holds fewer (log-spaced curves are sparse at the end); NaN with fewer.
   */
  static double endRate(Curve curve, int steps) {
    int[] k = curve.steps();
    double[] loss = curve.loss();
    double n = 0;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (int i = k.length - 1; i >= 0 && k[i] > 0 && (n < END_POINTS || 2L * k[i] >= steps); i--) {
      if (loss[i] > 0 && Double.isFinite(loss[i])) {
        double y = Math.log(loss[i]);
        n++;
        sx += k[i];
        sy += y;
        sxx += (double) k[i] * k[i];
        sxy += k[i] * y;
      }
    }
    double den = n * sxx - sx * sx;
    if (n < END_POINTS || den <= 0) {
      return Double.NaN;
    }
    return -Math.expm1((n * sxy - sx * sy) / den);
  }
}
