package io.github.overparam.spark.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The grid: the Cartesian product of the axes, in document order with the last axis varying
 * fastest, and the seeds innermost. Run k is decoded from k alone (mixed radix over the axes'
 * sizes, the seeds the lowest digit), so any run can be rebuilt from its index without walking the
 * grid and without state carried from one run to the next.
 */
final class Grid {
  private final List<Param> axes;
  private final List<Long> seeds;
  /** Every leaf's single (first) value; the axes' entries are replaced per point. */
  private final Map<String, Object> base = new HashMap<>();

  Grid(ParsedConfig parsed) {
    this.axes = parsed.axes();
    this.seeds = parsed.seeds;
    for (Param p : parsed.params.values()) {
      base.put(p.path(), p.single());
    }
  }

  /** Runs in the grid, before identical runs are merged; a double, so that a huge grid cannot overflow. */
  double size() {
    double size = seeds.size();
    for (Param p : axes) {
      size *= p.values().size();
    }
    return size;
  }

  /** The grid's shape, e.g. {@code data.n 3 x model.width 9 x seed 8}. */
  String shape() {
    StringJoiner shape = new StringJoiner(" x ");
    for (Param p : axes) {
      shape.add(p.path() + " " + p.values().size());
    }
    shape.add("seed " + seeds.size());
    return shape.toString();
  }

  /** The seed of run k. */
  long seed(long k) {
    return seeds.get((int) (k % seeds.size()));
  }

  /** The value of every leaf at run k, by path ("data.n"): mixed radix over the axes, last axis fastest. */
  Map<String, Object> point(long k) {
    Map<String, Object> point = new HashMap<>(base);
    long rest = k / seeds.size();
    for (int a = axes.size() - 1; a >= 0; a--) {
      List<Object> values = axes.get(a).values();
      point.put(axes.get(a).path(), values.get((int) (rest % values.size())));
      rest /= values.size();
    }
    return point;
  }
}
