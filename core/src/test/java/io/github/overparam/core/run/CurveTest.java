package io.github.overparam.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CurveTest {
  private static Curve losses(double... loss) {
    int[] steps = new int[loss.length];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i;
    }
    return new Curve(steps, loss, new double[loss.length], new double[loss.length]);
  }

  @Test
  void minLossIsTheLowestFiniteRecordedLoss() {
    // A run that came down to 0.25, then diverged: the minimum ignores the infinite and NaN tail.
    assertEquals(0.25, losses(4.0, 1.0, 0.25, 9.0, Double.POSITIVE_INFINITY, Double.NaN).minLoss());
    assertEquals(0.5, losses(Double.NaN, 0.5).minLoss());
    assertTrue(Double.isNaN(losses(Double.NaN, Double.POSITIVE_INFINITY).minLoss()));
    assertTrue(Double.isNaN(losses().minLoss()));
  }

  @Test
  void scheduleStartsAtZeroEndsAtTheBudgetAndAscends() {
    assertArrayEquals(new int[] {0, 1, 3, 10}, Curve.schedule(10, 4));
  }
}
