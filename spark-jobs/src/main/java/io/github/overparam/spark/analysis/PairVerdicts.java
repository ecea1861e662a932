package io.github.overparam.spark.analysis;

import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.spark.analysis.FitTable.FitRow;
import io.github.overparam.spark.analysis.Group.Cell;
import io.github.overparam.spark.analysis.VerdictTable.VerdictRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The claims that compare two arms of one setting: Zou et al.'s SGD against GD, and Kawaguchi &
 * Huang's true against random labels.
 */
final class PairVerdicts {
  private final CriticalTable critical;

  PairVerdicts(CriticalTable critical) {
    this.critical = critical;
  }

  /** The group columns that tell SGD from GD (and the lr, which may differ between them). */
  private static final List<String> OPTIMIZER_COLUMNS = List.of("optimizer", "batch_size", "lr");

  /**
   * Zou et al.: per SGD group, the GD group that differs only in the optimizer; at the widest width
   * where GD's success rate reaches the threshold, SGD's must too. Any pair false: false; all true:
   * true; else inconclusive.
   */
  Object sgd(List<Group> groups) {
    Claim claim = Claims.ZOU_SGD_CONVERGES;
    List<String> pairColumns = new ArrayList<>(AnalysisTables.GROUP_COLUMNS);
    pairColumns.removeAll(OPTIMIZER_COLUMNS);
    List<Group> sgd = groups.stream().filter(g -> g.is("optimizer", Optimizer.SGD)).toList();
    if (sgd.isEmpty()) {
      return "no group is trained by SGD";
    }
    if (sgd.stream().noneMatch(g -> g.is("loss_fn", Loss.LOGISTIC))) {
      return "Zou et al.'s setting is the logistic loss on +-1 labels; the SGD groups use another loss";
    }
    List<String> measured = new ArrayList<>();
    List<Verdict> outcomes = new ArrayList<>();
    List<Group> used = new ArrayList<>();
    Rule.SgdWhereGd rule = (Rule.SgdWhereGd) claim.rule();
    for (Group s : sgd) {
      if (!s.is("loss_fn", Loss.LOGISTIC)) {
        continue;
      }
      String key = GroupKeys.key(s, pairColumns, null);
      Group gd = groups.stream().filter(g -> g.is("optimizer", Optimizer.GD)
          && GroupKeys.key(g, pairColumns, null).equals(key)).findFirst().orElse(null);
      if (gd == null) {
        continue;
      }
      used.add(s);
      if (!used.contains(gd)) {
        used.add(gd);
      }
      Integer widest = null;
      for (Cell c : gd.cells.descendingMap().values()) {
        if (c.runs() > 0 && c.converged() / (double) c.runs() >= critical.threshold()) {
          widest = c.width();
          break;
        }
      }
      Cell sc = widest == null ? null : s.cells.get(widest);
      boolean sgdReaches = sc != null && sc.runs() > 0 && sc.converged() / (double) sc.runs() >= critical.threshold();
      Verdict v = widest == null || sc == null ? Verdict.INCONCLUSIVE : rule.decide(true, sgdReaches);
      outcomes.add(v);
      String who = "sgd batch " + s.value("batch_size") + " (L=" + s.value("hidden_layers") + ", n=" + s.value("n")
          + ")";
      measured.add(widest == null ? who + ": GD reaches the threshold at no width"
          : sc == null ? who + ": no SGD run at width " + widest + " where GD reaches the threshold"
          : String.format(Locale.ROOT, "%s: at width %d GD %d/%d, SGD %d/%d converged (%s); critical width GD %s,"
              + " SGD %s", who, widest, gd.cells.get(widest).converged(), gd.cells.get(widest).runs(),
              sc.converged(), sc.runs(), v.text(), width(gd), width(s)));
    }
    if (outcomes.isEmpty()) {
      return "no SGD group has a GD group of the same setting";
    }
    String evidence = claim.evidence().basis() + " (threshold " + critical.threshold() + "): " + rule.text()
        + "; pairs: any false -> false, all true -> true, else inconclusive";
    return new VerdictRow(claim, Scope.of(used, null), String.join("; ", measured), Verdict.combine(outcomes),
        evidence);
  }

  private String width(Group g) {
    CriticalWidth.Result cr = critical.critical(g);
    return cr.width() == null ? cr.status().text() : VerdictTable.num(cr.width()) + " (" + cr.status().text() + ")";
  }

  /** Kawaguchi & Huang: test accuracy of both arms against chance 1/k, per pair; pairs combined. */
  Object generalization(List<Group> groups) {
    Claim claim = Claims.KH_GENERALIZATION;
    List<Generalization.Pair> pairs = Generalization.pairs(groups);
    if (pairs.isEmpty()) {
      return "no pair of groups with held-out points and class labels that differ only in random_labels";
    }
    List<FitRow> fits = Generalization.fits(groups);
    Rule.AboveChance rule = (Rule.AboveChance) claim.rule();
    List<Verdict> outcomes = new ArrayList<>();
    List<String> measured = new ArrayList<>();
    List<Group> used = new ArrayList<>();
    TreeSet<Integer> widths = new TreeSet<>();
    int i = 0;
    for (Generalization.Pair p : pairs) {
      FitRow t = fits.get(i++);
      FitRow r = fits.get(i++);
      double chance = 1.0 / p.classes();
      List<String> failed = Sample.failed(Math.min(t.seeds(), r.seeds()), new double[] {1, 2, 4, 8});
      Verdict v = failed.isEmpty() ? rule.decide(t.ciLow(), t.ciHigh(), r.ciLow(), r.ciHigh(), chance)
          : Verdict.INCONCLUSIVE;
      outcomes.add(v);
      used.add(p.trueArm());
      used.add(p.randomArm());
      widths.add(p.width());
      measured.add((pairs.size() > 1 ? p.sliceKey() + ": " : "") + "at width " + p.width() + ", chance 1/"
          + p.classes() + " = " + VerdictTable.num(chance) + ": test accuracy true labels " + arm(t)
          + ", random labels " + arm(r) + (failed.isEmpty() ? "" : " (inconclusive: " + String.join("; ", failed)
              + ")"));
    }
    String evidence = "fits rows quantity='test_accuracy_true' and 'test_accuracy_random': " + claim.ruleText()
        + "; decides only with >= " + Sample.MIN_SEEDS + " seeds per arm; pairs: any false -> false, all true ->"
        + " true, else inconclusive";
    return new VerdictRow(claim, Scope.of(used, widths), String.join("; ", measured), Verdict.combine(outcomes),
        evidence);
  }

  private static String arm(FitRow f) {
    return f.exponent() == null ? "none (no converged run)" : VerdictTable.num(f.exponent()) + " ["
        + VerdictTable.num(f.ciLow()) + ", " + VerdictTable.num(f.ciHigh()) + "]";
  }
}
