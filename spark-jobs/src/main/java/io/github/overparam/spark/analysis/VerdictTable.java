package io.github.overparam.spark.analysis;

import io.github.overparam.core.Names;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.spark.analysis.FitTable.FitRow;
import io.github.overparam.spark.analysis.Group.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * verdicts/: one row per claim of {@link Claims#ALL} whose assumptions the sweep meets, in that
 * order; the others are listed with the reason the sweep cannot speak to them. Each row's rule,
 * threshold and text come from the claim; fits rows decide through {@link Decision}.
 */
final class VerdictTable {
  private final CriticalTable critical;

  VerdictTable(CriticalTable critical) {
    this.critical = critical;
  }

  /** A verdicts/ row. */
  record VerdictRow(Claim claim, String scope, String measured, Verdict holds, String evidence) {
    Row row() {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("claim", claim.id());
      v.put("paper", claim.paper());
      v.put("statement", claim.statement());
      v.put("scope", scope);
      v.put("measured", measured);
      v.put("holds", holds.text());
      v.put("evidence", evidence);
      Object[] row = new Object[AnalysisTables.VERDICTS_SCHEMA.length()];
      v.forEach((k, x) -> row[AnalysisTables.VERDICTS_SCHEMA.fieldIndex(k)] = x);
      return RowFactory.create(row);
    }
  }

  /** The verdicts, and the claims the sweep cannot speak to with the reason (claim id to reason). */
  record Verdicts(List<VerdictRow> rows, Map<String, String> outOfScope) {}

  static String num(Double v) {
    return v == null ? "null" : String.format(Locale.ROOT, "%.3g", v);
  }

  /** "n^1.12 [0.95, 1.30], 6 points, R^2 0.97" for one fits row. */
  static String describe(FitRow f, String symbol, boolean withKey) {
    String where = !withKey || f.groupKey().equals("all") ? "" : f.groupKey() + ": ";
    if (f.exponent() == null) {
      return where + "no fit (" + f.points() + " points)";
    }
    String x = switch (f.against()) {
      case "depth", "hidden_layers" -> "L";
      case "width" -> "m";
      default -> f.against();
    };
    return where + symbol.replace("{x}", x) + num(f.exponent()) + " [" + num(f.ciLow()) + ", " + num(f.ciHigh()) + "], "
        + f.points() + " points" + (f.r2() == null ? "" : ", R^2 " + String.format(Locale.ROOT, "%.3f", f.r2()));
  }

  /** The fits rows of a claim's fit references whose group (or slice) key passes {@code keep}. */
  static List<FitRow> select(Claim claim, List<FitRow> fits, Predicate<String> keep) {
    List<FitRow> out = new ArrayList<>();
    for (Claim.FitRef ref : claim.evidence().fits()) {
      fits.stream().filter(f -> f.quantity().equals(ref.quantity()) && f.against().equals(ref.against())).filter(
          f -> keep.test(f.groupKey())).forEach(out::add);
    }
    return out;
  }

  /**
   * A claim decided on fits rows; {@code reasons}: per group key, why that row may not decide (null
   * to check {@link Sample}); {@code extra} is appended to measured.
   */
  static VerdictRow fromFits(Claim claim, List<FitRow> rows, Map<String, String> reasons, String scope, String extra,
      Verdict forced, String forcedWhy) {
    Rule.OnInterval rule = (Rule.OnInterval) claim.rule();
    List<Decision.Outcome> outcomes = new ArrayList<>();
    List<String> measured = new ArrayList<>();
    int without = 0;
    Set<String> budget = new LinkedHashSet<>();
    for (FitRow f : rows) {
      String b = FitTable.budgetPart(f.note());
      if (b != null) {
        budget.add((rows.size() > 1 ? f.groupKey() + ": " : "") + b);
      }
      Decision.Outcome o = Decision.outcome(rule, f, reasons == null ? null : reasons.get(f.groupKey()));
      outcomes.add(o);
      without += f.withoutEstimate();
      measured.add(describe(f, claim.evidence().symbol(), rows.size() > 1)
          + (o.why().isEmpty() ? "" : " (inconclusive: " + o.why() + ")"));
    }
    Decision.Combined c = Decision.combine(outcomes);
    Verdict holds = forced == Verdict.FALSE ? Verdict.FALSE : c.verdict();
    if (holds == Verdict.TRUE && claim.direction() == Claim.Direction.SUFFICIENCY) {
      measured.add("within the bound: the claim is not contradicted (a sufficient condition is not shown necessary)");
    }
    FitRow first = rows.get(0);
    String evidence = "fits rows quantity='" + first.quantity() + "', against='" + first.against() + "' ("
        + rows.size() + (rows.size() == 1 ? " row" : " rows") + ", per-row outcomes "
        + outcomes.stream().map(o -> o.verdict().text()).toList() + "); rule: " + claim.ruleText()
        + "; a fit decides only with >= " + Sample.MIN_SEEDS + " seeds and >= " + Sample.MIN_X + " x-values spanning"
        + " >= " + Rule.number(Sample.MIN_SPAN) + "x; " + Decision.TEXT + " (" + c.text() + "); " + without
        + " bootstrap resamples gave no estimate" + (forcedWhy == null ? "" : "; " + forcedWhy)
        + (budget.isEmpty() ? "" : "; step budget (critical widths at B/2 and B, budget-limited groups left out): "
            + String.join("; ", budget));
    return new VerdictRow(claim, scope, String.join("; ", measured) + (extra.isEmpty() ? "" : "; " + extra), holds,
        evidence);
  }

  Verdicts verdicts(List<Group> groups, List<FitRow> fits) {
    List<VerdictRow> out = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    LazyVerdicts lazy = new LazyVerdicts(critical);
    PairVerdicts pairs = new PairVerdicts(critical);
    for (Claim claim : Claims.ALL) {
      Object v;
      if (claim == Claims.NOY_WIDTH_N2L) {
        v = noyWidth(groups);
      } else if (claim == Claims.NOY_GROWTH_N || claim == Claims.NOY_GROWTH_L) {
        String x = claim == Claims.NOY_GROWTH_N ? "n" : "hidden_layers";
        List<FitRow> rows = select(claim, fits, k -> true);
        v = rows.isEmpty() ? (x.equals("n") ? "n" : "the number of hidden layers") + " takes one value only"
            + (groups.stream().map(g -> g.value(x)).distinct().count() > 1 ? " within each net (model,"
                + " parameterization, activation) and the other group columns" : "") : fromFits(claim, rows, null,
                    Scope.of(groups, null), "", null, null);
      } else if (claim == Claims.NOY_TIME_LOG) {
        v = time(groups, fits);
      } else if (claim == Claims.KH_PARAMS_LINEAR_N) {
        v = khParams(groups, fits);
      } else if (claim == Claims.NOY_SURROGATE) {
        List<FitRow> rows = select(claim, fits, k -> true);
        List<Group> used = groups.stream().filter(g -> rows.stream().anyMatch(f -> f.groupKey().equals(
            g.key))).toList();
        v = rows.isEmpty() ? "no group trained the surrogate" : fromFits(claim, rows, null, Scope.of(used, null), "",
            null, null);
      } else if (claim == Claims.ZOU_SGD_CONVERGES) {
        v = pairs.sgd(groups);
      } else if (claim == Claims.KH_GENERALIZATION) {
        v = pairs.generalization(groups);
      } else {
        v = lazy.verdict(claim, groups, fits);
      }
      if (v instanceof VerdictRow row) {
        out.add(row);
      } else {
        skipped.put(claim.id(), (String) v);
      }
    }
    return new Verdicts(out, skipped);
  }

  /** Every layer trained: Kawaguchi & Huang's setting (not Du's two-layer net, not Allen-Zhu's fixed A and B). */
  static boolean allLayersTrained(Group g) {
    return g.is("parameterization", Parameterization.STANDARD)
        || g.is("parameterization", Parameterization.ZOU) && Boolean.TRUE.equals(g.value("train_output"));
  }

  /** The width of a group's last hidden layer. */
  static double lastWidth(Group g, int width) {
    Object last = g.value("last_width");
    return last == null ? width : ((Number) last).doubleValue();
  }

  private Object khParams(List<Group> groups, List<FitRow> fits) {
    List<Group> kh = groups.stream().filter(VerdictTable::allLayersTrained).toList();
    if (kh.isEmpty()) {
      return "no group trains every layer (Kawaguchi & Huang's setting): du and allen_zhu keep layers fixed, zou"
          + " needs train_output";
    }
    List<String> khSlices = new ArrayList<>();
    List<String> cols = GroupKeys.keyColumns(groups, "n");
    for (Group g : groups) {
      String slice = GroupKeys.key(g, cols, "n");
      boolean all = groups.stream().filter(h -> GroupKeys.key(h, cols, "n").equals(slice)).allMatch(
          VerdictTable::allLayersTrained);
      if (all && !khSlices.contains(slice)) {
        khSlices.add(slice);
      }
    }
    List<FitRow> rows = select(Claims.KH_PARAMS_LINEAR_N, fits, khSlices::contains);
    // The direct check at their condition: every run whose last hidden layer is >= n wide converged.
    long runs = 0;
    long converged = 0;
    for (Group g : kh) {
      for (Cell c : g.cells.values()) {
        if (lastWidth(g, c.width()) >= g.number("n")) {
          runs += c.runs();
          converged += c.converged();
        }
      }
    }
    Verdict direct = new Rule.AllConverge().decide(converged, runs);
    String directText = runs == 0 ? "direct check: no run has a last hidden layer >= n wide"
        : String.format(Locale.ROOT, "direct check: %d of %d runs with a last hidden layer >= n wide converged (%s)",
            converged, runs, direct.text());
    List<String> ratios = new ArrayList<>();
    boolean loose = false;
    for (Group g : kh) {
      CriticalWidth.Result cr = critical.critical(g);
      if (cr.status() == CriticalStatus.BRACKETED && cr.params() != null) {
        double ratio = cr.params() / g.number("n");
        ratios.add("n=" + GroupKeys.format(g.value("n")) + ": " + num(ratio));
        loose |= ratio < 1 && Names.of(LabelKind.GAUSSIAN).equals(g.value("labels"));
      }
    }
    String extra = directText + (ratios.isEmpty() ? "" : "; critical params / n: " + String.join(", ", ratios))
        + (loose ? "; a ratio below 1 with real-valued labels is impossible at interpolation (counting bound): the"
            + " target is too loose, a measurement problem, not a discovery" : "");
    String scope = Scope.of(kh, null);
    if (rows.isEmpty()) {
      if (runs == 0) {
        return "n takes one value only and no run has a last hidden layer >= n wide";
      }
      return new VerdictRow(Claims.KH_PARAMS_LINEAR_N, scope, extra, direct, "runs table: " + directText
          + "; holds if all of them converged, false if any did not (n does not vary: no fit)");
    }
    VerdictRow fit = fromFits(Claims.KH_PARAMS_LINEAR_N, rows, null, scope, extra, direct,
        direct == Verdict.FALSE ? "the direct check failed" : null);
    Verdict both = runs == 0 ? fit.holds() : Verdict.combine(List.of(fit.holds(), direct));
    return new VerdictRow(fit.claim(), scope, fit.measured(), both, fit.evidence() + "; " + directText
        + "; fit and direct check: any false -> false, both true -> true");
  }

  private Object time(List<Group> groups, List<FitRow> fits) {
    List<FitRow> rows = select(Claims.NOY_TIME_LOG, fits, k -> true);
    List<FitRow> raw = fits.stream().filter(f -> f.quantity().equals("steps_to_target") && f.against().equals("n")
        && f.exponent() != null).toList();
    String described = raw.isEmpty() ? "" : "raw steps described, not judged: "
        + String.join("; ", raw.stream().map(f -> describe(f, "steps ~ {x}^", raw.size() > 1)).toList());
    rows = rows.stream().filter(f -> f.exponent() != null || f.points() > 0).toList();
    if (rows.isEmpty()) {
      return "no runs at widths >= n^2 L with a step size and a kernel lambda_min for several n (raw steps at a"
          + " fixed lr are described in fits, never judged against the paper)";
    }
    List<Group> used = new ArrayList<>();
    TreeSet<Integer> widths = new TreeSet<>();
    for (Group g : groups) {
      for (int w : g.widths()) {
        if (LazyFits.noyWidth(g, w)) {
          widths.add(w);
          if (!used.contains(g)) {
            used.add(g);
          }
        }
      }
    }
    return fromFits(Claims.NOY_TIME_LOG, rows, null, Scope.of(used, widths), described, null, null);
  }

  /** Noy et al.: at width n^2 L (c = 1, L = hidden layers) every seed converges. */
  private Object noyWidth(List<Group> groups) {
    Claim claim = Claims.NOY_WIDTH_N2L;
    long runs = 0;
    long converged = 0;
    long diverged = 0;
    long descending = 0;
    List<Group> used = new ArrayList<>();
    TreeSet<Integer> widths = new TreeSet<>();
    double minRatio = Double.NaN;
    double maxRatio = Double.NaN;
    double reach = 0;
    for (Group g : groups) {
      double prescribed = g.number("n") * g.number("n") * g.number("hidden_layers");
      for (Cell c : g.cells.values()) {
        reach = Math.max(reach, c.width() / prescribed);
        if (c.width() >= prescribed) {
          runs += c.runs();
          converged += c.converged();
          diverged += c.diverged();
          descending += c.obs().stream().filter(o -> CriticalTable.DESCENDING.equals(o.endTrend())).count();
          widths.add(c.width());
          if (!used.contains(g)) {
            used.add(g);
          }
        }
      }
      CriticalWidth.Result cr = critical.critical(g);
      if (cr.status() == CriticalStatus.BRACKETED) {
        double ratio = cr.width() / prescribed;
        minRatio = Double.isNaN(minRatio) ? ratio : Math.min(minRatio, ratio);
        maxRatio = Double.isNaN(maxRatio) ? ratio : Math.max(maxRatio, ratio);
      }
    }
    if (runs == 0) {
      return "the grid reaches width n^2 L in no group (widest width / (n^2 L) = " + num(reach) + ")";
    }
    Rule.AllConverge rule = (Rule.AllConverge) claim.rule();
    String measured = String.format(Locale.ROOT, "%d of %d groups have widths >= n^2 L in the grid; there %d of %d"
        + " runs converged (%d diverged or failed)", used.size(), groups.size(), converged, runs, diverged)
        + (descending == 0 ? "" : "; " + descending + " of the others stopped at max_steps still descending: the"
            + " step budget, not the width, stopped them")
        + (Double.isNaN(minRatio) ? "" : "; bracketed critical width / (n^2 L) from " + num(minRatio) + " to "
            + num(maxRatio));
    String evidence = claim.evidence().basis() + "; " + rule.text() + "; " + claim.evidence().why() + " (threshold "
        + critical.threshold() + ")";
    return new VerdictRow(claim, Scope.of(used, widths), measured, rule.decide(converged, runs), evidence);
  }
}
