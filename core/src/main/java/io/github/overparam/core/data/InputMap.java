package io.github.overparam.core.data;

/** A map applied to raw inputs before training. */
public enum InputMap {
  /** Inputs as drawn: unit norm. */
  NONE,
  /**
   * Allen-Zhu, Li and Song (2019), Section 2: x = (u / sqrt 2, 1 / sqrt 2) with u on S^{d-2}, so that
   * ||x|| = 1 and the last coordinate is 1/sqrt(2) (it plays the role of a bias).
   */
  ALLEN_ZHU
}
