package io.github.overparam.spark.sweep;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The bisection of one group's critical width on a log scale, as a pure function of the success
 * rates measured so far: tested without Spark on synthetic oracles, and re-derived from the runs
 * table on resume (so a resumed search probes exactly what an uninterrupted one would).
 *
 * <p>Bracketing: probe min_width, then double the width until one succeeds (or max_width fails:
 * the critical width is above the range; if min_width succeeds it is below). Bisection: with hi
 * the smallest width that succeeds and lo the largest smaller width that fails, probe
 * round(sqrt(lo hi)) until hi / lo <= resolution. Doubling from below never probes the expensive
 * widths far above the critical one. Success rates are assumed to grow with width, as the theory says; a
 * non-monotone measurement only makes the bracket the first crossing.
 */
public final class WidthSearch {
  private WidthSearch() {}

  /** Growth factor of the bracketing phase: probe min_width, then twice that, ... until one succeeds. */
  public static final int BRACKET_FACTOR = 2;

  /** Widths to probe next (all seeds each); empty when the group is settled. */
  public static List<Integer> nextProbes(SortedMap<Integer, Double> rates, SearchOptions o) {
    if (rates.isEmpty()) {
      return List.of(o.minWidth());
    }
    if (rates.get(rates.firstKey()) >= o.threshold()) {
      return List.of(); // below the range: the smallest width already succeeds
    }
    boolean anySuccess = rates.values().stream().anyMatch(r -> r >= o.threshold());
    if (!anySuccess) {
      int largest = rates.lastKey();
      if (largest >= o.maxWidth()) {
        return List.of(); // above the range: even max_width fails
      }
      return List.of((int) Math.min(o.maxWidth(), (long) largest * BRACKET_FACTOR));
    }
    int[] b = bracket(rates, o.threshold());
    int lo = b[0];
    int hi = b[1];
    if ((double) hi / lo <= o.resolution()) {
      return List.of();
    }
    int mid = (int) Math.round(Math.sqrt((double) lo * hi));
    if (mid <= lo || mid >= hi) {
      return List.of();
    }
    return List.of(mid);
  }

  /** {lo, hi}: hi the smallest width reaching the threshold, lo the largest smaller width below it. */
  static int[] bracket(SortedMap<Integer, Double> rates, double threshold) {
    int hi = -1;
    for (Map.Entry<Integer, Double> e : rates.entrySet()) {
      if (e.getValue() >= threshold) {
        hi = e.getKey();
        break;
      }
    }
    int lo = rates.firstKey();
    for (Map.Entry<Integer, Double> e : rates.headMap(hi).entrySet()) {
      if (e.getValue() < threshold) {
        lo = e.getKey();
      }
    }
    return new int[] {lo, hi};
  }
}
