package io.github.overparam.spark.analysis;

import io.github.overparam.core.Names;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.spark.analysis.FitTable.FitRow;
import io.github.overparam.spark.analysis.Group.Cell;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * verdicts/: one row per claim of {@link Claims#ALL} that the sweep can speak to, in that order.
 * Each row's rule, threshold and its text come from the claim.
 */
final class VerdictTable {
  private final CriticalTable critical;

  VerdictTable(CriticalTable critical) {
    this.critical = critical;
  }

  /** A verdicts/ row; {@link #row()} in {@link AnalysisTables#VERDICTS_SCHEMA} order. */
  record VerdictRow(Claim claim, String measured, Verdict holds, String evidence) {
    Row row() {
      return RowFactory.create(claim.id(), claim.paper(), claim.statement(), measured, holds.text(), evidence);
    }
  }

  private static String num(Double v) {
    return v == null ? "null" : String.format(Locale.ROOT, "%.3g", v);
  }

  /** "n^1.12 [0.95, 1.30], 6 points, R^2 0.97" for one fits row. */
  static String describe(FitRow f, String symbol, boolean withKey) {
    String where = !withKey || f.groupKey().equals("all") ? "" : f.groupKey() + ": ";
    if (f.exponent() == null) {
      return where + "no fit (" + f.points() + " points)";
    }
    String x = switch (f.against()) {
      case "depth" -> "L";
      case "width" -> "m";
      default -> f.against();
    };
    return where + symbol.replace("{x}", x) + num(f.exponent()) + " [" + num(f.ciLow()) + ", " + num(f.ciHigh()) + "], "
        + f.points() + " points" + (f.r2() == null ? "" : ", R^2 " + String.format(Locale.ROOT, "%.3f", f.r2()));
  }

  /** The verdict of a claim on fits rows: its interval rule on every row, combined. */
  private static VerdictRow fromFits(Claim claim, List<FitRow> rows) {
    Rule.OnInterval rule = (Rule.OnInterval) claim.rule();
    List<Verdict> outcomes = new ArrayList<>();
    List<String> measured = new ArrayList<>();
    for (FitRow f : rows) {
      outcomes.add(rule.decide(f.ciLow(), f.ciHigh()));
      measured.add(describe(f, claim.evidence().symbol(), rows.size() > 1));
    }
    FitRow first = rows.get(0);
    String evidence = "fits rows quantity='" + first.quantity() + "', against='" + first.against() + "' ("
        + rows.size() + (rows.size() == 1 ? " row" : " rows") + ", per-row outcomes "
        + outcomes.stream().map(Verdict::text).toList() + "); rule: " + claim.ruleText()
        + "; a missing interval is inconclusive; " + Verdict.COMBINE_TEXT;
    return new VerdictRow(claim, String.join("; ", measured), Verdict.combine(outcomes), evidence);
  }

  /** The fits rows a claim reads, in its order of fit references, kept where {@code keep} says. */
  private static List<FitRow> select(Claim claim, List<FitRow> fits, Predicate<FitRow> keep) {
    List<FitRow> out = new ArrayList<>();
    for (Claim.FitRef ref : claim.evidence().fits()) {
      fits.stream().filter(f -> f.quantity().equals(ref.quantity()) && f.against().equals(ref.against()))
          .filter(keep).forEach(out::add);
    }
    return out;
  }

  List<Row> verdicts(List<Group> groups, List<FitRow> fits) {
    List<String> duKeys = groups.stream().filter(Group::isDuTwoLayer).map(g -> g.key).toList();
    List<Row> out = new ArrayList<>();
    for (Claim claim : Claims.ALL) {
      VerdictRow v;
      if (claim == Claims.NOY_WIDTH_N2L) {
        v = noyWidth(groups);
      } else if (claim == Claims.ZOU_SGD_CONVERGES) {
        v = sgdConverges(groups);
      } else {
        Predicate<FitRow> keep = claim == Claims.DU_DISTANCE_SQRT_M || claim == Claims.DU_FLIPS_VANISH
            ? f -> duKeys.contains(f.groupKey()) : f -> true;
        List<FitRow> rows = select(claim, fits, keep);
        v = rows.isEmpty() ? null : fromFits(claim, rows);
        if (v != null && claim == Claims.DU_RATE) {
          List<FitRow> ratio = fits.stream().filter(f -> f.quantity().equals("rate_min_over_bound")).toList();
          v = new VerdictRow(claim, v.measured() + (ratio.isEmpty() ? "" : "; median rate_min / bound "
              + num(ratio.get(0).exponent()) + " [" + num(ratio.get(0).ciLow()) + ", " + num(ratio.get(0).ciHigh())
              + "]"), v.holds(), v.evidence());
        }
      }
      if (v != null) {
        out.add(v.row());
      }
    }
    return out;
  }

  /**
   * Zou et al.: SGD (and GD) on wide deep nets reaches the global minimum. Over the groups trained by
   * SGD: holds when every one has a bracketed critical width (success reaches the threshold at some
   * width of the grid), inconclusive otherwise (a grid that stops too narrow says nothing against
   * the claim). The measured text lists each group's critical width beside GD's where the grid has
   * the same group with gd. Null when no group is trained by SGD.
   */
  private VerdictRow sgdConverges(List<Group> groups) {
    Claim claim = Claims.ZOU_SGD_CONVERGES;
    List<Group> sgd = groups.stream().filter(g -> g.is("optimizer", Optimizer.SGD)).toList();
    if (sgd.isEmpty()) {
      return null;
    }
    List<String> measured = new ArrayList<>();
    int bracketed = 0;
    for (Group g : groups) {
      CriticalWidth.Result cr = critical.critical(g);
      boolean ok = cr.status() == CriticalStatus.BRACKETED;
      if (sgd.contains(g) && ok) {
        bracketed++;
      }
      String who = g.is("optimizer", Optimizer.SGD) ? "sgd batch " + g.value("batch_size") : Names.of(Optimizer.GD);
      measured.add(who + " (" + g.value("model") + ", " + g.value("parameterization") + ", L=" + g.value("depth")
          + ", n=" + g.value("n") + "): critical width " + (ok ? num(cr.width()) : cr.status().text()));
    }
    Rule.AllBracketed rule = (Rule.AllBracketed) claim.rule();
    String evidence = claim.evidence().basis() + " (threshold " + critical.threshold() + "): " + rule.text() + "; "
        + bracketed + " of " + sgd.size() + " sgd groups bracketed";
    return new VerdictRow(claim, String.join("; ", measured), rule.decide(bracketed, sgd.size()), evidence);
  }

  /** Noy et al.: at width n^2 L (c = 1) every seed converges. */
  private VerdictRow noyWidth(List<Group> groups) {
    Claim claim = Claims.NOY_WIDTH_N2L;
    long runs = 0;
    long converged = 0;
    long diverged = 0;
    int withWidths = 0;
    double minRatio = Double.NaN;
    double maxRatio = Double.NaN;
    for (Group g : groups) {
      double prescribed = g.number("n") * g.number("n") * g.number("depth");
      boolean any = false;
      for (Cell c : g.cells.values()) {
        if (c.width() >= prescribed) {
          runs += c.runs();
          converged += c.converged();
          diverged += c.diverged();
          any = true;
        }
      }
      withWidths += any ? 1 : 0;
      CriticalWidth.Result cr = critical.critical(g);
      if (cr.status() == CriticalStatus.BRACKETED) {
        double ratio = cr.width() / prescribed;
        minRatio = Double.isNaN(minRatio) ? ratio : Math.min(minRatio, ratio);
        maxRatio = Double.isNaN(maxRatio) ? ratio : Math.max(maxRatio, ratio);
      }
    }
    Rule.AllConverge rule = (Rule.AllConverge) claim.rule();
    String measured = String.format(Locale.ROOT, "%d of %d groups have widths >= n^2 L in the grid; there %d of %d"
        + " runs converged (%d diverged or failed)", withWidths, groups.size(), converged, runs, diverged)
        + (Double.isNaN(minRatio) ? "" : "; bracketed critical width / (n^2 L) from " + num(minRatio) + " to "
        + num(maxRatio));
    String evidence = claim.evidence().basis() + "; " + rule.text() + "; " + claim.evidence().why() + " (threshold "
        + critical.threshold() + ")";
    return new VerdictRow(claim, measured, rule.decide(converged, runs), evidence);
  }
}
