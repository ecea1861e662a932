package io.github.overparam.core.model;

import org.ejml.data.DMatrixRMaj;

/**
 * The frozen ReLU gates of Noy et al.'s surrogate: a copy of the net at the moment the surrogate was
 * made, whose pre-activations on an input decide which units of the surrogate pass (hidden layer l
 * of the surrogate is z_l(x) times 1{z_l^0(x) > 0}). The gates of the training inputs are computed
 * once ({@link #pin}); those of any other input (a test set, an SGD batch) on each call into a
 * scratch workspace sized once per row count.
 *
 * <p>Not thread-safe: it belongs to one surrogate network.
 */
final class FrozenGates {
  private final Network frozen;
  private DMatrixRMaj pinnedInput;
  private Workspace pinned;
  private Workspace scratch;

  FrozenGates(Network frozen) {
    this.frozen = frozen;
  }

  /** Computes the gates of {@code x} now and reuses them whenever asked for this very matrix. */
  void pin(DMatrixRMaj x) {
    pinned = frozen.workspace(x.numRows);
    frozen.forward(x, pinned);
    pinnedInput = x;
  }

  /** A workspace whose pre-activations are the frozen net's on {@code x}: the gates' sign source. */
  Workspace of(DMatrixRMaj x) {
    if (x == pinnedInput) {
      return pinned;
    }
    if (scratch == null || scratch.rows != x.numRows) {
      scratch = frozen.workspace(x.numRows);
    }
    frozen.forward(x, scratch);
    return scratch;
  }
}
