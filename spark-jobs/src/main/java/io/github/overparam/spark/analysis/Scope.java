package io.github.overparam.spark.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * verdicts.scope: the setting and range a verdict was tested on, from the groups (and widths) it
 * read: "n = 16 ... 64, d = 10, L = 1, two_layer/du, gd lr = 0.5, half_sum_squared, widths 256 ...
 * 4096, 8 seeds" (L = hidden layers of the net as built).
 */
final class Scope {
  private Scope() {}

  /** The scope of {@code groups}; {@code widths}: the widths read (null: every width of the groups). */
  static String of(Collection<Group> groups, Collection<Integer> widths) {
    if (groups.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    parts.add("n = " + range(groups, "n"));
    parts.add("d = " + range(groups, "d"));
    parts.add("L = " + range(groups, "hidden_layers"));
    parts.add(values(groups, g -> g.value("model") + "/" + g.value("parameterization")));
    parts.add(values(groups, g -> g.value("optimizer") + (g.value("lr_rule") != null ? " lr = " + g.value("lr_rule")
        : g.value("lr") != null ? " lr = " + GroupKeys.format(g.value("lr")) : "")
        + (g.value("batch_size") != null ? " batch " + g.value("batch_size") : "")));
    parts.add(values(groups, g -> String.valueOf(g.value("loss_fn"))));
    parts.add("max_steps = " + values(groups, g -> g.value("max_steps_rule") != null ? String.valueOf(g.value(
        "max_steps_rule")) : GroupKeys.format(g.value("max_steps"))));
    TreeSet<Integer> w = new TreeSet<>();
    TreeSet<Long> seeds = new TreeSet<>();
    for (Group g : groups) {
      for (int x : g.widths()) {
        if (widths == null || widths.contains(x)) {
          w.add(x);
        }
      }
      seeds.addAll(g.seeds());
    }
    if (!w.isEmpty()) {
      parts.add("widths " + (w.size() == 1 ? w.first() : w.first() + " ... " + w.last()));
    }
    parts.add(seeds.size() + (seeds.size() == 1 ? " seed" : " seeds"));
    return String.join(", ", parts);
  }

  private static String range(Collection<Group> groups, String column) {
    TreeSet<Double> v = new TreeSet<>();
    for (Group g : groups) {
      if (g.value(column) != null) {
        v.add(g.number(column));
      }
    }
    if (v.isEmpty()) {
      return "?";
    }
    return v.size() == 1 ? GroupKeys.format(v.first()) : GroupKeys.format(v.first()) + " ... "
        + GroupKeys.format(v.last());
  }

  private static String values(Collection<Group> groups, Function<Group, String> f) {
    TreeSet<String> v = new TreeSet<>();
    for (Group g : groups) {
      v.add(Objects.toString(f.apply(g)));
    }
    return String.join(" | ", v);
  }
}
