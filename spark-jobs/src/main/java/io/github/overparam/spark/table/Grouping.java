package io.github.overparam.spark.table;

/**
 * How a spec column takes part in the analysis' groups (runs that share every group column differ
 * only in width and seed, and form one critical-width curve).
 */
public enum Grouping {
  /** Defines the group: runs that differ in it are never pooled. */
  GROUP,
  /**
   * Defines the group, and a config may give it relative to n, depth or width (or it follows from
   * another column): a fit's series need not be named by it when the other columns determine it.
   */
  GROUP_DERIVABLE,
  /** Varies within a group: the width (the curve's x) and the seed (its repetitions). */
  WITHIN_GROUP,
  /** Not a grouping column: an identifier, a value resolved from others, or what is recorded. */
  NONE
}
