package io.github.overparam.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.data.UserTables;
import org.junit.jupiter.api.Test;

/** The memo of prepared data sets: bounded by bytes, least recently used out, same results hit or miss. */
class RunContextTest {
  private static final DataSpec DATA = DataSpec.sphere(10, 4, LabelKind.GAUSSIAN);
  /** Matrices of one data set above: 10 x 4 inputs and 10 labels, 8 bytes each, plus the entry's 1,000. */
  private static final long ENTRY = 1_000 + 8 * (10 * 4 + 10);

  @Test
  void holdsManySmallDataSetsUpToItsBytesAndDropsTheLeastRecentlyUsed() {
    RunContext context = new RunContext(new UserTables(), 100 * ENTRY);
    RunContext.Prepared first = context.prepare(DATA, 0, 16);
    for (long seed = 1; seed < 100; seed++) {
      context.prepare(DATA, seed, 16);
    }
    assertEquals(100, context.cached(), "100 small data sets fit (16 entries was the old fixed bound)");
    assertSame(first, context.prepare(DATA, 0, 16), "a hit returns the memoized data set");
    context.prepare(DATA, 100, 16); // one more: the least recently used (seed 1, not seed 0) goes
    assertEquals(100, context.cached());
    assertSame(first, context.prepare(DATA, 0, 16));
    RunContext.Prepared again = context.prepare(DATA, 1, 16);
    assertEquals(100, context.cached());
    RunContext.Prepared fresh = new RunContext().prepare(DATA, 1, 16);
    assertNotSame(fresh, again);
    assertEquals(fresh.summary(), again.summary(), "recomputed after eviction: the same data set");
    assertEquals(fresh.dataset().id(), again.dataset().id());
  }

  @Test
  void keepsAtLeastTheNewestDataSet() {
    RunContext context = new RunContext(new UserTables(), 1);
    RunContext.Prepared a = context.prepare(DATA, 7, 16);
    assertEquals(1, context.cached());
    assertSame(a, context.prepare(DATA, 7, 16));
    context.prepare(DATA, 8, 16);
    assertEquals(1, context.cached());
  }
}
