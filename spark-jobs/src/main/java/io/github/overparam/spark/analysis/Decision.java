package io.github.overparam.spark.analysis;

import io.github.overparam.spark.analysis.FitTable.FitRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How the fits rows of one claim (one per group or slice) decide its verdict, with a Holm
 * correction across them. A row decides only when it meets its sampling conditions (a reason
 * given for it, or {@link Sample}) and has an interval; otherwise it is inconclusive with the
 * reason. The claim is false when Holm's step-down procedure at level {@link #ALPHA} rejects "the
 * claim holds in this row" for at least one deciding row (p-value: {@link Bootstrap#pInside});
 * it holds when every row holds by its 95% interval (an intersection-union test, which needs no
 * correction); otherwise it is inconclusive.
 */
final class Decision {
  private Decision() {}

  static final double ALPHA = 0.05;

  /** How the rows are combined, as the evidence says it. */
  static final String TEXT = "groups combined with a Holm correction at level 0.05: false if Holm rejects the claim"
      + " in some group, true if every group holds by its 95% interval, else inconclusive";

  /** One row's outcome and why; {@code p}: its p-value against the claim's region (NaN: not deciding). */
  record Outcome(FitRow row, Verdict verdict, double p, String why) {}

  /** The outcome of one row; {@code reason}: why it may not decide ("" when it may), null to check {@link Sample}. */
  static Outcome outcome(Rule.OnInterval rule, FitRow f, String reason) {
    String why = reason != null ? reason : String.join("; ", f.failed());
    if (!why.isEmpty()) {
      return new Outcome(f, Verdict.INCONCLUSIVE, Double.NaN, why);
    }
    if (f.ciLow() == null || f.ciHigh() == null) {
      return new Outcome(f, Verdict.INCONCLUSIVE, Double.NaN, "no interval");
    }
    return new Outcome(f, rule.decide(f.ciLow(), f.ciHigh()), Bootstrap.pInside(f.boot(), rule::holdsAt, f.seeds()),
        "");
  }

  /** The claim's verdict over the rows' outcomes, and the text saying which rows Holm rejected. */
  record Combined(Verdict verdict, String text) {}

  static Combined combine(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return new Combined(Verdict.INCONCLUSIVE, "no rows");
    }
    List<Outcome> deciding = new ArrayList<>(outcomes.stream().filter(o -> !Double.isNaN(o.p())).toList());
    deciding.sort(Comparator.comparingDouble(Outcome::p));
    List<String> rejected = new ArrayList<>();
    int m = deciding.size();
    for (int i = 0; i < m; i++) {
      Outcome o = deciding.get(i);
      double level = ALPHA / (m - i);
      if (o.p() > level) {
        break;
      }
      rejected.add(String.format(Locale.ROOT, "%s (p %.3g <= %.3g)", o.row().groupKey(), o.p(), level));
    }
    String text = String.format(Locale.ROOT, "%d of %d rows deciding; Holm rejects %s", m, outcomes.size(),
        rejected.isEmpty() ? "none" : String.join(", ", rejected));
    if (!rejected.isEmpty()) {
      return new Combined(Verdict.FALSE, text);
    }
    boolean all = outcomes.stream().allMatch(o -> o.verdict() == Verdict.TRUE && !Double.isNaN(o.p()));
    return new Combined(all ? Verdict.TRUE : Verdict.INCONCLUSIVE, text);
  }

  /** Several outcomes that are not intervals (direct checks): any false -> false, all true -> true. */
  static Verdict all(List<Verdict> outcomes) {
    return Verdict.combine(outcomes);
  }
}
