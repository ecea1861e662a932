package io.github.overparam.spark.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a fit needs before it may decide a verdict: at least {@link #MIN_SEEDS} seeds (below that a
 * nominal 95% seed-bootstrap interval covers far less than 95%) and at least {@link #MIN_X} distinct
 * x-values spanning a factor of {@link #MIN_SPAN} or more. A fit that misses any of them is
 * described, and its verdict is inconclusive, naming the condition it failed.
 */
final class Sample {
  private Sample() {}

  static final int MIN_SEEDS = 8;
  static final int MIN_X = 4;
  static final double MIN_SPAN = 8.0;

  /** The conditions a fit with these seeds and x-values fails, in words; empty when it meets them all. */
  static List<String> failed(int seeds, double[] xs) {
    List<String> out = new ArrayList<>();
    if (seeds < MIN_SEEDS) {
      out.add(seeds + " seeds (need >= " + MIN_SEEDS + ")");
    }
    long distinct = Arrays.stream(xs).distinct().count();
    if (distinct < MIN_X) {
      out.add(distinct + " x-values (need >= " + MIN_X + ")");
    }
    double span = span(xs);
    if (!(span >= MIN_SPAN)) {
      out.add(String.format(Locale.ROOT, "x spans a factor %.3g (need >= %s)", span, Rule.number(MIN_SPAN)));
    }
    return out;
  }

  /** max / min of positive x-values; 1 for fewer than one. */
  static double span(double[] xs) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (double x : xs) {
      if (x > 0) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    return hi > 0 ? hi / lo : 1.0;
  }
}
