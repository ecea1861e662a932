package io.github.overparam.spark.sweep;

import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RunSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * How the runs still to do are cut into waves (each committed on its own) and each wave into
 * buckets (one Spark task each). Pure and deterministic: tested without Spark.
 *
 * <p>Runs are ordered by estimated cost, longest first, so each wave holds runs of similar cost;
 * inside a wave they are dealt longest-first to the least-loaded bucket (LPT scheduling, within
 * 4/3 of the optimal makespan), so no executor idles at the end of a wave.
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
    return of(runs, size, buckets);
  }

  /** Cuts {@code runs} into waves of at most {@code waveSize} runs and each wave into at most {@code buckets}. */
  public static WavePlan of(List<RunSpec> runs, int waveSize, int buckets) {
    if (waveSize < 1 || buckets < 1) {
      throw new IllegalArgumentException("waveSize = " + waveSize + ", buckets = " + buckets + ": both must be >= 1");
    }
    List<RunSpec> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(Costs::flops).reversed().thenComparing(RunSpec::runId));
    List<List<List<RunSpec>>> waves = new ArrayList<>();
    for (int from = 0; from < sorted.size(); from += waveSize) {
      List<RunSpec> wave = sorted.subList(from, Math.min(sorted.size(), from + waveSize));
      waves.add(balance(wave, Math.min(buckets, wave.size())));
    }
    return new WavePlan(waves);
  }

  private static List<List<RunSpec>> balance(List<RunSpec> wave, int buckets) {
    List<List<RunSpec>> out = new ArrayList<>();
    double[] load = new double[buckets];
    PriorityQueue<Integer> least = new PriorityQueue<>(
        Comparator.<Integer>comparingDouble(i -> load[i]).thenComparingInt(i -> i));
    for (int b = 0; b < buckets; b++) {
      out.add(new ArrayList<>());
      least.add(b);
    }
    for (RunSpec spec : wave) {
      int b = least.poll();
      out.get(b).add(spec);
      load[b] += Costs.flops(spec);
      least.add(b);
    }
    return out;
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
