package io.github.overparam.spark.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CriticalWidthTest {
  private static final int[] WIDTHS = {8, 16, 32, 64};

  @Test
  void interpolatesOnALogScaleBetweenTheBracketingWidths() {
    CriticalWidth.Result r = CriticalWidth.of(WIDTHS, new double[] {0, 0.25, 0.75, 1},
        new Double[] {80.0, 160.0, 320.0, 640.0}, 0.5);
    assertEquals(CriticalStatus.BRACKETED, r.status());
    assertEquals(16 * Math.pow(2, 0.25 / 0.5), r.width(), 1e-12);
    assertEquals(22.627416997969522, r.width(), 1e-12);
    assertEquals(226.27416997969522, r.params(), 1e-9);
    // A threshold met exactly at a grid width gives that width.
    assertEquals(32.0, CriticalWidth.of(WIDTHS, new double[] {0, 0.25, 0.75, 1}, null, 0.75).width(), 1e-12);
    assertNull(CriticalWidth.of(WIDTHS, new double[] {0, 0.25, 0.75, 1}, null, 0.75).params());
  }

  @Test
  void belowGridAndNotReached() {
    CriticalWidth.Result below = CriticalWidth.of(WIDTHS, new double[] {0.5, 1, 1, 1},
        new Double[] {80.0, 160.0, 320.0, 640.0}, 0.5);
    assertEquals(CriticalStatus.BELOW_GRID, below.status());
    assertEquals(8.0, below.width());
    assertEquals(80.0, below.params());
    CriticalWidth.Result none = CriticalWidth.of(WIDTHS, new double[] {0, 0.125, 0.25, 0.375}, null, 0.5);
    assertEquals(CriticalStatus.NOT_REACHED, none.status());
    assertNull(none.width());
    assertNull(none.params());
  }

  @Test
  void seedCriticalWidthNeedsEveryWiderWidthConverged() {
    assertEquals(Math.sqrt(16 * 32), CriticalWidth.seedCritical(WIDTHS, new boolean[] {false, false, true, true}),
        1e-12);
    // A lucky narrow success followed by a failure does not count.
    assertEquals(Math.sqrt(32 * 64), CriticalWidth.seedCritical(WIDTHS, new boolean[] {true, false, false, true}),
        1e-12);
    assertEquals(8.0, CriticalWidth.seedCritical(WIDTHS, new boolean[] {true, true, true, true}));
    assertNull(CriticalWidth.seedCritical(WIDTHS, new boolean[] {true, true, true, false}));
  }
}
