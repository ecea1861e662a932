package io.github.overparam.spark.sweep;

import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.config.SweepConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The critical-width search: one round per step of every open group's bisection ({@link
 * WidthSearch}), each round one or more committed waves, every probe an ordinary run row with its
 * {@code search_round}. The state is re-derived from the runs table by replaying the bisection, so
 * a resumed search probes exactly what an uninterrupted one would.
 */
final class SearchDriver {
  private final WaveExecutor executor;
  private final WaveInputs inputs;
  private final PrintStream console;
  private final int cores;

  SearchDriver(WaveExecutor executor, WaveInputs inputs, PrintStream console, int cores) {
    this.executor = executor;
    this.inputs = inputs;
    this.console = console;
    this.cores = cores;
  }

  /** Called after each committed wave with the next wave's number. */
  interface WaveCommitted {
    void after(int wave) throws IOException;
  }

  /**
   * Searches every group of {@code request} to the end (or until {@code stopAfterWaves} waves ran).
   *
   * @return the next wave's number
   */
  int search(SweepConfig request, SweepFolder folder, int firstWave, int stopAfterWaves, Tally tally,
      WaveCommitted committed) throws IOException, SweepException {
    SearchOptions o = request.search();
    Map<String, List<RunSpec>> groups = new LinkedHashMap<>();
    for (RunSpec t : request.runs()) {
      String key = t.data().canonical() + "|" + t.model().withWidth(1).canonical() + "|" + t.train().canonical()
          + "|" + t.record().canonical();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
    }
    Map<String, Boolean> converged = new HashMap<>();
    executor.readStatuses(folder, null, converged);
    int nextWave = firstWave;
    for (int iteration = 0;; iteration++) {
      List<RunSpec> todo = new ArrayList<>();
      Map<String, Integer> rounds = new HashMap<>();
      int open = 0;
      for (List<RunSpec> templates : groups.values()) {
        Pending pending = pendingProbes(templates, o, converged, request.atWidth());
        if (pending == null) {
          continue;
        }
        open++;
        for (int width : pending.widths()) {
          for (RunSpec t : templates) {
            RunSpec spec = request.atWidth().apply(t, width);
            if (!converged.containsKey(spec.runId())) {
              todo.add(spec);
              rounds.put(spec.runId(), pending.step());
            }
          }
        }
      }
      if (open == 0) {
        return nextWave;
      }
      console.printf("search iteration %d: %d of %d groups open, %d runs%n", iteration, open, groups.size(),
          todo.size());
      WavePlan plan = WavePlan.auto(todo, cores, request.waveSize(), request.partitions());
      Progress progress = new Progress(todo.size());
      for (int i = 0; i < plan.waves().size(); i++) {
        if (stopAfterWaves > 0 && tally.waves >= stopAfterWaves) {
          console.printf("stopping after %d waves as asked; finish with --resume%n", tally.waves);
          return -1;
        }
        List<List<RunSpec>> buckets = plan.waves().get(i);
        long runs = buckets.stream().mapToLong(List::size).sum();
        double points = buckets.stream().flatMap(List::stream).mapToDouble(RunFootprint::curvePoints).sum();
        tally.add(executor.run(folder, nextWave, inputs.buckets(buckets), runs, points / Math.max(1, runs), progress,
            i + 1, plan.waves().size(), rounds));
        executor.readStatuses(folder, nextWave, converged);
        nextWave++;
        committed.after(nextWave);
      }
    }
  }

  /** The widths a group probes next and the bisection step they belong to. */
  private record Pending(int step, List<Integer> widths) {}

  /**
   * Replays one group's bisection over the known results: the first step whose widths are not all
   * measured (every seed has a row), or null when the group is settled.
   */
  private static Pending pendingProbes(List<RunSpec> templates, SearchOptions o, Map<String, Boolean> converged,
      BiFunction<RunSpec, Integer, RunSpec> atWidth) {
    TreeMap<Integer, Double> rates = new TreeMap<>();
    for (int step = 0;; step++) {
      List<Integer> probes = WidthSearch.nextProbes(rates, o);
      if (probes.isEmpty()) {
        return null;
      }
      for (int width : probes) {
        int ok = 0;
        for (RunSpec t : templates) {
          Boolean c = converged.get(atWidth.apply(t, width).runId());
          if (c == null) {
            return new Pending(step, probes);
          }
          ok += c ? 1 : 0;
        }
        rates.put(width, (double) ok / templates.size());
      }
    }
  }
}
