package io.github.overparam.core.train;

/** The update rule; both use a constant step size. */
public enum Optimizer {
  /** Full-batch gradient descent. */
  GD,
  /** Mini-batch SGD: each epoch a fresh random permutation cut into batches of batch_size. */
  SGD
}
