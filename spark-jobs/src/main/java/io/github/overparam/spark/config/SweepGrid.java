package io.github.overparam.spark.config;

import io.github.overparam.core.run.RunSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A grid as data: its axes and the rules that turn a grid point into a run, never the list of
 * runs. Run k is decoded from k alone ({@link Grid}, mixed radix, seeds innermost); grid points
 * that give an identical run are kept once, at the first index, exactly as an expansion of the
 * whole grid in order would keep them, but decided from k alone: only the "collapsible" axes can
 * make two points give one run (relative values, which are rounded; keys that apply only with
 * some values of another key and are dropped elsewhere; an axis listing a value twice), so run k
 * is a repeat exactly when an earlier combination of the collapsible axes, the other axes as at k,
 * gives the same run. Each decode costs one run assembly, plus one per earlier combination of the
 * collapsible axes (none in most grids).
 */
public final class SweepGrid {
  /** Keys dropped (0) where the key they depend on does not have the values they apply with. */
  private static final Set<String> APPLIES_WITH = Set.of("data.teacher_width", "train.batch_size");

  private final Grid grid;
  private final RunAssembly assembly;
  /** Positions (in grid order) of the collapsible axes. */
  private final int[] collapsible;
  private final int[] radix;
  private final int seeds;

  SweepGrid(ParsedConfig parsed, Grid grid, RunAssembly assembly) {
    this.grid = grid;
    this.assembly = assembly;
    List<Param> axes = parsed.axes();
    radix = new int[axes.size()];
    List<Integer> c = new ArrayList<>();
    for (int a = 0; a < axes.size(); a++) {
      Param p = axes.get(a);
      radix[a] = p.values().size();
      if (p.scale() != null || APPLIES_WITH.contains(p.path()) || Set.copyOf(p.values()).size() != p.values().size()) {
        c.add(a);
      }
    }
    collapsible = c.stream().mapToInt(Integer::intValue).toArray();
    seeds = parsed.seeds.size();
  }

  /** Grid points, seeds included, before identical runs are merged. */
  public long size() {
    return (long) grid.size();
  }

  /** Grid points without the seed axis ({@link #size()} / seeds). */
  public long points() {
    return size() / seeds;
  }

  /** Seeds per grid point. */
  public int seeds() {
    return seeds;
  }

  /** The grid's shape, e.g. {@code data.n 3 x model.width 9 x seed 8}. */
  public String shape() {
    return grid.shape();
  }

  /**
   * Run k, or null when k repeats an earlier run or its point is invalid (the walk at load time
   * reports why; an executor never sees an invalid point of a loaded grid).
   */
  public RunSpec run(long k) {
    return run(k, new ConfigErrors());
  }

  RunSpec run(long k, ConfigErrors errors) {
    long seedIndex = k % seeds;
    long point = k / seeds;
    long seed = grid.seed(k);
    RunSpec spec = assembly.run(grid.point(k), seed, errors);
    if (spec == null || collapsible.length == 0) {
      return spec;
    }
    int[] digits = digits(point);
    int[] own = new int[collapsible.length];
    for (int i = 0; i < collapsible.length; i++) {
      own[i] = digits[collapsible[i]];
    }
    // Every earlier combination of the collapsible axes' digits, lexicographically, the rest as at k.
    int[] c = new int[collapsible.length];
    while (compare(c, own) < 0) {
      for (int i = 0; i < collapsible.length; i++) {
        digits[collapsible[i]] = c[i];
      }
      long earlier = index(digits) * seeds + seedIndex;
      RunSpec other = assembly.run(grid.point(earlier), seed, new ConfigErrors());
      if (spec.equals(other)) {
        return null;
      }
      increment(c);
    }
    return spec;
  }

  /** Runs {@code consumer} on each grid point's first seed's run that is kept (invalid points reported to {@code errors}). */
  void forEachPoint(ConfigErrors errors, PointConsumer consumer) {
    long points = points();
    for (long p = 0; p < points; p++) {
      RunSpec spec = run(p * seeds, errors);
      if (spec != null) {
        consumer.accept(p, spec);
      }
      if (errors.size() > ConfigLoader.MAX_ERRORS) {
        return;
      }
    }
  }

  /** Receives a kept grid point: its index without seeds and its first seed's run. */
  @FunctionalInterface
  interface PointConsumer {
    void accept(long point, RunSpec firstSeed);
  }

  /** The value of every leaf at run k (for a search probe's rebuild). */
  Map<String, Object> values(long k) {
    return grid.point(k);
  }

  /** The seed of run k. */
  long seed(long k) {
    return grid.seed(k);
  }

  RunSpec assemble(Map<String, Object> values, long seed, ConfigErrors errors) {
    return assembly.run(values, seed, errors);
  }

  private int[] digits(long point) {
    int[] d = new int[radix.length];
    long rest = point;
    for (int a = radix.length - 1; a >= 0; a--) {
      d[a] = (int) (rest % radix[a]);
      rest /= radix[a];
    }
    return d;
  }

  private long index(int[] digits) {
    long k = 0;
    for (int a = 0; a < radix.length; a++) {
      k = k * radix[a] + digits[a];
    }
    return k;
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }

  private void increment(int[] c) {
    for (int i = c.length - 1; i >= 0; i--) {
      if (++c[i] < radix[collapsible[i]]) {
        return;
      }
      c[i] = 0;
    }
  }
}
