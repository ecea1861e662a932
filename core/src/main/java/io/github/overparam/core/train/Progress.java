package io.github.overparam.core.train;

import io.github.overparam.core.model.Workspace;

/**
 * A run's losses at its full-data evaluations and how it ends: the stop rules that {@link Trainer}
 * and {@link PackedTrainer} both apply, kept once. The first evaluation (step 0) fixes the initial
 * loss and the target's threshold; then a run diverges at a loss that is not finite or above
 * divergence_factor times the initial one, converges at the first loss at or below the threshold, and
 * otherwise stops at max_steps; in exact mode ({@link Trainer}'s full-budget runs) it always goes to
 * its last step and records the first step that met the target.
 */
final class Progress {
  private final TrainSpec spec;
  private double initialLoss = Double.NaN;
  private double threshold = Double.NaN;
  private double lastLoss = Double.NaN;
  private int stepsToTarget = -1;
  private Status status;

  Progress(TrainSpec spec) {
    this.spec = spec;
  }

  /** {@link #evaluate(int, double, boolean, int)} of a run that stops at its target. */
  boolean evaluate(int step, double loss) {
    return evaluate(step, loss, false, spec.maxSteps());
  }

  /**
   * Records the loss after {@code step} updates and applies the stop rules (exact: to lastStep
   * whatever the loss); returns whether the run ended there ({@link #status}).
   */
  boolean evaluate(int step, double loss, boolean exact, int lastStep) {
    lastLoss = loss;
    if (step == 0) {
      initialLoss = loss;
      threshold = spec.target().threshold(initialLoss);
    }
    if (diverged(loss, initialLoss, spec)) {
      status = Status.DIVERGED;
    } else if (exact) {
      if (loss <= threshold && stepsToTarget < 0) {
        stepsToTarget = step;
      }
      if (step == lastStep) {
        status = loss <= threshold ? Status.CONVERGED : Status.MAX_STEPS;
      }
    } else if (loss <= threshold) {
      status = Status.CONVERGED;
      stepsToTarget = step;
    } else if (step == spec.maxSteps()) {
      status = Status.MAX_STEPS;
    }
    return status != null;
  }

  /** How the run ended; null while it goes on. */
  Status status() {
    return status;
  }

  /** The run's trajectory after {@code steps} updates. */
  Trajectory trajectory(int steps, CurveRecorder curve, long flops, Workspace full) {
    return new Trajectory(status, steps, stepsToTarget, initialLoss, lastLoss, threshold, curve.curve(), flops, full);
  }

  /** Whether a loss ends the run as diverged: not finite, or above divergence_factor times the initial loss. */
  static boolean diverged(double loss, double initialLoss, TrainSpec spec) {
    return !Double.isFinite(loss) || loss > spec.divergenceFactor() * Math.max(initialLoss, Double.MIN_NORMAL);
  }
}
