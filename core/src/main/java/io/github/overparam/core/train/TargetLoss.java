package io.github.overparam.core.train;

import io.github.overparam.core.Checks;
import java.io.Serializable;

/**
 * When a run counts as converged: the training loss at or below a value, absolute or relative to
 * the initial loss.
 *
 * @param relative whether {@code value} multiplies the initial loss
 * @param value the threshold (absolute) or the factor (relative), finite and > 0
 */
public record TargetLoss(boolean relative, double value) implements Serializable {
  public TargetLoss {
    Checks.positiveFinite(relative ? "train.target_loss.relative" : "train.target_loss.absolute", value);
  }

  public static TargetLoss relative(double factor) {
    return new TargetLoss(true, factor);
  }

  public static TargetLoss absolute(double value) {
    return new TargetLoss(false, value);
  }

  /** The threshold for a run whose initial loss is {@code initialLoss}. */
  public double threshold(double initialLoss) {
    return relative ? value * initialLoss : value;
  }

  public String canonical() {
    return (relative ? "relative=" : "absolute=") + value;
  }
}
