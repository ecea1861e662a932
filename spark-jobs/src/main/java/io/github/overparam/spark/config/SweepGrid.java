package io.github.overparam.spark.config;

import io.github.overparam.core.run.RunSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

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
 *
 * <p>A config with {@link Cases} is one such grid per case, laid end to end in case order: run k
 * belongs to the case whose index range holds it and is decoded there. The loader refuses cases
 * that give a run twice, so no run repeats across cases.
 */
public final class SweepGrid {
  /** Keys dropped (0) where the key they depend on does not have the values they apply with. */
  private static final Set<String> APPLIES_WITH = Set.of("data.teacher_width", "train.batch_size");
  /** Marks the case of a grid point in {@link #values(long)}. */
  private static final String CASE = "(case)";

  private final List<Part> parts = new ArrayList<>();
  /** Index of each case's first run; the last entry is the size. */
  private final long[] offsets;
  private final int seeds;

  SweepGrid(List<ParsedConfig> cases) {
    offsets = new long[cases.size() + 1];
    for (int c = 0; c < cases.size(); c++) {
      ParsedConfig parsed = cases.get(c);
      Part part = new Part(parsed, new Grid(parsed), new RunAssembly(parsed));
      parts.add(part);
      offsets[c + 1] = offsets[c] + (long) part.grid.size();
    }
    seeds = cases.get(0).seeds.size();
  }

  /** Grid points, seeds included, before identical runs are merged. */
  public long size() {
    return offsets[parts.size()];
  }

  /** Grid points, seeds included, as a double: what the loader compares with its limits before anything overflows. */
  double sizeEstimate() {
    double size = 0;
    for (Part p : parts) {
      size += p.grid.size();
    }
    return size;
  }

  /** The error for a grid above {@code max} runs, or null. */
  ConfigError tooLarge(long max) {
    double size = sizeEstimate();
    if (size <= max) {
      return null;
    }
    return new ConfigError("(grid)", String.format(Locale.ROOT, "%,.0f runs", size), "the grid (" + shape()
        + ") is larger than " + String.format(Locale.ROOT, "%,d", max) + " runs" + (max < ConfigLoader.MAX_POINTS
            ? " (a critical-width search keeps one template per group and seed on the driver)" : "")
        + ": use fewer values or split the sweep");
  }

  /** Grid points without the seed axis ({@link #size()} / seeds). */
  public long points() {
    return size() / seeds;
  }

  /** Seeds per grid point. */
  public int seeds() {
    return seeds;
  }

  /** Cases laid end to end (1 without {@code cases:}). */
  int cases() {
    return parts.size();
  }

  /** The case of run k. */
  int caseOf(long k) {
    int c = 0;
    while (k >= offsets[c + 1]) {
      c++;
    }
    return c;
  }

  /** The grid's shape, e.g. {@code data.n 3 x model.width 9 x seed 8}; with cases, each case's, joined by {@code +}. */
  public String shape() {
    List<String> shapes = new ArrayList<>();
    parts.forEach(p -> shapes.add(p.grid.shape()));
    return parts.size() == 1 ? shapes.get(0) : "cases: " + String.join(" + ", shapes);
  }

  /**
   * Run k, or null when k repeats an earlier run or its point is invalid (the walk at load time
   * reports why; an executor never sees an invalid point of a loaded grid).
   */
  public RunSpec run(long k) {
    return run(k, new ConfigErrors());
  }

  RunSpec run(long k, ConfigErrors errors) {
    int c = caseOf(k);
    return parts.get(c).run(k - offsets[c], errors);
  }

  /**
   * Runs {@code consumer} on each grid point's first seed's run that is kept (invalid points reported to {@code errors}),
   * case after case.
   */
  void forEachPoint(ConfigErrors errors, PointConsumer consumer) {
    forEachPoint(c -> errors, consumer);
  }

  /** As {@link #forEachPoint(ConfigErrors, PointConsumer)}, with the errors of each case's points reported apart. */
  void forEachPoint(IntFunction<ConfigErrors> errorsOfCase, PointConsumer consumer) {
    for (int c = 0; c < parts.size(); c++) {
      Part part = parts.get(c);
      ConfigErrors errors = errorsOfCase.apply(c);
      long first = offsets[c] / seeds;
      long points = (offsets[c + 1] - offsets[c]) / seeds;
      for (long p = 0; p < points; p++) {
        RunSpec spec = part.run(p * seeds, errors);
        if (spec != null) {
          consumer.accept(first + p, spec);
        }
        if (errors.size() > ConfigLoader.MAX_ERRORS) {
          return;
        }
      }
    }
  }

  /** Receives a kept grid point: its index without seeds and its first seed's run. */
  @FunctionalInterface
  interface PointConsumer {
    void accept(long point, RunSpec firstSeed);
  }

  /** The value of every leaf at run k (for a search probe's rebuild), with the case it belongs to. */
  Map<String, Object> values(long k) {
    int c = caseOf(k);
    Map<String, Object> values = parts.get(c).grid.point(k - offsets[c]);
    values.put(CASE, c);
    return values;
  }

  /** The seed of run k. */
  long seed(long k) {
    int c = caseOf(k);
    return parts.get(c).grid.seed(k - offsets[c]);
  }

  /** The run of a grid point's values (from {@link #values(long)}, some replaced) and a seed. */
  RunSpec assemble(Map<String, Object> values, long seed, ConfigErrors errors) {
    Map<String, Object> point = new HashMap<>(values);
    Object c = point.remove(CASE);
    return parts.get(c == null ? 0 : (Integer) c).assembly.run(point, seed, errors);
  }

  /** One case's grid: its axes, the rules that assemble its runs, and the axes that can repeat a run. */
  private static final class Part {
    private final Grid grid;
    private final RunAssembly assembly;
    /** Positions (in grid order) of the collapsible axes. */
    private final int[] collapsible;
    private final int[] radix;
    private final int seeds;

    Part(ParsedConfig parsed, Grid grid, RunAssembly assembly) {
      this.grid = grid;
      this.assembly = assembly;
      List<Param> axes = parsed.axes();
      radix = new int[axes.size()];
      List<Integer> c = new ArrayList<>();
      for (int a = 0; a < axes.size(); a++) {
        Param p = axes.get(a);
        radix[a] = p.values().size();
        if (p.scale() != null || APPLIES_WITH.contains(p.path()) || Set.copyOf(
            p.values()).size() != p.values().size()) {
          c.add(a);
        }
      }
      collapsible = c.stream().mapToInt(Integer::intValue).toArray();
      seeds = parsed.seeds.size();
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
}
