package io.github.overparam.spark.analysis;

import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.spark.analysis.Group.Obs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * fits/: one row per fitted law (see the package documentation for the list). Each row is the
 * estimate on every run and its seed-bootstrap interval ({@link Bootstrap#interval(String, long[],
 * Function)}), the quantity recomputed from the resampled runs and refitted.
 */
final class FitTable {
  private final CriticalTable critical;

  FitTable(CriticalTable critical) {
    this.critical = critical;
  }

  enum Kind { LOG_LOG, SEMI_LOG, MEDIAN_RATIO, FRACTION_AT_LEAST_ONE }

  /** The (x, y) points one group contributes to a fit, from a sample of its runs. */
  @FunctionalInterface
  interface Points {
    List<double[]> of(Group g, List<List<Obs>> sample);
  }

  /**
   * A fits/ row, kept in memory for the verdicts. {@code withoutEstimate}: bootstrap resamples that
   * gave no estimate (also in the note); {@code seeds}: the seeds resampled; {@code xs}: the x-values
   * of the estimate's points; {@code boot}: the resampled estimates (for the p-values of
   * {@link Decision}).
   */
  record FitRow(String quantity, String against, String groupKey, Numbers numbers, Integer points, String note,
      Sampling sampling) {
    /**
     * The fitted numbers, null where there are none.
     *
     * @param exponent the estimate (an exponent, a ratio, a fraction: per {@link Kind})
     * @param ciLow the bootstrap interval's lower end
     * @param ciHigh its upper end
     * @param prefactor c of y = c x^b (log-log fits)
     * @param r2 the fit's R^2
     */
    record Numbers(Double exponent, Double ciLow, Double ciHigh, Double prefactor, Double r2) {
      static final Numbers NONE = new Numbers(null, null, null, null, null);
    }

    /**
     * What the estimate stood on: resamples without an estimate, seeds, the x values of its points,
     * and the resampled estimates (for the p-values of {@link Decision}).
     */
    record Sampling(int withoutEstimate, int seeds, double[] xs, double[] boot) {
      static final Sampling NONE = new Sampling(0, 0, new double[0], new double[0]);
    }

    Row row() {
      return RowFactory.create(quantity, against, groupKey, exponent(), ciLow(), ciHigh(), numbers.prefactor(),
          numbers.r2(), points, note);
    }

    /** A row without numbers: the note says why. */
    static FitRow empty(String quantity, String against, String groupKey, int points, String note) {
      return new FitRow(quantity, against, groupKey, Numbers.NONE, points, note, Sampling.NONE);
    }

    Double exponent() {
      return numbers.exponent();
    }

    Double ciLow() {
      return numbers.ciLow();
    }

    Double ciHigh() {
      return numbers.ciHigh();
    }

    Double prefactor() {
      return numbers.prefactor();
    }

    Double r2() {
      return numbers.r2();
    }

    int withoutEstimate() {
      return sampling.withoutEstimate();
    }

    int seeds() {
      return sampling.seeds();
    }

    double[] xs() {
      return sampling.xs();
    }

    double[] boot() {
      return sampling.boot();
    }

    /** The sampling conditions ({@link Sample}) this row fails, in words. */
    List<String> failed() {
      return Sample.failed(seeds(), xs());
    }
  }

  private record Estimate(double value, Double prefactor, Double r2, int points, int excluded, double[] xs) {}

  private static Estimate estimate(Kind kind, List<double[]> pts) {
    List<double[]> use = new ArrayList<>();
    for (double[] p : pts) {
      boolean ok = switch (kind) {
        case LOG_LOG -> p[0] > 0 && p[1] > 0;
        case SEMI_LOG, MEDIAN_RATIO, FRACTION_AT_LEAST_ONE -> p[0] > 0 && !Double.isNaN(p[1]);
      };
      if (ok) {
        use.add(p);
      }
    }
    int excluded = pts.size() - use.size();
    double[] x = use.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = use.stream().mapToDouble(p -> p[1]).toArray();
    switch (kind) {
      case LOG_LOG, SEMI_LOG -> {
        if (PowerLaw.distinct(x) < 3) {
          return null;
        }
        PowerLaw.Fit f = kind == Kind.LOG_LOG ? PowerLaw.logLog(x, y) : PowerLaw.semiLog(x, y);
        return new Estimate(f.exponent(), f.prefactor(), Double.isNaN(f.r2()) ? null : f.r2(), f.points(), excluded,
            x);
      }
      default -> {
        if (x.length < 3) {
          return null;
        }
        double[] ratio = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          ratio[i] = y[i] / x[i];
        }
        double v = kind == Kind.MEDIAN_RATIO ? Bootstrap.quantile(ratio, 0.5)
            : Arrays.stream(ratio).filter(q -> q >= 1).count() / (double) ratio.length;
        return new Estimate(v, null, null, x.length, excluded, x);
      }
    }
  }

  private static List<double[]> points(List<Group> groups, Points fn, long[] seeds) {
    List<double[]> pts = new ArrayList<>();
    for (Group g : groups) {
      pts.addAll(fn.of(g, g.sample(seeds)));
    }
    return pts;
  }

  private static long[] seeds(List<Group> groups) {
    TreeSet<Long> seedSet = new TreeSet<>();
    for (Group g : groups) {
      seedSet.addAll(g.seeds());
    }
    return seedSet.stream().mapToLong(Long::longValue).toArray();
  }

  /** One fits/ row: the estimate on every run and its seed-bootstrap interval. */
  static FitRow fit(String quantity, String against, String sliceKey, List<Group> groups, Kind kind, Points fn,
      String howNote) {
    long[] seeds = seeds(groups);
    List<double[]> pts = points(groups, fn, null);
    Estimate est = estimate(kind, pts);
    String what = switch (kind) {
      case LOG_LOG -> "log-log least squares";
      case SEMI_LOG -> "semi-log: exponent = slope of " + quantity + " per unit ln x, prefactor = intercept";
      case MEDIAN_RATIO -> "exponent = median of y/x over runs (not a power law)";
      case FRACTION_AT_LEAST_ONE -> "exponent = fraction of runs with y/x >= 1 (not a power law)";
    };
    String note = what + "; " + howNote;
    if (est == null) {
      long distinct = pts.stream().mapToDouble(p -> p[0]).distinct().count();
      return FitRow.empty(quantity, against, sliceKey, pts.size(),
          note + "; too few usable points (" + pts.size() + " points, " + distinct + " distinct x; need 3)");
    }
    if (est.excluded() > 0) {
      note += "; " + est.excluded() + " non-positive or missing points left out";
    }
    Bootstrap.Interval ci = Bootstrap.interval(quantity + "|" + against + "|" + sliceKey, seeds, resampled -> {
      Estimate e = estimate(kind, points(groups, fn, resampled));
      return e == null ? null : e.value();
    });
    return new FitRow(quantity, against, sliceKey,
        new FitRow.Numbers(est.value(), ci.low(), ci.high(), est.prefactor(), est.r2()), est.points(),
        note + ci.note(), new FitRow.Sampling(ci.withoutEstimate(), seeds.length, est.xs(), ci.values()));
  }

  /** Groups by slice key (varying columns except {@code column}), keeping slices where {@code column} varies. */
  private static Map<String, List<Group>> slices(List<Group> groups, String column) {
    List<String> columns = GroupKeys.keyColumns(groups, column);
    Map<String, List<Group>> out = new LinkedHashMap<>();
    for (Group g : groups) {
      out.computeIfAbsent(GroupKeys.key(g, columns, column), k -> new ArrayList<>()).add(g);
    }
    out.values().removeIf(list -> list.stream().map(g -> g.value(column)).distinct().count() < 2);
    return out;
  }

  private Points criticalWidthPoint(String xColumn) {
    return (g, s) -> {
      CriticalWidth.Result c = critical.critical(g, s);
      return c.status() == CriticalStatus.BRACKETED ? List.<double[]>of(new double[] {g.number(xColumn), c.width()})
          : List.of();
    };
  }

  private Points criticalParamsPoint(String xColumn) {
    return (g, s) -> {
      CriticalWidth.Result c = critical.critical(g, s);
      return c.status() == CriticalStatus.BRACKETED && c.params() != null
          ? List.<double[]>of(new double[] {g.number(xColumn), c.params()}) : List.of();
    };
  }

  private static Points stepsPoint(String xColumn) {
    return (g, s) -> {
      for (int k = s.size() - 1; k >= 0; k--) {
        if (!s.get(k).isEmpty()) {
          double[] steps = s.get(k).stream().filter(o -> o.converged() && o.steps() != null).mapToDouble(
              Obs::steps).toArray();
          return steps.length == 0 ? List.of()
              : List.<double[]>of(new double[] {g.number(xColumn), Bootstrap.quantile(steps, 0.5)});
        }
      }
      return List.of();
    };
  }

  /** Converged runs at the widths whose success rate reaches the threshold. */
  private List<List<Obs>> regime(List<List<Obs>> s) {
    List<List<Obs>> out = new ArrayList<>();
    for (List<Obs> obs : s) {
      long ok = obs.stream().filter(Obs::converged).count();
      out.add(!obs.isEmpty() && ok / (double) obs.size() >= critical.threshold()
          ? obs.stream().filter(Obs::converged).toList() : List.of());
    }
    return out;
  }

  /** Per width, the mean of a metric over the regime's runs with a value. */
  private Points regimeMean(Function<Obs, Double> metric) {
    return (g, s) -> means(g.widths(), regime(s), metric, x -> x != null && !x.isNaN());
  }

  /** Per width, the mean of a metric over every run with a finite positive value, whatever its status. */
  private static Points allMean(Function<Obs, Double> metric) {
    return (g, s) -> means(g.widths(), s, metric, x -> x != null && x > 0 && Double.isFinite(x));
  }

  private static List<double[]> means(int[] widths, List<List<Obs>> s, Function<Obs, Double> metric,
      Predicate<Double> usable) {
    List<double[]> pts = new ArrayList<>();
    for (int k = 0; k < widths.length; k++) {
      double[] v = s.get(k).stream().map(metric).filter(usable).mapToDouble(Double::doubleValue).toArray();
      if (v.length > 0) {
        pts.add(new double[] {widths[k], Arrays.stream(v).average().orElseThrow()});
      }
    }
    return pts;
  }

  /** Per converged run in the regime: (lr lambda0 scale, rate). */
  private Points ratePoints(double scale, Function<Obs, Double> rate) {
    return (g, s) -> {
      List<double[]> pts = new ArrayList<>();
      for (List<Obs> obs : regime(s)) {
        for (Obs o : obs) {
          Double r = rate.apply(o);
          if (o.lambda0() != null && r != null && o.lr() != null) {
            pts.add(new double[] {scale * o.lr() * o.lambda0(), r});
          }
        }
      }
      return pts;
    };
  }

  static boolean duRateGroup(Group g) {
    return g.isDuTwoLayer() && g.is("loss_fn", Loss.HALF_SUM_SQUARED) && g.is("optimizer", Optimizer.GD);
  }

  static boolean deepNeighborhoodGroup(Group g) {
    return (g.is("model", Arch.DEEP) || g.is("model", Arch.RESNET) || g.is("model", Arch.CNN))
        && (g.is("parameterization", Parameterization.ALLEN_ZHU) || g.is("parameterization", Parameterization.ZOU));
  }

  static final String CRIT_NOTE = "points: groups with a bracketed critical width";
  static final String STEPS_NOTE = "y: median steps_to_target over converged runs at the group's widest width";
  static final String REGIME_NOTE = "y: mean over converged runs at widths whose success rate reaches the threshold";
  /** The slice key of the Du rate fits. */
  static final String DU_RATE_KEY = "model=two_layer;parameterization=du;loss_fn=half_sum_squared;optimizer=gd";

  static final String TIME_NOTE = "y: median over converged runs at widths >= n^2 L of steps_to_target x lr x"
      + " lambda_min of the kernel (ntk_limit_lambda_min, else lambda0 of H^inf for Du's two-layer net)";

  /** The budget-stable groups among {@code gs} ({@link BudgetLadder}). */
  private List<Group> budgetStable(List<Group> gs) {
    return gs.stream().filter(g -> BudgetLadder.stable(g, critical.threshold())).toList();
  }

  /** The start of the note's part about the budget: verdicts quote the note from here on. */
  static final String BUDGET_NOTE = "; budget: ";

  /** The budget part of a fits row's note ("budget: ..."), or null when the fit does not rest on critical widths. */
  static String budgetPart(String note) {
    int i = note == null ? -1 : note.indexOf(BUDGET_NOTE);
    if (i < 0) {
      return null;
    }
    int end = note.indexOf("; ", i + BUDGET_NOTE.length());
    return note.substring(i + 2, end < 0 ? note.length() : end);
  }

  /** "; budget: 1 of 4 groups budget-limited, left out: n=64 (why)" or "; budget: all 4 groups budget-stable". */
  private String budgetNote(List<Group> gs) {
    List<String> limited = BudgetLadder.limitedGroups(gs, critical.threshold());
    return BUDGET_NOTE + (limited.isEmpty() ? "all " + gs.size() + " groups budget-stable (critical width within one"
        + " resolution step between B/2 and B)" : limited.size() + " of " + gs.size() + " groups budget-limited, left"
            + " out of the fit: " + String.join(" | ", limited));
  }

  List<FitRow> fits(List<Group> groups) {
    List<FitRow> out = new ArrayList<>();
    slices(groups, "n").forEach((k, gs) -> {
      List<Group> stable = budgetStable(gs);
      String budget = budgetNote(gs);
      out.add(fit("critical_width", "n", k, stable, Kind.LOG_LOG, criticalWidthPoint("n"), CRIT_NOTE + budget));
      out.add(fit("critical_params", "n", k, stable, Kind.LOG_LOG, criticalParamsPoint("n"), CRIT_NOTE + budget));
      out.add(fit("steps_to_target", "n", k, gs, Kind.LOG_LOG, stepsPoint("n"), STEPS_NOTE));
      out.add(fit("steps_to_target", "log_n", k, gs, Kind.SEMI_LOG, stepsPoint("n"), STEPS_NOTE));
      if (gs.stream().anyMatch(g -> g.cells.keySet().stream().anyMatch(w -> LazyFits.noyWidth(g, w)))) {
        out.add(fit("paper_time", "n", k, gs, Kind.LOG_LOG, LazyFits.paperTime(), TIME_NOTE));
      }
    });
    slices(groups, "hidden_layers").forEach((k, gs) -> {
      out.add(fit("critical_width", "hidden_layers", k, budgetStable(gs), Kind.LOG_LOG,
          criticalWidthPoint("hidden_layers"), CRIT_NOTE + budgetNote(gs)));
      out.add(fit("steps_to_target", "hidden_layers", k, gs, Kind.LOG_LOG, stepsPoint("hidden_layers"), STEPS_NOTE));
      out.add(fit("steps_to_target", "log_hidden_layers", k, gs, Kind.SEMI_LOG, stepsPoint("hidden_layers"),
          STEPS_NOTE));
    });
    for (Group g : groups) {
      if (g.cells.size() < 2) {
        continue;
      }
      Regime regime = Regime.of(g, critical);
      out.add(LazyFits.regimeFit("max_neuron_distance", g, regime, Obs::maxDist));
      out.add(LazyFits.regimeFit("flip_fraction", g, regime, Obs::flip));
      if (g.cells.values().stream().anyMatch(c -> c.obs().stream().anyMatch(o -> o.surrogateGap() != null))) {
        out.add(fit("surrogate_gap", "width", g.key, List.of(g), Kind.LOG_LOG, LazyFits.surrogateGap(),
            "y: mean surrogate_gap over all runs at each width, a run without a finite gap (diverged) counted as the"
                + " group's largest finite gap"));
      }
      if (deepNeighborhoodGroup(g)) {
        out.add(LazyFits.regimeFit("max_layer_distance", g, regime, Obs::layerDist));
        out.add(fit("max_relative_distance", "width", g.key, List.of(g), Kind.LOG_LOG, regimeMean(Obs::relDist),
            REGIME_NOTE + " (described, not judged: ||W0||_F grows as sqrt(m), so the relative distance falls as"
                + " m^-1/2 for free)"));
      }
      if (duRateGroup(g)) {
        out.add(LazyFits.rateShare(g, regime));
      }
    }
    // Described, not judged (du_rate reads rate_bound_share): pooled over the widths where half converge.
    List<Group> du = groups.stream().filter(FitTable::duRateGroup).toList();
    if (!du.isEmpty()) {
      String runsNote = "points: converged runs with lambda0 at widths whose success rate reaches the threshold";
      out.add(fit("rate_min_over_bound", "lr_lambda0_over_2", DU_RATE_KEY, du, Kind.MEDIAN_RATIO,
          ratePoints(0.5, Obs::rateMin), runsNote + "; bound = lr * lambda0 / 2 (Du et al.)"));
      out.add(fit("rate_fit", "lr_lambda0", DU_RATE_KEY, du, Kind.LOG_LOG, ratePoints(1.0, Obs::rateFit), runsNote));
      out.add(fit("rate_min", "lr_lambda0", DU_RATE_KEY, du, Kind.LOG_LOG, ratePoints(1.0, Obs::rateMin), runsNote));
    }
    out.addAll(Generalization.fits(groups));
    return out;
  }
}
