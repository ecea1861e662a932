package io.github.overparam.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.config.ConfigException;
import io.github.overparam.spark.config.ConfigLoader;
import io.github.overparam.spark.config.SweepConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Waves as index ranges without Spark: the ranges cover every index once, tasks are a few seconds
 * of estimated work (not a few runs), the task ranges cover each wave once, and a grid of 10^8
 * runs is planned from its description in constant memory.
 */
class GridWavesTest {
  private static final String TRIVIAL = "sweep: t\n"
      + "data: {source: sphere, n: {from: 2, to: 17, step: 1}, d: 4, labels: gaussian}\n"
      + "model: {arch: two_layer, parameterization: du, width: {from: 1, to: 25, step: 1}}\n"
      + "train: {lr: 0.5, loss: half_sum_squared, max_steps: 2}\n"
      + "record: {curve_points: 2, ntk: false}\n";

  @Test
  void wavesAndTasksCoverEveryIndexOnce() {
    GridWaves plan = new GridWaves(100_003, 7, 13);
    long next = 0;
    for (int i = 0; i < plan.waves(); i++) {
      assertEquals(next, plan.from(i));
      Set<Long> inWave = new HashSet<>();
      for (WaveInputs.Range r : WaveInputs.ranges(plan.from(i), plan.to(i), plan.tasks())) {
        for (long k = r.from(); k < r.to(); k += r.step()) {
          assertTrue(inWave.add(k), "index " + k + " dealt twice");
        }
      }
      assertEquals(plan.to(i) - plan.from(i), inWave.size());
      assertTrue(inWave.contains(plan.from(i)) && inWave.contains(plan.to(i) - 1));
      next = plan.to(i);
    }
    assertEquals(100_003, next);
  }

  @Test
  void tinyRunsGetTasksOfSecondsNotOfFourRunsAndFilesOfTensOfMegabytes() throws ConfigException {
    SweepConfig c = ConfigLoader.load(TRIVIAL + "seeds: 5000\n", List.of());
    assertEquals(2_000_000, c.runCount());
    GridStats stats = GridStats.of(c);
    assertEquals(2_000_000, stats.runs());
    GridWaves plan = GridWaves.auto(c.grid().size(), stats, 2, null, null);
    // 2e6 runs x 60 us = 120 core-seconds, plus 2 steps of training each: one wave (rows are streamed
    // to their files, so memory does not cut it) of 25 tasks of about 5 s would write files of 24 MB
    // of runs/ (300 bytes a row): 8 tasks per core instead, files of 37.5 MB.
    assertEquals(1, plan.waves());
    assertEquals(16, plan.tasks());
    double fileBytes = OutputSize.of(stats).runsBytes() / plan.tasks();
    assertTrue(fileBytes >= GridWaves.MIN_FILE_BYTES && fileBytes < 2 * GridWaves.MIN_FILE_BYTES, "" + fileBytes);
    assertEquals(32, OutputSize.of(stats, plan).files(), "one file of runs/ and one of curves/ per task");
    // 1,000 cores: tasks of 5 s would be 4 per core; one per core already makes files of 0.6 MB.
    GridWaves cluster = GridWaves.auto(c.grid().size(), stats, 1000, null, null);
    assertEquals(1000, cluster.tasks());
    // 10^8 runs on 1,000 cores: one wave; tasks of 5 s would be 4 per core with files of 7.5 MB of
    // runs/, one per core writes files of 30 MB.
    GridStats big = new GridStats(100_000_000L, stats.flops() * 50, stats.maxFlops(), stats.curvePoints() * 50,
        stats.largest(), stats.largestBytes());
    GridWaves wide = GridWaves.auto(100_000_000L, big, 1000, null, null);
    assertEquals(1, wide.waves());
    assertEquals(1000, wide.tasks());
  }

  @Test
  void configWaveSizeAndPartitionsAreKept() throws ConfigException {
    SweepConfig c = ConfigLoader.load(TRIVIAL + "seeds: 10\nexecution: {wave_size: 1000, partitions: 3}\n",
        List.of());
    GridWaves plan = GridWaves.auto(c.grid().size(), GridStats.of(c), 2, c.waveSize(), c.partitions());
    assertEquals(4, plan.waves(), "4,000 runs in waves of 1,000");
    assertEquals(3, plan.tasks());
  }

  @Test
  void aGridOfAHundredMillionRunsIsPlannedFromItsDescription() throws ConfigException {
    long before = usedHeap();
    SweepConfig c = ConfigLoader.load(TRIVIAL + "seeds: 250000\n", List.of());
    assertEquals(100_000_000L, c.runCount());
    GridStats stats = GridStats.of(c);
    assertEquals(100_000_000L, stats.runs());
    assertTrue(usedHeap() - before < 200L << 20, "the driver holds the description, not the runs");
    RunSpec last = c.grid().decoder(c.tables()).run(c.grid().size() - 1);
    assertEquals(249_999, last.seed());
    assertEquals(17, last.data().n());
    assertEquals(25, last.model().width());
  }

  private static long usedHeap() {
    System.gc();
    return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
  }
}
