package io.github.overparam.core.data;

/** How labels are assigned to synthetic inputs. */
public enum LabelKind {
  /** y ~ N(0, 1), independent of x. */
  GAUSSIAN(false),
  /** y uniform on {+1, -1}, independent of x. */
  SIGN(true),
  /** y = t^-1/2 sum_r a_r relu(w_r . x), a random two-layer ReLU teacher of width t, w_r ~ N(0, I), a_r = +-1. */
  TEACHER(false),
  /**
   * y = sign of a teacher's output; this teacher's output weights are half +1 and half -1, so its
   * output is centered and the two classes are of similar size.
   */
  TEACHER_SIGN(true),
  /** Digits only: +1 for an even digit, -1 for an odd one (a balanced binary task on natural data). */
  DIGIT_PARITY(true, 1),
  /** Digits only: the digit 0..9 as a one-hot row of 10 outputs (for cross_entropy). */
  DIGIT(true, 10),
  /**
   * User tables only (source csv or parquet): the labels are the table's label column, read as the
   * data spec's {@link TableSpec#task()} says (a number, +-1 for a binary label, one-hot classes);
   * {@link DataSpec#classes()} and {@link DataSpec#outputs()} tell which.
   */
  COLUMN(false);

  private final boolean classes;
  private final int outputs;

  LabelKind(boolean classes) {
    this(classes, 1);
  }

  LabelKind(boolean classes, int outputs) {
    this.classes = classes;
    this.outputs = outputs;
  }

  /**
   * Whether labels are classes (so accuracy and class separation apply): +1 and -1 with one output,
   * one-hot rows with several.
   */
  public boolean classes() {
    return classes;
  }

  /** Number of label columns k (the network's outputs). */
  public int outputs() {
    return outputs;
  }

  /** Whether the labels exist for digits only. */
  public boolean digitsOnly() {
    return this == DIGIT_PARITY || this == DIGIT;
  }
}
