package io.github.overparam.spark.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The interval rules of the claims ({@link Rule}) and how slices combine ({@link Verdict#combine}). */
class VerdictsTest {
  private static String atMost(Double low, Double high, double bound) {
    return new Rule.AtMost(bound).decide(low, high).text();
  }

  private static String within(Double low, Double high, double lo, double hi) {
    return new Rule.Within(lo, hi).decide(low, high).text();
  }

  private static String negative(Double low, Double high) {
    return new Rule.Negative().decide(low, high).text();
  }

  private static String atLeast(Double low, Double high, double bound) {
    return new Rule.AtLeast(bound, "").decide(low, high).text();
  }

  @Test
  void growthBoundUsesTheWholeInterval() {
    assertEquals("true", atMost(1.2, 1.9, 2.0));
    assertEquals("true", atMost(1.2, 2.0, 2.0));
    assertEquals("false", atMost(2.1, 2.8, 2.0));
    // Straddles the threshold: no guess.
    assertEquals("inconclusive", atMost(1.5, 2.5, 2.0));
    // Too few points: no interval.
    assertEquals("inconclusive", atMost(null, null, 2.0));
    assertEquals("inconclusive", atMost(Double.NaN, 1.0, 2.0));
  }

  @Test
  void aboutAValueAndSigns() {
    assertEquals("true", within(-0.6, -0.52, -0.75, -0.25));
    assertEquals("false", within(-1.2, -0.9, -0.75, -0.25));
    assertEquals("inconclusive", within(-0.9, -0.6, -0.75, -0.25));
    assertEquals("true", negative(-0.5, -0.1));
    assertEquals("false", negative(0.0, 0.3));
    assertEquals("inconclusive", negative(-0.2, 0.1));
    assertEquals("true", atLeast(0.96, 1.0, 0.95));
    assertEquals("false", atLeast(0.5, 0.9, 0.95));
    assertEquals("inconclusive", atLeast(0.926, 0.956, 0.95));
  }

  @Test
  void combiningSlices() {
    assertEquals(Verdict.TRUE, Verdict.combine(List.of(Verdict.TRUE, Verdict.TRUE)));
    assertEquals(Verdict.FALSE, Verdict.combine(List.of(Verdict.TRUE, Verdict.FALSE, Verdict.INCONCLUSIVE)));
    assertEquals(Verdict.INCONCLUSIVE, Verdict.combine(List.of(Verdict.TRUE, Verdict.INCONCLUSIVE)));
    assertEquals(Verdict.INCONCLUSIVE, Verdict.combine(List.of()));
  }

  /** Each rule writes its threshold in its text as the decision uses it. */
  @Test
  void rulesWriteTheirOwnText() {
    assertEquals("holds if ci_high <= 2, false if ci_low > 2", new Rule.AtMost(2.0).text());
    assertEquals("holds if ci_high <= 0.5, false if ci_low > 0.5", new Rule.AtMost(0.5).text());
    assertEquals("holds if the interval lies within [-0.75, -0.25], false if it lies outside it",
        new Rule.Within(-0.75, -0.25).text());
    assertEquals("holds if ci_high < 0, false if ci_low >= 0", new Rule.Negative().text());
    assertEquals("holds if the fraction's ci_low >= 0.95, false if ci_high < 0.95",
        new Rule.AtLeast(0.95, "the fraction's ").text());
    assertEquals(Verdict.TRUE, new Rule.AllConverge().decide(4, 4));
    assertEquals(Verdict.FALSE, new Rule.AllConverge().decide(3, 4));
    assertEquals(Verdict.INCONCLUSIVE, new Rule.AllConverge().decide(0, 0));
    assertEquals(Verdict.TRUE, new Rule.SgdWhereGd().decide(true, true));
    assertEquals(Verdict.FALSE, new Rule.SgdWhereGd().decide(true, false));
    assertEquals(Verdict.INCONCLUSIVE, new Rule.SgdWhereGd().decide(false, true));
    assertEquals(Verdict.FALSE, Verdict.fromText(" False"));
    assertEquals(Verdict.INCONCLUSIVE, Verdict.fromText(null));
  }
}
