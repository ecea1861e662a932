package io.github.overparam.core.run;

import static io.github.overparam.core.Checks.atLeast;

/**
 * What a run records beyond its outcome.
 *
 * @param curvePoints about how many log-spaced steps of the loss curve to keep (at least 2)
 * @param ntk whether to compute lambda_min of the empirical NTK Gram at start and end
 * @param ntkMaxN the largest n for which n x n kernels (empirical NTK, H^inf, the NTK limit) are
 *     computed; above it they are skipped with a recorded reason (their cost is O(n^3))
 */
public record RecordSpec(int curvePoints, boolean ntk, int ntkMaxN) implements java.io.Serializable {
  public static final int DEFAULT_CURVE_POINTS = 100;
  public static final int DEFAULT_NTK_MAX_N = 1000;

  public RecordSpec {
    atLeast("record.curve_points", curvePoints, 2);
    atLeast("record.ntk_max_n", ntkMaxN, 0);
  }

  public static RecordSpec defaults() {
    return new RecordSpec(DEFAULT_CURVE_POINTS, true, DEFAULT_NTK_MAX_N);
  }

  public String canonical() {
    return "curve_points=" + curvePoints + ";ntk=" + ntk + ";ntk_max_n=" + ntkMaxN;
  }
}
