package io.github.overparam.spark.analysis;

import java.util.List;

/**
 * The decision rules of the verdicts: each compares a bootstrap confidence interval with the
 * claim's threshold. A missing interval (too few points, too few valid resamples) or one that
 * straddles the threshold is 'inconclusive', never a guess.
 */
public final class Verdicts {
  private Verdicts() {}

  public static final String TRUE = "true";
  public static final String FALSE = "false";
  public static final String INCONCLUSIVE = "inconclusive";

  /** "Grows no faster than x^bound": holds if ci_high <= bound, fails if ci_low > bound. */
  public static String atMost(Double ciLow, Double ciHigh, double bound) {
    if (ciLow == null || ciHigh == null || ciLow.isNaN() || ciHigh.isNaN()) {
      return INCONCLUSIVE;
    }
    if (ciHigh <= bound) {
      return TRUE;
    }
    return ciLow > bound ? FALSE : INCONCLUSIVE;
  }

  /** "Strictly below the bound" (e.g. a negative exponent): holds if ci_high < bound, fails if ci_low >= bound. */
  public static String below(Double ciLow, Double ciHigh, double bound) {
    if (ciLow == null || ciHigh == null || ciLow.isNaN() || ciHigh.isNaN()) {
      return INCONCLUSIVE;
    }
    if (ciHigh < bound) {
      return TRUE;
    }
    return ciLow >= bound ? FALSE : INCONCLUSIVE;
  }

  /** "At least the bound": holds if ci_low >= bound, fails if ci_high < bound. */
  public static String atLeast(Double ciLow, Double ciHigh, double bound) {
    if (ciLow == null || ciHigh == null || ciLow.isNaN() || ciHigh.isNaN()) {
      return INCONCLUSIVE;
    }
    if (ciLow >= bound) {
      return TRUE;
    }
    return ciHigh < bound ? FALSE : INCONCLUSIVE;
  }

  /**
   * "About x": holds if the interval lies inside [lo, hi], fails if it lies entirely outside it,
   * otherwise inconclusive.
   */
  public static String within(Double ciLow, Double ciHigh, double lo, double hi) {
    if (ciLow == null || ciHigh == null || ciLow.isNaN() || ciHigh.isNaN()) {
      return INCONCLUSIVE;
    }
    if (ciLow >= lo && ciHigh <= hi) {
      return TRUE;
    }
    return ciHigh < lo || ciLow > hi ? FALSE : INCONCLUSIVE;
  }

  /**
   * Several slices of one claim: any slice that fails makes it fail; it holds when every slice
   * holds; otherwise (or with no slice) inconclusive.
   */
  public static String combine(List<String> outcomes) {
    if (outcomes.isEmpty()) {
      return INCONCLUSIVE;
    }
    if (outcomes.contains(FALSE)) {
      return FALSE;
    }
    return outcomes.stream().allMatch(TRUE::equals) ? TRUE : INCONCLUSIVE;
  }
}
