package io.github.overparam.spark.analysis;

import java.math.BigDecimal;

/**
 * The decision rule of a claim. Each rule decides and writes its own text, so a threshold is
 * written once. Interval rules compare a 95% bootstrap interval with a bound: a missing interval
 * (too few points, too few resamples with an estimate) or one that straddles the bound is
 * inconclusive, never a guess.
 */
public sealed interface Rule {
  /** The rule in words, as the verdict's evidence states it ("holds if ci_high <= 2, false if ci_low > 2"). */
  String text();

  /** A rule on a confidence interval [ci_low, ci_high] of one fits row. */
  sealed interface OnInterval extends Rule {
    /** The outcome for the interval; null or NaN bounds give inconclusive. */
    default Verdict decide(Double ciLow, Double ciHigh) {
      if (ciLow == null || ciHigh == null || ciLow.isNaN() || ciHigh.isNaN()) {
        return Verdict.INCONCLUSIVE;
      }
      return decideBounds(ciLow, ciHigh);
    }

    Verdict decideBounds(double ciLow, double ciHigh);

    /** Whether an estimate {@code v} lies where the claim holds (the region a p-value is taken against). */
    boolean holdsAt(double v);
  }

  /** "Grows no faster than x^bound" (an exponent bound): holds if ci_high <= bound, fails if ci_low > bound. */
  record AtMost(double bound) implements OnInterval {
    @Override
    public Verdict decideBounds(double ciLow, double ciHigh) {
      if (ciHigh <= bound) {
        return Verdict.TRUE;
      }
      return ciLow > bound ? Verdict.FALSE : Verdict.INCONCLUSIVE;
    }

    @Override
    public boolean holdsAt(double v) {
      return v <= bound;
    }

    @Override
    public String text() {
      return "holds if ci_high <= " + number(bound) + ", false if ci_low > " + number(bound);
    }
  }

  /** "Falls as x grows" (a negative slope): holds if ci_high < 0, fails if ci_low >= 0. */
  record Negative() implements OnInterval {
    @Override
    public Verdict decideBounds(double ciLow, double ciHigh) {
      if (ciHigh < 0) {
        return Verdict.TRUE;
      }
      return ciLow >= 0 ? Verdict.FALSE : Verdict.INCONCLUSIVE;
    }

    @Override
    public boolean holdsAt(double v) {
      return v < 0;
    }

    @Override
    public String text() {
      return "holds if ci_high < 0, false if ci_low >= 0";
    }
  }

  /**
   * "At least the bound" (a share of runs, a ratio): holds if ci_low >= bound, fails if
   * ci_high < bound. {@code subject} names the interval in the text ("the fraction's "; "" for none).
   */
  record AtLeast(double bound, String subject) implements OnInterval {
    @Override
    public Verdict decideBounds(double ciLow, double ciHigh) {
      if (ciLow >= bound) {
        return Verdict.TRUE;
      }
      return ciHigh < bound ? Verdict.FALSE : Verdict.INCONCLUSIVE;
    }

    @Override
    public boolean holdsAt(double v) {
      return v >= bound;
    }

    @Override
    public String text() {
      return "holds if " + subject + "ci_low >= " + number(bound) + ", false if ci_high < " + number(bound);
    }
  }

  /** "About x" (an exponent range): holds if the interval lies inside [low, high], fails if entirely outside. */
  record Within(double low, double high) implements OnInterval {
    @Override
    public Verdict decideBounds(double ciLow, double ciHigh) {
      if (ciLow >= low && ciHigh <= high) {
        return Verdict.TRUE;
      }
      return ciHigh < low || ciLow > high ? Verdict.FALSE : Verdict.INCONCLUSIVE;
    }

    @Override
    public boolean holdsAt(double v) {
      return v >= low && v <= high;
    }

    @Override
    public String text() {
      return "holds if the interval lies within [" + number(low) + ", " + number(high)
          + "], false if it lies outside it";
    }
  }

  /** A share of runs: every run of the selection converged. None selected: inconclusive. */
  record AllConverge() implements Rule {
    public Verdict decide(long converged, long runs) {
      return runs == 0 ? Verdict.INCONCLUSIVE : converged == runs ? Verdict.TRUE : Verdict.FALSE;
    }

    @Override
    public String text() {
      return "holds if all of them converged, false if any did not, inconclusive if the grid has no such width";
    }
  }

  /**
   * SGD converges where GD does: at the widest width where the GD group's success rate reaches the
   * threshold, the SGD group's rate must reach it too (holds), else it is false; no such width:
   * inconclusive.
   */
  record SgdWhereGd() implements Rule {
    public Verdict decide(boolean gdReaches, boolean sgdReaches) {
      return !gdReaches ? Verdict.INCONCLUSIVE : sgdReaches ? Verdict.TRUE : Verdict.FALSE;
    }

    @Override
    public String text() {
      return "at the widest width where GD's success rate reaches the threshold, holds if SGD's does too, false if"
          + " it does not, inconclusive if GD reaches it at no width";
    }
  }

  /**
   * Test accuracy against chance 1/k for both arms: holds if the true-label arm's ci_low is above
   * chance and the random-label arm's interval reaches down to chance; false if the true-label arm's
   * ci_high is at or under chance, or the random-label arm's ci_low is above it.
   */
  record AboveChance() implements Rule {
    public Verdict decide(Double trueLow, Double trueHigh, Double randomLow, Double randomHigh, double chance) {
      if (trueLow == null || trueHigh == null || randomLow == null || randomHigh == null) {
        return Verdict.INCONCLUSIVE;
      }
      if (trueHigh <= chance || randomLow > chance) {
        return Verdict.FALSE;
      }
      return trueLow > chance && randomLow <= chance ? Verdict.TRUE : Verdict.INCONCLUSIVE;
    }

    @Override
    public String text() {
      return "holds if the true-label arm's ci_low > 1/k and the random-label arm's ci_low <= 1/k, false if the"
          + " true-label arm's ci_high <= 1/k or the random-label arm's ci_low > 1/k";
    }
  }

  /** A bound as written in a rule: 2.0 as "2", -0.75 as "-0.75". */
  static String number(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
