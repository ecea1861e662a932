package io.github.overparam.spark.table;
import java.util.Locale;

/** What a column holds: the analysis and the data dictionary read columns by role. */
public enum Role {
  /** Identifies the row (a run, a data set, a group, a claim). */
  ID,
  /** Part of what defines the run: a value of the config or derived from it before training. */
  SPEC,
  /** Measured by training or by the analysis. */
  METRIC,
  /** Where, when and by what the row was produced; differs between identical runs or runs nothing. */
  PROVENANCE;

  /** The lower-case name used in the data dictionary. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
