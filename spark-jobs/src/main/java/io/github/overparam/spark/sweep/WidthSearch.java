package io.github.overparam.spark.sweep;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The bisection of one group's critical width on a log scale, as a pure function of the success
 * rates measured so far: tested without Spark on synthetic oracles, and re-derived from the runs
 * table on resume (so a resumed search probes exactly what an uninterrupted one would).
 *
 * <p>Round 0 probes both ends. If the smallest width already succeeds (critical width below the
 * range) or the largest fails (above it), the group is settled. Otherwise, with hi the smallest
 * width that succeeds and lo the largest smaller width that fails, probe round(sqrt(lo hi)) until
 * hi / lo <= resolution. Success rates are assumed to grow with width, as the theory says; a
 * non-monotone measurement only makes the bracket the first crossing.
 */
public final class WidthSearch {
  private WidthSearch() {}

  /** Widths to probe next (all seeds each); empty when the group is settled. */
  public static List<Integer> nextProbes(SortedMap<Integer, Double> rates, SearchOptions o) {
    Double atMin = rates.get(o.minWidth());
    Double atMax = rates.get(o.maxWidth());
    if (atMin == null || atMax == null) {
      return atMin == null && atMax == null ? List.of(o.minWidth(), o.maxWidth())
          : List.of(atMin == null ? o.minWidth() : o.maxWidth());
    }
    if (atMin >= o.threshold() || atMax < o.threshold()) {
      return List.of();
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
