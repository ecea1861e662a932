package io.github.overparam.spark.analysis;

import io.github.overparam.core.Names;

/** How a group's critical width was found: the values of critical.critical_width_status. */
public enum CriticalStatus {
  /** Two grid widths bracket the threshold; the width is interpolated between them. */
  BRACKETED,
  /** The first width already reaches the threshold: the width is that one, an upper bound. */
  BELOW_GRID,
  /** No width of the grid reaches the threshold: no width. */
  NOT_REACHED;

  /** The value in critical.critical_width_status. */
  public String text() {
    return Names.of(this);
  }
}
