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

  public int runCount() {
    return waves.stream().mapToInt(w -> w.stream().mapToInt(List::size).sum()).sum();
  }
}
