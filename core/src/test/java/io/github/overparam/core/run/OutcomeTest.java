package io.github.overparam.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.Trajectory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A budget-stopped run's end: still descending geometrically, or stalled, on constructed curves. */
class OutcomeTest {
  /** Log-spaced recorded steps 0, 1, 2, 4, ..., and the last step, as the trainer records them. */
  private static int[] steps(int last) {
    List<Integer> k = new ArrayList<>(List.of(0));
    for (int s = 1; s < last; s *= 2) {
      k.add(s);
    }
    k.add(last);
    return k.stream().mapToInt(Integer::intValue).toArray();
  }

  private static Trajectory trajectory(Status status, int[] k, double[] loss, double target) {
    double[] none = new double[k.length];
    Curve c = new Curve(k, loss, none, none.clone());
    return new Trajectory(status, k[k.length - 1], -1, loss[0], loss[loss.length - 1], target, c, 0, null);
  }

  @Test
  void geometricDecayIsDescendingWithTheRightProjection() {
    int[] k = steps(1000);
    double r = 0.002;
    double[] loss = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      loss[i] = Math.pow(1 - r, k[i]);
    }
    // loss(1000) = 0.135; the target 0.01 is reached at k = ln(0.01) / ln(0.998) = 2300.5.
    Outcome o = Outcome.of(trajectory(Status.MAX_STEPS, k, loss, 0.01));
    assertEquals(r, o.endRate(), 1e-12, "exact on an exact geometric curve");
    assertEquals(Outcome.EndTrend.DESCENDING, o.endTrend());
    assertEquals(2301, o.projectedStepsToTarget());
  }

  @Test
  void aPlateauIsStalled() {
    int[] k = steps(1000);
    double[] loss = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      loss[i] = 0.5 + 0.5 * Math.exp(-k[i] / 20.0); // falls fast, then sits at 0.5
    }
    Outcome o = Outcome.of(trajectory(Status.MAX_STEPS, k, loss, 1e-3));
    // The fit spans the last three recorded steps (256, 512, 1000), where what is left of the
    // transient, 0.5 exp(-256 / 20) ~ 1.4e-6, gives a rate of a few 1e-9: far below any descent.
    assertTrue(o.endRate() < 1e-6, "no decay left: " + o.endRate());
    assertEquals(Outcome.EndTrend.STALLED, o.endTrend());
    assertEquals(-1, o.projectedStepsToTarget());
  }

  @Test
  void slowDecayBeyondTenBudgetsIsStalled() {
    int[] k = steps(1000);
    double[] loss = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      loss[i] = Math.pow(1 - 1e-5, k[i]); // the target 1e-3 needs about 690,000 steps
    }
    Outcome o = Outcome.of(trajectory(Status.MAX_STEPS, k, loss, 1e-3));
    assertEquals(Outcome.EndTrend.STALLED, o.endTrend());
    assertEquals(-1, o.projectedStepsToTarget());
  }

  @Test
  void onlyBudgetStoppedRunsGetATrend() {
    int[] k = steps(100);
    double[] loss = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      loss[i] = Math.pow(0.9, k[i]);
    }
    Outcome o = Outcome.of(trajectory(Status.CONVERGED, k, loss, 1e-3));
    assertNull(o.endTrend());
    assertEquals(-1, o.projectedStepsToTarget());
    assertEquals(0.1, o.endRate(), 1e-12);
    assertTrue(Double.isNaN(Outcome.failed("x").endRate()));
  }
}
