package io.github.overparam.core.bench;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.train.Drift;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import io.github.overparam.core.train.Trainer;
import java.util.Locale;

/**
 * Single-threaded full-batch GD steps per second on the reference shapes (issue 6's S1..S5), through
 * the real training loop. Prints figures; it is a benchmark, not a test.
 *
 * <p>Usage: {@code GdStepBenchmark [seconds-per-shape] [shape ...]}, shapes S1..S5 (default all).
 */
public final class GdStepBenchmark {
  private GdStepBenchmark() {}

  record Shape(String name, int n, int d, int m, int depth) {
    ModelSpec model() {
      return depth == 0 ? ModelSpec.du(m)
          : ModelSpec.of(Arch.DEEP, Parameterization.ALLEN_ZHU, Activation.RELU, m, depth);
    }

    DataSpec data() {
      DataSpec spec = DataSpec.sphere(n, d, LabelKind.GAUSSIAN);
      return depth == 0 ? spec : spec.withInputMap(InputMap.ALLEN_ZHU);
    }
  }

  static final Shape[] SHAPES = {
    new Shape("S1", 100, 10, 1000, 0),
    new Shape("S2", 1000, 100, 1000, 0),
    new Shape("S3", 200, 50, 10000, 0),
    new Shape("S4", 500, 50, 128, 3),
    new Shape("S5", 500, 50, 512, 3),
  };

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5.0;
    java.util.Set<String> wanted = new java.util.HashSet<>();
    for (int i = 1; i < args.length; i++) {
      wanted.add(args[i].toUpperCase(Locale.ROOT));
    }
    System.out.printf(Locale.ROOT, "%-4s %6s %5s %6s %5s %12s %10s %9s%n", "shape", "n", "d", "m", "L",
        "steps/s", "GFLOP/s", "ms/step");
    for (Shape s : SHAPES) {
      if (!wanted.isEmpty() && !wanted.contains(s.name())) {
        continue;
      }
      Dataset data = Datasets.generate(s.data(), 0);
      Network net = Network.initialize(s.model(), s.d(), 1, 1);
      // Tiny step so the weights stay put and every step does the same work; the target is never met.
      TrainSpec warm = TrainSpec.gd(1e-9, Loss.HALF_SUM_SQUARED, 20, TargetLoss.absolute(1e-300));
      Trainer.train(net, data, warm, 2, 0, new Drift(net, s.n()));
      // Calibrate the number of steps to the time budget, then measure.
      long t0 = System.nanoTime();
      Trainer.train(net, data, warm, 2, 0, new Drift(net, s.n()));
      double perStep = (System.nanoTime() - t0) / 1e9 / 21;
      int steps = (int) Math.max(10, Math.min(1_000_000, seconds / perStep));
      TrainSpec run = TrainSpec.gd(1e-9, Loss.HALF_SUM_SQUARED, steps, TargetLoss.absolute(1e-300));
      Drift drift = new Drift(net, s.n());
      long start = System.nanoTime();
      var t = Trainer.train(net, data, run, 2, 0, drift);
      double elapsed = (System.nanoTime() - start) / 1e9;
      double rate = t.steps() / elapsed;
      System.out.printf(Locale.ROOT, "%-5s %6d %5d %6d %5d %12.1f %10.2f %9.3f%n", s.name(), s.n(), s.d(), s.m(),
          s.depth() == 0 ? 1 : s.depth(), rate, t.flops() / elapsed / 1e9, 1000 / rate);
    }
  }
}
