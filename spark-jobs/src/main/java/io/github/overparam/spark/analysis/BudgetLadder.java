package io.github.overparam.spark.analysis;

import io.github.overparam.spark.analysis.Group.Obs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The budget ladder of a group: its critical width when a run counts as a success only if it
 * reached the target within B/8, B/4, B/2 and B steps (B = the run's max_steps: the group's, or the
 * run's own under a max_steps rule), read from each run's steps_to_target. A critical width that
 * still moves when the budget doubles measures the budget, not the network.
 *
 * <p>A group is budget-limited when its critical width is not reached at B, or not reached at B/2,
 * or moves between B/2 and B by more than one resolution step: the ratio of the two widths that
 * bracket the critical width at B (the first two widths when the first already succeeds; for a
 * critical-width search, a bracket at most its resolution). Scaling fits of critical widths and
 * parameters use budget-stable groups only.
 *
 * @param budgets the budgets, ascending (B/8, B/4, B/2, B; rounded down, at least 1); under a
 *     max_steps rule, those of the median run budget
 * @param widths the critical width at each budget (null: not reached)
 * @param limited whether the group is budget-limited
 * @param why the reason it is limited, or how stable it is, in one line
 */
record BudgetLadder(int[] budgets, Double[] widths, boolean limited, String why) {
  /** The divisors of B, largest first: the ladder's budgets are B / each. */
  static final int[] DIVISORS = {8, 4, 2, 1};

  /** The ladder of all the group's runs at the threshold; null when the group has no max_steps. */
  static BudgetLadder of(Group g, double threshold) {
    Object b = g.value("max_steps");
    List<List<Obs>> sample = g.sample(null);
    Integer budget = b != null ? Integer.valueOf(((Number) b).intValue()) : medianRunBudget(sample);
    if (budget == null) {
      return null;
    }
    return of(g.widths(), sample, budget, threshold);
  }

  /** The median of the runs' own budgets (a max_steps rule), or null when no run has one. */
  static Integer medianRunBudget(List<List<Obs>> sample) {
    int[] all = sample.stream().flatMap(List::stream).map(Obs::budget).filter(x -> x != null).mapToInt(
        Integer::intValue).sorted().toArray();
    return all.length == 0 ? null : all[(all.length - 1) / 2];
  }

  /**
   * The ladder of the observations {@code sample} (per width of {@code widths}, ascending) under
   * budget {@code budget}.
   */
  static BudgetLadder of(int[] widths, List<List<Obs>> sample, int budget, double threshold) {
    int[] budgets = new int[DIVISORS.length];
    Double[] crit = new Double[DIVISORS.length];
    CriticalWidth.Result atB = null;
    int[] usedWidths = null;
    for (int i = 0; i < DIVISORS.length; i++) {
      budgets[i] = Math.max(1, budget / DIVISORS[i]);
      List<Integer> w = new ArrayList<>();
      List<Double> r = new ArrayList<>();
      for (int k = 0; k < widths.length; k++) {
        List<Obs> obs = sample.get(k);
        if (obs.isEmpty()) {
          continue;
        }
        int divisor = DIVISORS[i];
        long ok = obs.stream().filter(o -> o.converged() && o.steps() != null && o.steps() <= Math.max(1,
            (o.budget() != null ? o.budget() : budget) / divisor)).count();
        w.add(widths[k]);
        r.add(ok / (double) obs.size());
      }
      int[] ws = w.stream().mapToInt(Integer::intValue).toArray();
      CriticalWidth.Result c = CriticalWidth.of(ws, r.stream().mapToDouble(Double::doubleValue).toArray(), null,
          threshold);
      crit[i] = c.width();
      if (i == DIVISORS.length - 1) {
        atB = c;
        usedWidths = ws;
      }
    }
    Double half = crit[DIVISORS.length - 2];
    Double full = crit[DIVISORS.length - 1];
    if (full == null) {
      return new BudgetLadder(budgets, crit, true, "no width reaches the threshold within B = " + budget + " steps");
    }
    if (half == null) {
      return new BudgetLadder(budgets, crit, true, String.format(Locale.ROOT, "the critical width %.3g at B = %d is"
          + " not reached at B/2 = %d", full, budget, budgets[DIVISORS.length - 2]));
    }
    double step = resolution(usedWidths, atB);
    double move = half / full;
    boolean limited = move > step * (1 + 1e-9);
    return new BudgetLadder(budgets, crit, limited, String.format(Locale.ROOT, "critical width %.3g at B/2 = %d,"
        + " %.3g at B = %d: a factor %.3g, %s one resolution step (%.3g)", half, budgets[DIVISORS.length - 2], full,
        budget, move, limited ? "more than" : "within", step));
  }

  /** The ratio of the widths bracketing the critical width (the first two when it is below the grid). */
  static double resolution(int[] widths, CriticalWidth.Result c) {
    if (widths.length < 2) {
      return 1.0;
    }
    if (c.status() == CriticalStatus.BELOW_GRID) {
      return widths[1] / (double) widths[0];
    }
    for (int k = 1; k < widths.length; k++) {
      if (widths[k] >= c.width() * (1 - 1e-12)) {
        return widths[k] / (double) widths[k - 1];
      }
    }
    return widths[widths.length - 1] / (double) widths[widths.length - 2];
  }

  /** The ladder's widths as a column value (Java objects: every Spark line takes them). */
  Double[] column() {
    return widths.clone();
  }

  /** The budgets as a column value. */
  Integer[] budgetColumn() {
    Integer[] out = new Integer[budgets.length];
    for (int i = 0; i < budgets.length; i++) {
      out[i] = budgets[i];
    }
    return out;
  }

  /** Whether a group is budget-stable (has a ladder and is not limited). */
  static boolean stable(Group g, double threshold) {
    BudgetLadder l = of(g, threshold);
    return l != null && !l.limited();
  }

  /** "n=64 (why)" for the budget-limited groups among {@code groups}, in order. */
  static List<String> limitedGroups(List<Group> groups, double threshold) {
    List<String> out = new ArrayList<>();
    for (Group g : groups) {
      BudgetLadder l = of(g, threshold);
      if (l == null || l.limited()) {
        out.add(g.key + " (" + (l == null ? "no max_steps" : l.why()) + ")");
      }
    }
    return out;
  }
}
