package io.github.overparam.spark.sweep;

import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * How the runs still to do are cut into waves (each committed on its own) and each wave into
 * buckets (one Spark task each). Pure and deterministic: tested without Spark.
 *
 * <p>Runs are ordered by estimated cost, longest first, so each wave holds runs of similar cost;
 * inside a wave they are dealt longest-first to the least-loaded bucket (LPT scheduling, within
 * 4/3 of the optimal makespan), so no executor idles at the end of a wave. Runs that train packed
 * (narrow deep nets of one shape, {@link Runs#packKey}) are dealt as one unit of up to {@link #PACK}
 * runs, side by side in one bucket.
 */
public record WavePlan(List<List<List<RunSpec>>> waves) {

  /** Estimated sustained GFLOP/s of one core on these nets (bin/bench on this machine class: 3-7). */
  public static final double GFLOPS_PER_CORE = 5.0;
  /** Wave length aimed at when the wave size is chosen automatically, in estimated seconds. */
  public static final double TARGET_WAVE_SECONDS = 120;
  /** Runs per Spark task aimed at when the task count is chosen automatically. */
  public static final int RUNS_PER_TASK = 4;
  /** At most this many waves when the wave size is chosen automatically. */
  public static final int MAX_AUTO_WAVES = 20;

  /**
   * The plan for {@code cores} executor cores, with the config's wave size and task count where
   * given (null = automatic). Automatic: waves of about {@link #TARGET_WAVE_SECONDS} of estimated work (from max_steps, an
   * upper bound), at most {@link #MAX_AUTO_WAVES}: each wave's commit costs a few seconds of
   * Spark jobs, so short sweeps get few waves and long ones lose at most one wave to a crash.
   */
  public static WavePlan auto(List<RunSpec> runs, int cores, Integer waveSize, Integer partitions) {
    int slots = Math.max(1, cores);
    int size;
    if (waveSize != null) {
      size = waveSize;
    } else {
      double seconds = runs.stream().mapToDouble(Costs::flops).sum() / (GFLOPS_PER_CORE * 1e9 * slots);
      int waves = (int) Math.max(1, Math.min(MAX_AUTO_WAVES, Math.round(seconds / TARGET_WAVE_SECONDS)));
      size = Math.max(1, (runs.size() + waves - 1) / waves);
    }
    // Many small tasks (about RUNS_PER_TASK runs each, at least 4 per core): the estimates are
    // upper bounds (runs that converge stop early), so Spark's own dynamic assignment of tasks to
    // free cores, longest first, evens out what static balancing cannot.
    int buckets = partitions != null ? partitions : Math.max(4 * slots, (size + RUNS_PER_TASK - 1) / RUNS_PER_TASK);
    // Packs only as large as leaves every core a share of the wave: a pack is one core's work.
    return of(runs, size, buckets, Math.max(1, Math.min(PACK, size / slots)));
  }

  /** {@link #of(List, int, int, int)} with packs of up to {@link #PACK} runs. */
  public static WavePlan of(List<RunSpec> runs, int waveSize, int buckets) {
    return of(runs, waveSize, buckets, PACK);
  }

  /**
   * Cuts {@code runs} into waves of at most {@code waveSize} runs and each wave into at most {@code
   * buckets}, runs that train packed dealt in units of up to {@code pack} (1: every run alone).
   */
  public static WavePlan of(List<RunSpec> runs, int waveSize, int buckets, int pack) {
    if (waveSize < 1 || buckets < 1 || pack < 1 || pack > PACK) {
      throw new IllegalArgumentException("waveSize = " + waveSize + ", buckets = " + buckets + ", pack = " + pack
          + ": waveSize and buckets must be >= 1, pack in [1, " + PACK + "]");
    }
    List<RunSpec> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(Costs::flops).reversed().thenComparing(RunSpec::runId));
    List<List<List<RunSpec>>> waves = new ArrayList<>();
    for (int from = 0; from < sorted.size(); from += waveSize) {
      List<RunSpec> wave = sorted.subList(from, Math.min(sorted.size(), from + waveSize));
      waves.add(balance(wave, Math.min(buckets, wave.size()), pack));
    }
    return new WavePlan(waves);
  }

  /**
   * Runs that may train packed (the same {@link Runs#packKey}) are dealt together, up to {@code pack}
   * at a time, so that a task finds them side by side; the others one by one.
   */
  private static List<List<RunSpec>> balance(List<RunSpec> wave, int buckets, int pack) {
    List<List<RunSpec>> units = units(wave, pack);
    int slots = Math.min(buckets, units.size());
    List<List<RunSpec>> out = new ArrayList<>();
    double[] load = new double[slots];
    PriorityQueue<Integer> least = new PriorityQueue<>(
        Comparator.<Integer>comparingDouble(i -> load[i]).thenComparingInt(i -> i));
    for (int b = 0; b < slots; b++) {
      out.add(new ArrayList<>());
      least.add(b);
    }
    for (List<RunSpec> unit : units) {
      int b = least.poll();
      out.get(b).addAll(unit);
      for (RunSpec spec : unit) {
        load[b] += Costs.flops(spec);
      }
      least.add(b);
    }
    return out;
  }

  /** Runs per pack dealt together: the lanes of a 512-bit float64 vector (a 256-bit executor packs 4 and 4). */
  static final int PACK = 8;

  /** The wave's runs in order, the runs of one pack key gathered into units of up to {@code pack}. */
  static List<List<RunSpec>> units(List<RunSpec> wave, int pack) {
    List<List<RunSpec>> units = new ArrayList<>();
    Map<String, List<RunSpec>> open = new HashMap<>();
    for (RunSpec spec : wave) {
      String key = pack > 1 ? Runs.packKey(spec) : null;
      if (key == null) {
        units.add(List.of(spec));
        continue;
      }
      List<RunSpec> unit = open.get(key);
      if (unit == null || unit.size() == pack) {
        unit = new ArrayList<>();
        open.put(key, unit);
        units.add(unit);
      }
      unit.add(spec);
    }
    return units;
  }

  /** The largest number of runs in one wave. */
  public int maxWaveSize() {
    return waves.stream().mapToInt(w -> w.stream().mapToInt(List::size).sum()).max().orElse(0);
  }

  /** The largest number of tasks in one wave. */
  public int maxTasks() {
    return waves.stream().mapToInt(List::size).max().orElse(0);
  }

  public int runCount() {
    return waves.stream().mapToInt(w -> w.stream().mapToInt(List::size).sum()).sum();
  }
}
