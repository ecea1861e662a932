package io.github.overparam.core.train;

import static io.github.overparam.core.Checks.atLeast;
import static io.github.overparam.core.Checks.notNull;
import static io.github.overparam.core.Checks.positiveFinite;
import static io.github.overparam.core.Checks.require;

import io.github.overparam.core.Names;
import io.github.overparam.core.model.Precision;
import java.io.Serializable;

/**
 * How a network is trained.
 *
 * @param optimizer gd or sgd
 * @param lr constant step size, finite and > 0
 * @param batchSize mini-batch size for SGD (at least 1, at most n: checked by the run); 0 for GD
 * @param loss training loss
 * @param maxSteps the most updates to make, at least 1
 * @param target convergence threshold
 * @param divergenceFactor a loss above this factor times the initial loss ends the run as diverged (> 1)
 * @param lrRule how lr was derived when it depends on the width, e.g. "1 * (1 / (n * depth * width))",
 *     so that runs of one rule form one group across widths; null for a plain number
 * @param maxStepsRule how maxSteps was derived when it depends on the width, the step size or the data's
 *     kernel, e.g. "20 * (ln(1 / target) / (lr * lambda0))", so that runs of one rule form one group
 *     across widths and seeds; null for a plain number
 * @param precision the format of the net's weights and passes (f64 or f32; the loss is summed in double)
 */
public record TrainSpec(
    Optimizer optimizer, double lr, int batchSize, Loss loss, int maxSteps, TargetLoss target,
    double divergenceFactor, String lrRule, String maxStepsRule, Precision precision) implements Serializable {

  public static final double DEFAULT_DIVERGENCE_FACTOR = 1e6;

  public TrainSpec {
    notNull("train.optimizer", optimizer);
    notNull("train.loss", loss);
    notNull("train.target_loss", target);
    notNull("train.precision", precision);
    positiveFinite("train.lr", lr);
    atLeast("train.max_steps", maxSteps, 1);
    if (optimizer == Optimizer.GD) {
      require(batchSize == 0, "train.batch_size", batchSize, "gd uses every point, leave batch_size unset"
          + " (or use optimizer sgd)");
    } else {
      atLeast("train.batch_size", batchSize, 1);
    }
    positiveFinite("train.divergence_factor", divergenceFactor);
    require(divergenceFactor > 1, "train.divergence_factor", divergenceFactor, "must be > 1");
  }

  /** float64 (the default precision). */
  public TrainSpec(Optimizer optimizer, double lr, int batchSize, Loss loss, int maxSteps, TargetLoss target,
      double divergenceFactor, String lrRule, String maxStepsRule) {
    this(optimizer, lr, batchSize, loss, maxSteps, target, divergenceFactor, lrRule, maxStepsRule, Precision.F64);
  }

  /** A step budget given as a number (no rule). */
  public TrainSpec(Optimizer optimizer, double lr, int batchSize, Loss loss, int maxSteps, TargetLoss target,
      double divergenceFactor, String lrRule) {
    this(optimizer, lr, batchSize, loss, maxSteps, target, divergenceFactor, lrRule, null);
  }

  /** A constant step size and step budget given as numbers (no rules). */
  public TrainSpec(Optimizer optimizer, double lr, int batchSize, Loss loss, int maxSteps, TargetLoss target,
      double divergenceFactor) {
    this(optimizer, lr, batchSize, loss, maxSteps, target, divergenceFactor, null);
  }

  public static TrainSpec gd(double lr, Loss loss, int maxSteps, TargetLoss target) {
    return new TrainSpec(Optimizer.GD, lr, 0, loss, maxSteps, target, DEFAULT_DIVERGENCE_FACTOR);
  }

  public static TrainSpec sgd(double lr, int batchSize, Loss loss, int maxSteps, TargetLoss target) {
    return new TrainSpec(Optimizer.SGD, lr, batchSize, loss, maxSteps, target, DEFAULT_DIVERGENCE_FACTOR);
  }

  public TrainSpec withLr(double newLr) {
    return new TrainSpec(optimizer, newLr, batchSize, loss, maxSteps, target, divergenceFactor, null, null,
        precision);
  }

  public TrainSpec withMaxSteps(int steps) {
    return new TrainSpec(optimizer, lr, batchSize, loss, steps, target, divergenceFactor, lrRule, maxStepsRule,
        precision);
  }

  public TrainSpec withTarget(TargetLoss newTarget) {
    return new TrainSpec(optimizer, lr, batchSize, loss, maxSteps, newTarget, divergenceFactor, lrRule, maxStepsRule,
        precision);
  }

  public TrainSpec withPrecision(Precision p) {
    return new TrainSpec(optimizer, lr, batchSize, loss, maxSteps, target, divergenceFactor, lrRule, maxStepsRule, p);
  }

  /**
   * A stable text form: part of run ids and seeds, so never change the spelling of a field. The
   * precision is written only when it is f32, so float64 specs keep the ids they had before it existed.
   */
  public String canonical() {
    return "optimizer=" + Names.of(optimizer) + ";lr=" + lr + ";batch_size=" + batchSize + ";loss="
        + Names.of(loss) + ";max_steps=" + maxSteps + ";target_loss=" + target.canonical()
        + ";divergence_factor=" + divergenceFactor + (lrRule == null ? "" : ";lr_rule=" + lrRule)
        + (maxStepsRule == null ? "" : ";max_steps_rule=" + maxStepsRule)
        + (precision == Precision.F64 ? "" : ";precision=" + Names.of(precision));
  }
}
