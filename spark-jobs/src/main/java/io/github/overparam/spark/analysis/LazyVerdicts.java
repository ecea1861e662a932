package io.github.overparam.spark.analysis;

import io.github.overparam.spark.analysis.FitTable.FitRow;
import io.github.overparam.spark.analysis.Group.Cell;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The lazy-training claims (du_rate, du_distance_sqrt_m, du_flips_vanish, az_zou_movement_shrinks):
 * judged per group only in its over-parameterized regime ({@link Regime}), counting every run there
 * (a diverged run is a violation); a group without a regime is inconclusive with the reason.
 */
final class LazyVerdicts {
  private final CriticalTable critical;

  LazyVerdicts(CriticalTable critical) {
    this.critical = critical;
  }

  /** The verdict row of a lazy-training claim, or the reason the sweep cannot speak to it. */
  Object verdict(Claim claim, List<Group> groups, List<FitRow> fits) {
    Predicate<Group> applies;
    String none;
    if (claim == Claims.DU_RATE) {
      applies = FitTable::duRateGroup;
      none = "no Du two-layer group trained by GD on half_sum_squared";
    } else if (claim == Claims.AZ_ZOU_MOVEMENT_SHRINKS) {
      applies = FitTable::deepNeighborhoodGroup;
      none = "no deep, resnet or cnn group in the allen_zhu or zou parameterization";
    } else {
      applies = Group::isDuTwoLayer;
      none = "no Du two-layer group";
    }
    List<Group> used = groups.stream().filter(applies).filter(g -> g.cells.size() >= 2).toList();
    if (used.isEmpty()) {
      return none + " with two widths or more";
    }
    Map<String, String> reasons = new HashMap<>();
    List<String> divergedIn = new ArrayList<>();
    TreeSet<Integer> widths = new TreeSet<>();
    List<String> shares = new ArrayList<>();
    for (Group g : used) {
      Regime r = Regime.of(g, critical);
      reasons.put(g.key, r.reason());
      Arrays.stream(r.widths()).forEach(widths::add);
      int diverged = 0;
      for (Cell c : g.cells.values()) {
        if (r.contains(c.width())) {
          diverged += c.diverged();
        }
      }
      if (r.ok() && diverged > 0 && claim != Claims.DU_RATE) {
        divergedIn.add(g.key + " (" + diverged + " runs)");
      }
      if (claim == Claims.DU_RATE && r.widths().length > 0) {
        int[][] counts = LazyFits.rateCounts(g.sample(null));
        List<String> perWidth = new ArrayList<>();
        int[] all = g.widths();
        for (int k = 0; k < all.length; k++) {
          if (r.contains(all[k]) && counts[k][0] > 0) {
            perWidth.add(String.format(Locale.ROOT, "m=%d: %d/%d", all[k], counts[k][1], counts[k][0]));
          }
        }
        shares.add((used.size() > 1 ? g.key + ": " : "") + "runs meeting the bound per width " + perWidth);
      }
    }
    List<FitRow> rows = VerdictTable.select(claim, fits,
        k -> used.stream().anyMatch(g -> g.key.equals(k)));
    if (rows.isEmpty()) {
      return none + " with a fit";
    }
    String forcedWhy = divergedIn.isEmpty() ? null : "runs diverged at widths in the regime, which no neighborhood"
        + " of initialization contains: false in " + String.join(", ", divergedIn);
    return VerdictTable.fromFits(claim, rows, reasons, Scope.of(used, widths.isEmpty() ? null : widths),
        String.join("; ", shares), divergedIn.isEmpty() ? null : Verdict.FALSE, forcedWhy);
  }
}
