package io.github.overparam.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calibration runs every shape on as many threads as asked at once, and caches what it measured. */
class RatesTest {
  @TempDir
  Path tmp;

  private static final List<RunSpec> GRID = List.of(run(16), run(17), run(256));

  private static RunSpec run(int width) {
    return new RunSpec(DataSpec.sphere(10, 5, LabelKind.GAUSSIAN), ModelSpec.du(width), TrainSpec.gd(0.5,
        Loss.HALF_SUM_SQUARED, 200, TargetLoss.relative(1e-9)), new RecordSpec(5, false, 0), 0);
  }

  @Test
  void measuresEachShapeOnEveryThreadAndCachesIt() throws Exception {
    for (int threads : new int[] {1, 2}) {
      Path cache = tmp.resolve("rates-" + threads + ".json");
      Rates rates = Rates.calibrate(c -> GRID.forEach(r -> c.accept(r, 1L)), cache, threads);
      // widths 16 and 17 share a shape (power-of-two bucket 2^4), 256 is another.
      assertEquals(2, rates.shapes());
      assertTrue(rates.source().contains("2 shapes measured now, 0 from"), rates.source());
      for (RunSpec r : GRID) {
        assertTrue(rates.gflops(r) > 0 && Double.isFinite(rates.gflops(r)), threads + " threads: " + rates.gflops(r));
      }
      assertTrue(Files.readString(cache).contains(Rates.shape(GRID.get(2))));
      Rates again = Rates.calibrate(c -> GRID.forEach(r -> c.accept(r, 1L)), cache, threads);
      assertTrue(again.source().contains("0 shapes measured now, 2 from"), again.source());
      assertEquals(rates.gflops(GRID.get(0)), again.gflops(GRID.get(0)));
    }
  }
}
