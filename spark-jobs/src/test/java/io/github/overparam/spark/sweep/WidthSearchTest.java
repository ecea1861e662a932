package io.github.overparam.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The bisection against monotone synthetic oracles, without Spark. */
class WidthSearchTest {

  /** Runs the search on an oracle; returns the measured rates. */
  static SortedMap<Integer, Double> search(IntToDoubleFunction oracle, SearchOptions o) {
    SortedMap<Integer, Double> rates = new TreeMap<>();
    for (int round = 0; round < 100; round++) {
      List<Integer> probes = WidthSearch.nextProbes(rates, o);
      if (probes.isEmpty()) {
        return rates;
      }
      for (int w : probes) {
        rates.put(w, oracle.applyAsDouble(w));
      }
    }
    throw new AssertionError("search did not settle");
  }

  @Test
  void findsTheExactThresholdOfAStepOracle() {
    SearchOptions o = new SearchOptions(4, 4096, 1.0001, 0.5);
    for (int critical : new int[] {5, 37, 100, 1000, 4096}) {
      SortedMap<Integer, Double> rates = search(w -> w >= critical ? 1.0 : 0.0, o);
      int[] b = WidthSearch.bracket(rates, 0.5);
      assertEquals(critical, b[1], "smallest succeeding width");
      assertEquals(critical - 1, b[0], "largest failing width below it");
      // Doubling from 4 (at most 11 probes) then log-scale bisection of one octave to a ratio of
      // 1 + 1/4096 (about log2(ln(2) * 4096) = 11.5 probes).
      assertTrue(rates.size() <= 24, "probes " + rates.size());
    }
  }

  @Test
  void stopsAtTheResolutionAndSettlesOutOfRangeGroups() {
    SearchOptions o = new SearchOptions(8, 1024, Math.pow(2, 0.25), 0.5);
    SortedMap<Integer, Double> rates = search(w -> Math.min(1, Math.max(0, (Math.log(w) - Math.log(60)) + 0.5)), o);
    int[] b = WidthSearch.bracket(rates, 0.5);
    assertTrue((double) b[1] / b[0] <= Math.pow(2, 0.25), "bracket " + b[0] + ".." + b[1]);
    assertTrue(b[0] < 60 && 60 <= b[1], "the true critical width 60 lies in the bracket");
    assertEquals(1, search(w -> 1.0, o).size(), "succeeds at the smallest width: settled after one probe");
    // Fails everywhere: 8, 16, ..., 1024, then settled.
    assertEquals(8, search(w -> 0.0, o).size());
    assertEquals(List.of(8, 16, 32, 64), List.copyOf(search(w -> w >= 40 ? 1.0 : 0.0,
        new SearchOptions(8, 1024, 2.0, 0.5)).keySet()), "doubling until a success, then settled at ratio 2");
    assertThrows(IllegalArgumentException.class, () -> new SearchOptions(8, 8, 1.2, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new SearchOptions(8, 16, 1.0, 0.5));
  }
}
