package io.github.overparam.core.data;

/** What is done to a user table's feature rows before training. */
public enum Normalization {
  /**
   * Each feature is centered by its mean over the whole table, then each row is scaled to unit
   * Euclidean norm: the inputs lie on S^{d-1}, as Du et al. and Allen-Zhu et al. assume. Centering
   * first (as for the digits) keeps a shared offset from making every pair of inputs nearly
   * parallel. The statistics are those of the whole table, not of a training subset, so the inputs
   * of a point do not depend on n, n_test or the seed.
   */
  SPHERE,
  /** The features as they are in the file. */
  NONE
}
