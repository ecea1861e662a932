package io.github.overparam.spark.analysis;

import io.github.overparam.core.Names;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.spark.analysis.FitTable.FitRow;
import io.github.overparam.spark.analysis.Group.Cell;
import io.github.overparam.spark.analysis.Group.Obs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Kawaguchi & Huang's generalization contrast: groups with held-out points and class labels (k
 * classes: the digits' ten, or two for sign, teacher_sign and digit_parity), paired with the group
 * that differs only in random_labels. Per pair, at the widest width both have: the mean held-out
 * test accuracy of each arm's converged runs, with seed-bootstrap intervals (seeds resampled
 * jointly: a seed gives both arms the same inputs), to compare with chance 1/k.
 */
final class Generalization {
  private Generalization() {}

  /** Label kinds with classes, and their number of classes k. */
  static final Map<String, Integer> CLASSES = Map.of(Names.of(LabelKind.DIGIT), 10, Names.of(LabelKind.DIGIT_PARITY),
      2, Names.of(LabelKind.SIGN), 2, Names.of(LabelKind.TEACHER_SIGN), 2);

  /** A true-label / random-label pair at its widest common width. */
  record Pair(Group trueArm, Group randomArm, int width, String sliceKey, int classes) {}

  static List<Pair> pairs(List<Group> groups) {
    List<String> sliceColumns = GroupKeys.keyColumns(groups, "random_labels");
    Map<String, Group[]> pairs = new LinkedHashMap<>();
    for (Group g : groups) {
      Object nTest = g.value("n_test");
      if (nTest == null || ((Number) nTest).intValue() <= 0 || !CLASSES.containsKey(g.value("labels"))
          || g.value("random_labels") == null) {
        continue;
      }
      Group[] pair = pairs.computeIfAbsent(GroupKeys.key(g, AnalysisTables.GROUP_COLUMNS, "random_labels"),
          k -> new Group[2]);
      pair[Boolean.TRUE.equals(g.value("random_labels")) ? 1 : 0] = g;
    }
    List<Pair> out = new ArrayList<>();
    for (Group[] pair : pairs.values()) {
      if (pair[0] == null || pair[1] == null) {
        continue;
      }
      TreeSet<Integer> common = new TreeSet<>(pair[0].cells.keySet());
      common.retainAll(pair[1].cells.keySet());
      if (!common.isEmpty()) {
        out.add(new Pair(pair[0], pair[1], common.last(), GroupKeys.key(pair[0], sliceColumns, "random_labels"),
            CLASSES.get((String) pair[0].value("labels"))));
      }
    }
    return out;
  }

  static List<FitRow> fits(List<Group> groups) {
    List<FitRow> out = new ArrayList<>();
    for (Pair p : pairs(groups)) {
      out.add(arm("test_accuracy_true", p, p.trueArm()));
      out.add(arm("test_accuracy_random", p, p.randomArm()));
    }
    return out;
  }

  private static FitRow arm(String quantity, Pair p, Group g) {
    Cell c = g.cells.get(p.width());
    long[] seeds = new TreeSet<>(c.bySeed().keySet()).stream().mapToLong(Long::longValue).toArray();
    String note = "exponent = mean test_accuracy of the converged runs at width " + p.width() + " (chance 1/"
        + p.classes() + "; not a power law)";
    Double point = mean(c, null);
    if (point == null) {
      return FitRow.empty(quantity, "random_labels", p.sliceKey(), 0, note + "; no converged run with a test accuracy");
    }
    Bootstrap.Interval ci = Bootstrap.interval(quantity + "|random_labels|" + p.sliceKey(), seeds, r -> mean(c, r));
    int used = (int) Group.cellSample(c, null).stream().filter(Generalization::usable).count();
    return new FitRow(quantity, "random_labels", p.sliceKey(), new FitRow.Numbers(point, ci.low(), ci.high(), null,
        null), used, note + ci.note(),
        new FitRow.Sampling(ci.withoutEstimate(), seeds.length, new double[] {p.width()}, ci.values()));
  }

  private static boolean usable(Obs o) {
    return o.converged() && o.testAccuracy() != null && !o.testAccuracy().isNaN();
  }

  private static Double mean(Cell c, long[] seeds) {
    double[] v = Group.cellSample(c, seeds).stream().filter(Generalization::usable).mapToDouble(
        Obs::testAccuracy).toArray();
    return v.length == 0 ? null : Arrays.stream(v).average().orElseThrow();
  }
}
