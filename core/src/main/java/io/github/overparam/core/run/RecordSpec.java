package io.github.overparam.core.run;

import static io.github.overparam.core.Checks.atLeast;

import java.io.Serializable;

/**
 * What a run records beyond its outcome.
 *
 * @param curvePoints about how many log-spaced steps of the loss curve to keep (at least 2)
 * @param ntk whether to compute lambda_min of the empirical NTK Gram at start and end
 * @param ntkMaxN the largest n for which n x n kernels (empirical NTK, H^inf, the NTK limit) are
 *     computed; above it they are skipped with a recorded reason (their cost is O(n^3))
 * @param surrogate whether to also train Noy et al.'s frozen-pattern surrogate from the same initial
 *     weights for the same steps and record its loss curve and its gap to the real net
 */
public record RecordSpec(int curvePoints, boolean ntk, int ntkMaxN, boolean surrogate)
    implements Serializable {
  public static final int DEFAULT_CURVE_POINTS = 100;
  public static final int DEFAULT_NTK_MAX_N = 1000;

  public RecordSpec {
    atLeast("record.curve_points", curvePoints, 2);
    atLeast("record.ntk_max_n", ntkMaxN, 0);
  }

  public RecordSpec(int curvePoints, boolean ntk, int ntkMaxN) {
    this(curvePoints, ntk, ntkMaxN, false);
  }

  public static RecordSpec defaults() {
    return new RecordSpec(DEFAULT_CURVE_POINTS, true, DEFAULT_NTK_MAX_N);
  }

  public RecordSpec withSurrogate(boolean on) {
    return new RecordSpec(curvePoints, ntk, ntkMaxN, on);
  }

  /** Stable text form; surrogate appears only when on, so older run ids stay valid. */
  public String canonical() {
    return "curve_points=" + curvePoints + ";ntk=" + ntk + ";ntk_max_n=" + ntkMaxN + (surrogate ? ";surrogate=true"
        : "");
  }
}
