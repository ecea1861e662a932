package io.github.overparam.spark.analysis;

import io.github.overparam.spark.analysis.FitTable.FitRow;
import io.github.overparam.spark.analysis.FitTable.Kind;
import io.github.overparam.spark.analysis.FitTable.Points;
import io.github.overparam.spark.analysis.Group.Obs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The fits the lazy-training, surrogate and time claims read: per group, on the widths of its
 * over-parameterized regime ({@link Regime}) and every run there; the surrogate gap with diverged
 * runs counted as maximal gaps; the time in the paper's units at widths >= n^2 L.
 */
final class LazyFits {
  private LazyFits() {}

  static final String LAZY_NOTE = "y: mean over every run that did not diverge (any other status) at the widths >= "
      + Regime.FACTOR + "x the group's critical width";

  /** Per regime width, the mean of a metric over the non-diverged runs with a finite positive value. */
  static Points lazyMean(Regime regime, Function<Obs, Double> metric) {
    return (g, s) -> {
      int[] widths = g.widths();
      List<double[]> pts = new ArrayList<>();
      for (int k = 0; k < widths.length; k++) {
        if (!regime.contains(widths[k])) {
          continue;
        }
        double[] v = s.get(k).stream().filter(o -> !o.diverged()).map(metric).filter(x -> x != null && x > 0
            && Double.isFinite(x)).mapToDouble(Double::doubleValue).toArray();
        if (v.length > 0) {
          pts.add(new double[] {widths[k], Arrays.stream(v).average().orElseThrow()});
        }
      }
      return pts;
    };
  }

  /** A regime fit of a group, or an empty row whose note says why the group has none. */
  static FitRow regimeFit(String quantity, Group g, Regime regime, Function<Obs, Double> metric) {
    if (regime.widths().length == 0) {
      return FitRow.empty(quantity, "width", g.key, 0, LAZY_NOTE + "; no such width: " + regime.reason());
    }
    return FitTable.fit(quantity, "width", g.key, List.of(g), Kind.LOG_LOG, lazyMean(regime, metric), LAZY_NOTE);
  }

  /**
   * Whether a run meets Du et al.'s bound: rate_min >= lr lambda0 / 2. A run without a rate (diverged,
   * failed) violates it; null when the run has no lambda0 or lr (the bound is unknown).
   */
  static Boolean meetsRateBound(Obs o) {
    if (o.lambda0() == null || o.lr() == null) {
      return null;
    }
    if (o.diverged() || o.rateMin() == null || o.rateMin().isNaN()) {
      return false;
    }
    return o.rateMin() >= o.lr() * o.lambda0() / 2;
  }

  /** Per width of the sample, {runs with a known bound, runs meeting it}. */
  static int[][] rateCounts(List<List<Obs>> s) {
    int[][] out = new int[s.size()][2];
    for (int k = 0; k < s.size(); k++) {
      for (Obs o : s.get(k)) {
        Boolean meets = meetsRateBound(o);
        if (meets != null) {
          out[k][0]++;
          out[k][1] += meets ? 1 : 0;
        }
      }
    }
    return out;
  }

  /**
   * Du's rate: the share of every run (diverged = violation) meeting the bound at the widest regime
   * width, with its seed-bootstrap interval. Empty (note says why) without a regime width.
   */
  static FitRow rateShare(Group g, Regime regime) {
    String quantity = "rate_bound_share";
    String note = "exponent = share of all runs at the widest width >= " + Regime.FACTOR + "x the critical width with"
        + " rate_min >= lr * lambda0 / 2 (a diverged run or one without a rate violates it; not a power law)";
    if (regime.widths().length == 0) {
      return FitRow.empty(quantity, "width", g.key, 0, note + "; no such width: " + regime.reason());
    }
    int widest = regime.widths()[regime.widths().length - 1];
    int k = Arrays.binarySearch(g.widths(), widest);
    Function<List<List<Obs>>, Double> share = s -> {
      int[] c = rateCounts(s)[k];
      return c[0] == 0 ? null : c[1] / (double) c[0];
    };
    Double value = share.apply(g.sample(null));
    if (value == null) {
      return FitRow.empty(quantity, "width", g.key, 0, note + "; no run with lambda0 and lr at width " + widest);
    }
    long[] seeds = g.seeds().stream().mapToLong(Long::longValue).toArray();
    Bootstrap.Interval ci = Bootstrap.interval(quantity + "|width|" + g.key, seeds, r -> share.apply(g.sample(r)));
    double[] xs = Arrays.stream(regime.widths()).asDoubleStream().toArray();
    return new FitRow(quantity, "width", g.key, new FitRow.Numbers(value, ci.low(), ci.high(), null, null),
        rateCounts(g.sample(null))[k][0], note + String.format(Locale.ROOT, " (width %d)", widest) + ci.note(),
        new FitRow.Sampling(ci.withoutEstimate(), seeds.length, xs, ci.values()));
  }

  /**
   * Per width, the mean surrogate gap over every run, a run without a finite gap (diverged) counted
   * as the largest finite gap of the group's sample.
   */
  static Points surrogateGap() {
    return (g, s) -> {
      double max = s.stream().flatMap(List::stream).map(Obs::surrogateGap).filter(x -> x != null && Double.isFinite(
          x)).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
      int[] widths = g.widths();
      List<double[]> pts = new ArrayList<>();
      for (int k = 0; k < widths.length; k++) {
        double[] v = s.get(k).stream().map(o -> o.surrogateGap() != null && Double.isFinite(o.surrogateGap())
            ? o.surrogateGap()
            : o.diverged() || o.surrogateGap() != null ? max : null).filter(x -> x != null && x > 0 && Double.isFinite(
                x)).mapToDouble(Double::doubleValue).toArray();
        if (v.length > 0) {
          pts.add(new double[] {widths[k], Arrays.stream(v).average().orElseThrow()});
        }
      }
      return pts;
    };
  }

  /** The kernel's lambda_min for the paper's time units: the architecture's NTK limit, else Du's lambda0. */
  static Double kernel(Group g, Obs o) {
    if (o.kernel() != null && o.kernel() > 0) {
      return o.kernel();
    }
    return g.isDuTwoLayer() ? o.lambda0() : null;
  }

  /** Whether a width is at least Noy et al.'s n^2 L (L = hidden layers as built). */
  static boolean noyWidth(Group g, int width) {
    return width >= g.number("n") * g.number("n") * g.number("hidden_layers");
  }

  /**
   * Per group, (n, median over its converged runs at widths >= n^2 L of steps x lr x lambda_min):
   * the time in the paper's units.
   */
  static Points paperTime() {
    return (g, s) -> {
      int[] widths = g.widths();
      List<Double> t = new ArrayList<>();
      for (int k = 0; k < widths.length; k++) {
        if (!noyWidth(g, widths[k])) {
          continue;
        }
        for (Obs o : s.get(k)) {
          Double lam = kernel(g, o);
          if (o.converged() && o.steps() != null && o.lr() != null && lam != null) {
            t.add(o.steps() * o.lr() * lam);
          }
        }
      }
      return t.isEmpty() ? List.of() : List.<double[]>of(new double[] {g.number("n"),
          Bootstrap.quantile(t.stream().mapToDouble(Double::doubleValue).toArray(), 0.5)});
    };
  }
}
