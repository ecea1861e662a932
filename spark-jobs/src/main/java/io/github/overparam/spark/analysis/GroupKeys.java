package io.github.overparam.spark.analysis;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The names of groups and slices. A group's {@code group_key} is "col=value" for each group column
 * whose value varies across the sweep's groups, in {@link AnalysisTables#GROUP_COLUMNS} order,
 * joined by ';' ("all" when the sweep has one group). A column whose value follows from the
 * varying columns before it in that order (hidden_layers from depth, an lr or n_test given relative
 * to n: the order puts what a config sets before what follows from it) is left out. A slice (the
 * {@code group_key} of an across-group fit) is the same with the fit's x column, and the columns it
 * determines, left out.
 */
public final class GroupKeys {
  /**
   * The group columns that say which net was trained, and in which arithmetic: a fit never pools two
   * of them (f32 and f64 runs of one net are two groups and two slices).
   */
  static final List<String> NET = List.of("model", "parameterization", "activation", "precision");

  private GroupKeys() {}

  /** The columns whose value differs between groups, in group-column order. */
  static List<String> varying(List<Group> groups) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < AnalysisTables.GROUP_COLUMNS.size(); i++) {
      Object first = groups.get(0).values.get(i);
      for (Group g : groups) {
        if (!Objects.equals(first, g.values.get(i))) {
          out.add(AnalysisTables.GROUP_COLUMNS.get(i));
          break;
        }
      }
    }
    return out;
  }

  /** Sets every group's {@code key}. */
  static void assign(List<Group> groups) {
    List<String> columns = keyColumns(groups, null);
    for (Group g : groups) {
      g.key = key(g, columns, null);
    }
  }

  /**
   * The columns that name a slice of the groups for a fit against {@code x} (null: name a group):
   * the varying columns except {@code x}, without each one that is a function, over the groups, of
   * the kept varying columns before it (in group-column order) and {@code x}. In a full grid the
   * config's own axes vary independently, so only what follows from them (relative values, tied
   * columns) is left out. The columns that name the net ({@link #NET}) are never left out of a
   * slice for following from {@code x}: a sweep whose cases pair Du's two-layer net with a deep net
   * of Zou et al. varies the architecture with the depth, and a fit against the depth must not read
   * the change of net as an effect of depth.
   */
  static List<String> keyColumns(List<Group> groups, String x) {
    List<List<Object>> rows = groups.stream().map(g -> g.values).toList();
    List<String> kept = new ArrayList<>(varying(groups));
    kept.remove(x);
    for (int i = kept.size() - 1; i >= 0; i--) {
      String c = kept.get(i);
      List<String> others = new ArrayList<>(kept.subList(0, i));
      if (x != null && !NET.contains(c)) {
        others.add(x);
      }
      if (determined(rows, AnalysisTables.GROUP_COLUMNS, c, others)) {
        kept.remove(i);
      }
    }
    return kept;
  }

  /**
   * Of {@code columns} (in group-column order; each one a name in {@code names}), those left when each
   * one that is a function, over {@code rows} (values in {@code names} order), of the kept columns
   * before it is left out: the reduction that names a group ({@link #keyColumns} with no x), on any
   * rows of group values. Sweep folders are partitioned by it ({@code sweep.Compaction}).
   */
  public static List<String> independent(List<String> columns, List<String> names, List<List<Object>> rows) {
    List<String> kept = new ArrayList<>(columns);
    for (int i = kept.size() - 1; i >= 0; i--) {
      if (determined(rows, names, kept.get(i), kept.subList(0, i))) {
        kept.remove(i);
      }
    }
    return kept;
  }

  /**
   * Per group (in the given order), the key of the slice it belongs to in the fits against
   * {@code x} (null: its own group key): what the fits/ group_key of an across-group fit is.
   */
  public static List<String> sliceKeys(List<List<Object>> groupValues, String x) {
    List<Group> groups = groupValues.stream().map(Group::new).toList();
    List<String> columns = keyColumns(groups, x);
    return groups.stream().map(g -> key(g, columns, x)).toList();
  }

  /** Whether column {@code c} is a function of {@code columns} over {@code rows} (values in {@code names} order). */
  private static boolean determined(List<List<Object>> rows, List<String> names, String c, List<String> columns) {
    int ci = names.indexOf(c);
    int[] at = columns.stream().mapToInt(names::indexOf).toArray();
    Map<List<Object>, Object> seen = new HashMap<>();
    for (List<Object> r : rows) {
      List<Object> k = new ArrayList<>(at.length);
      for (int j : at) {
        k.add(r.get(j));
      }
      Object v = r.get(ci);
      if (seen.containsKey(k) && !Objects.equals(seen.get(k), v)) {
        return false;
      }
      seen.put(k, v);
    }
    return true;
  }

  /** "col=value;..." over {@code columns} except {@code without}; "all" when empty. */
  static String key(Group g, List<String> columns, String without) {
    List<String> parts = new ArrayList<>();
    for (String c : columns) {
      if (!c.equals(without)) {
        parts.add(c + "=" + format(g.value(c)));
      }
    }
    return parts.isEmpty() ? "all" : String.join(";", parts);
  }

  static String format(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? d.toString() : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    return v.toString();
  }
}
