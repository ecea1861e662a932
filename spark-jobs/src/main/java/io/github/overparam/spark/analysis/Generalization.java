package io.github.overparam.spark.analysis;

import io.github.overparam.core.Names;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.spark.analysis.FitTable.FitRow;
import io.github.overparam.spark.analysis.Group.Cell;
import io.github.overparam.spark.analysis.Group.Obs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Kawaguchi & Huang's generalization contrast: groups with held-out points and structured labels
 * (teacher, teacher_sign, the digits' digit_parity and digit, or a user table's column), paired
 * with the group that differs only in random_labels. Per pair: at the widest width both have, the
 * median held-out test_loss of the converged random-label runs over that of the converged
 * true-label runs; the interval resamples seeds jointly (a seed gives both groups the same inputs).
 */
final class Generalization {
  private Generalization() {}

  /** Label kinds with a structure that random labels destroy. */
  static final List<String> STRUCTURED_LABELS = List.of(LabelKind.TEACHER, LabelKind.TEACHER_SIGN,
      LabelKind.DIGIT_PARITY, LabelKind.DIGIT, LabelKind.COLUMN).stream().map(Names::of).toList();

  static List<FitRow> fits(List<Group> groups) {
    List<String> sliceColumns = GroupKeys.keyColumns(groups, "random_labels");
    Map<String, Group[]> pairs = new LinkedHashMap<>();
    for (Group g : groups) {
      Object nTest = g.value("n_test");
      if (nTest == null || ((Number) nTest).intValue() <= 0 || !STRUCTURED_LABELS.contains(g.value("labels"))
          || g.value("random_labels") == null) {
        continue;
      }
      Group[] pair = pairs.computeIfAbsent(GroupKeys.key(g, AnalysisTables.GROUP_COLUMNS, "random_labels"),
          k -> new Group[2]);
      pair[Boolean.TRUE.equals(g.value("random_labels")) ? 1 : 0] = g;
    }
    List<FitRow> out = new ArrayList<>();
    for (Group[] pair : pairs.values()) {
      if (pair[0] == null || pair[1] == null) {
        continue;
      }
      TreeSet<Integer> common = new TreeSet<>(pair[0].cells.keySet());
      common.retainAll(pair[1].cells.keySet());
      if (common.isEmpty()) {
        continue;
      }
      int width = common.last();
      String sliceKey = GroupKeys.key(pair[0], sliceColumns, "random_labels");
      TreeSet<Long> seedSet = new TreeSet<>(pair[0].cells.get(width).bySeed().keySet());
      seedSet.addAll(pair[1].cells.get(width).bySeed().keySet());
      long[] seeds = seedSet.stream().mapToLong(Long::longValue).toArray();
      double[] point = testLossRatio(pair, width, null);
      String note = "exponent = median test_loss (random labels) / median test_loss (true labels), converged runs"
          + " at width " + width + " (not a power law)";
      if (point == null) {
        out.add(FitRow.empty("test_loss_ratio", "random_labels", sliceKey, 0,
            note + "; no converged runs with a test loss in one of the two groups"));
        continue;
      }
      Bootstrap.Interval ci = Bootstrap.interval("test_loss_ratio|random_labels|" + sliceKey, seeds, resampled -> {
        double[] e = testLossRatio(pair, width, resampled);
        return e == null ? null : e[0];
      });
      out.add(new FitRow("test_loss_ratio", "random_labels", sliceKey, point[0], ci.low(), ci.high(), null, null,
          (int) point[1], note + ci.note(), ci.withoutEstimate()));
    }
    return out;
  }

  /** {ratio, runs used} or null. */
  private static double[] testLossRatio(Group[] pair, int width, long[] seeds) {
    double[] medians = new double[2];
    int used = 0;
    for (int i = 0; i < 2; i++) {
      Cell c = pair[i].cells.get(width);
      double[] v = Group.cellSample(c, seeds).stream()
          .filter(o -> o.converged() && o.testLoss() != null && !o.testLoss().isNaN())
          .mapToDouble(Obs::testLoss).toArray();
      if (v.length == 0) {
        return null;
      }
      medians[i] = Bootstrap.quantile(v, 0.5);
      used += v.length;
    }
    return medians[0] > 0 ? new double[] {medians[1] / medians[0], used} : null;
  }
}
