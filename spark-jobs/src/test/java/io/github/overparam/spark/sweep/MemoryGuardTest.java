package io.github.overparam.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The memory guard's budget (where the limit comes from) and its verdict, without Spark. */
class MemoryGuardTest {
  private static final long MB = 1L << 20;

  private static RunSpec run(int n, int width, int seed) {
    return new RunSpec(DataSpec.sphere(n, 10, LabelKind.GAUSSIAN), ModelSpec.du(width),
        TrainSpec.gd(0.5, Loss.HALF_SUM_SQUARED, 100, TargetLoss.relative(1e-3)), new RecordSpec(20, true, 1000), seed);
  }

  @Test
  void localModeSharesTheDriverHeapOverItsThreads() {
    SparkConf none = new SparkConf(false);
    assertEquals((4096 - 300) * MB / 4, MemoryGuard.budget(none, "local[4]", null, 4096 * MB, 2).bytes());
    assertEquals((4096 - 300) * MB / 2, MemoryGuard.budget(none, "local[*]", null, 4096 * MB, 2).bytes());
    assertEquals((4096 - 300) * MB, MemoryGuard.budget(none, "local", null, 4096 * MB, 2).bytes());
    assertEquals((4096 - 300) * MB / 3, MemoryGuard.budget(none, "local[3, 2]", null, 4096 * MB, 2).bytes());
    // spark-submit's master when --master is not given; local[*] without either.
    assertEquals((4096 - 300) * MB / 2, MemoryGuard.budget(none, null, null, 4096 * MB, 2).bytes());
  }

  @Test
  void clusterModeUsesTheExecutorMemoryOverItsCores() {
    SparkConf conf = new SparkConf(false).set("spark.master", "spark://127.0.0.1:7077").set("spark.executor.memory",
        "4g").set("spark.executor.cores", "4").set("spark.task.cpus", "2");
    MemoryGuard.Budget b = MemoryGuard.budget(conf, null, null, 100 * MB, 2);
    assertEquals((4096 - 300) * MB / 2, b.bytes());
    assertTrue(b.source().contains("spark.executor.memory = 4g"), b.source());
    // Defaults: 1g executors, one task each.
    assertEquals((1024 - 300) * MB, MemoryGuard.budget(new SparkConf(false), "yarn", null, 100 * MB, 2).bytes());
  }

  @Test
  void anExplicitLimitWinsAndOffSwitchesTheCheckOff() {
    assertEquals(6L << 30, MemoryGuard.budget(new SparkConf(false), "local[2]", "6g", MB, 2).bytes());
    assertNull(MemoryGuard.budget(new SparkConf(false), "local[2]", "off", MB, 2));
    assertNull(MemoryGuard.refusal(List.of(run(100_000, 100_000, 0)), null, "model.width"));
  }

  @Test
  void namesTheGridPointsThatDoNotFitLargestFirst() {
    List<RunSpec> runs = List.of(run(100, 64, 0), run(100, 64, 1), run(100, 200_000, 0), run(100, 200_000, 1),
        run(100, 400_000, 0));
    long limit = (long) Costs.memoryBytes(run(100, 100_000, 0));
    List<MemoryGuard.Oversize> over = MemoryGuard.oversized(runs, limit);
    assertEquals(2, over.size());
    assertEquals(400_000, over.get(0).example().model().width());
    assertEquals(1, over.get(0).runs());
    assertEquals(200_000, over.get(1).example().model().width());
    assertEquals(2, over.get(1).runs(), "the two seeds of one grid point");
    String message = MemoryGuard.refusal(runs, new MemoryGuard.Budget(limit, "test"), "model.width");
    assertTrue(message.contains("3 runs cannot fit"), message);
    assertTrue(message.contains("model.width: value 400000 (data.n = 100"), message);
    assertTrue(message.contains("--max-run-memory"), message);
    assertNull(MemoryGuard.refusal(runs.subList(0, 2), new MemoryGuard.Budget(limit, "test"), "model.width"));
  }
}
