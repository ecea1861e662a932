package io.github.overparam.core.data;

/** How a user table's label column is learned. */
public enum TableTask {
  /** The label is a number, fitted as it is (one output). */
  REGRESSION,
  /**
   * The label has exactly two distinct values; in their sorted order (numeric order for a numeric
   * column, text order otherwise) they become -1 and +1 (one output, so logistic loss and accuracy
   * apply, as for the +-1 labels of Zou et al.).
   */
  BINARY,
  /** The label has k >= 2 distinct values, one class each in sorted order (k outputs, one-hot). */
  CLASSES
}
