package io.github.overparam.core.train;

/** How a training run ended. */
public enum Status {
  /** The training loss reached the target. */
  CONVERGED,
  /** max_steps updates were made without reaching the target. */
  MAX_STEPS,
  /** The loss became NaN or infinite, or grew past the divergence factor times its initial value. */
  DIVERGED,
  /** The run threw; the result carries the error message. */
  FAILED
}
