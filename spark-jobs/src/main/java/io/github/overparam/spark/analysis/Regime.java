package io.github.overparam.spark.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The over-parameterized regime in which the lazy-training theorems (Du et al.'s rate, distance and
 * flips; Allen-Zhu et al.'s and Zou et al.'s movement) speak: the group's widths at least
 * {@link #FACTOR} times its critical width (a 'below_grid' critical width is an upper bound, so its
 * widths qualify too), spanning at least a decade ({@link #DECADE}) with at least {@link Sample#MIN_X}
 * widths and {@link Sample#MIN_SEEDS} seeds. A group without one gets an inconclusive verdict with
 * the reason, never a fit on near-critical widths.
 *
 * @param widths the regime's widths, ascending (empty when there is none)
 * @param critical the group's critical width (null when not reached)
 * @param reason why the group has no regime to decide on ("" when it has one)
 */
record Regime(int[] widths, Double critical, String reason) {
  static final double FACTOR = 8.0;
  static final double DECADE = 10.0;

  boolean ok() {
    return reason.isEmpty();
  }

  /** Whether {@code width} lies in the regime. */
  boolean contains(int width) {
    for (int w : widths) {
      if (w == width) {
        return true;
      }
    }
    return false;
  }

  static Regime of(Group g, CriticalTable critical) {
    CriticalWidth.Result c = critical.critical(g);
    if (c.status() == CriticalStatus.NOT_REACHED || c.width() == null) {
      return new Regime(new int[0], null, "no width of the grid reaches the success threshold, so no width is"
          + " known to be over-parameterized");
    }
    List<Integer> in = new ArrayList<>();
    for (int w : g.widths()) {
      if (w >= FACTOR * c.width() * (1 - 1e-9)) { // interpolated widths carry rounding
        in.add(w);
      }
    }
    int[] widths = in.stream().mapToInt(Integer::intValue).toArray();
    String where = String.format(Locale.ROOT, "widths >= %sx the critical width %.3g", Rule.number(FACTOR),
        c.width());
    List<String> failed = new ArrayList<>();
    if (widths.length < Sample.MIN_X) {
      failed.add(widths.length + " " + where + " (need >= " + Sample.MIN_X + ")");
    } else if (widths[widths.length - 1] < DECADE * widths[0]) {
      failed.add(String.format(Locale.ROOT, "the %s span a factor %.3g (need a decade)", where,
          widths[widths.length - 1] / (double) widths[0]));
    }
    int seeds = g.seeds().size();
    if (seeds < Sample.MIN_SEEDS) {
      failed.add(seeds + " seeds (need >= " + Sample.MIN_SEEDS + ")");
    }
    return new Regime(widths, c.width(), String.join("; ", failed));
  }
}
