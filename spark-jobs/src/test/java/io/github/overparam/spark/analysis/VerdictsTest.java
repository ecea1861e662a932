package io.github.overparam.spark.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictsTest {
  @Test
  void growthBoundUsesTheWholeInterval() {
    assertEquals("true", Verdicts.atMost(1.2, 1.9, 2.0));
    assertEquals("true", Verdicts.atMost(1.2, 2.0, 2.0));
    assertEquals("false", Verdicts.atMost(2.1, 2.8, 2.0));
    // Straddles the threshold: no guess.
    assertEquals("inconclusive", Verdicts.atMost(1.5, 2.5, 2.0));
    // Too few points: no interval.
    assertEquals("inconclusive", Verdicts.atMost(null, null, 2.0));
    assertEquals("inconclusive", Verdicts.atMost(Double.NaN, 1.0, 2.0));
  }

  @Test
  void aboutAValueAndSigns() {
    assertEquals("true", Verdicts.within(-0.6, -0.52, -0.75, -0.25));
    assertEquals("false", Verdicts.within(-1.2, -0.9, -0.75, -0.25));
    assertEquals("inconclusive", Verdicts.within(-0.9, -0.6, -0.75, -0.25));
    assertEquals("true", Verdicts.below(-0.5, -0.1, 0.0));
    assertEquals("false", Verdicts.below(0.0, 0.3, 0.0));
    assertEquals("inconclusive", Verdicts.below(-0.2, 0.1, 0.0));
    assertEquals("true", Verdicts.atLeast(0.96, 1.0, 0.95));
    assertEquals("false", Verdicts.atLeast(0.5, 0.9, 0.95));
    assertEquals("inconclusive", Verdicts.atLeast(0.926, 0.956, 0.95));
  }

  @Test
  void combiningSlices() {
    assertEquals("true", Verdicts.combine(List.of("true", "true")));
    assertEquals("false", Verdicts.combine(List.of("true", "false", "inconclusive")));
    assertEquals("inconclusive", Verdicts.combine(List.of("true", "inconclusive")));
    assertEquals("inconclusive", Verdicts.combine(List.of()));
  }
}
