package io.github.overparam.core.bench;

import io.github.overparam.core.Names;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.linalg.Dense;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.Gradients;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.model.Workspace;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Drift;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.PackedDeepGd;
import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainOptions;
import io.github.overparam.core.train.TrainSpec;
import io.github.overparam.core.train.Trainer;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;

/**
 * Single-threaded full-batch GD steps per second on the reference shapes S1..S9, through
 * the real training loop. Prints figures; it is a benchmark, not a test.
 *
 */
public final class GdStepBenchmark {
  private GdStepBenchmark() {}

  /** A reference shape: depth 0 is Du et al.'s two-layer net, else a deep net of that parameterization. */
  record Shape(String name, int n, int d, int m, int depth, Parameterization parameterization) {
    Shape(String name, int n, int d, int m, int depth) {
      this(name, n, d, m, depth, depth == 0 ? Parameterization.DU : Parameterization.ALLEN_ZHU);
    }

    ModelSpec model() {
      return depth == 0 ? ModelSpec.du(m) : ModelSpec.of(Arch.DEEP, parameterization, Activation.RELU, m, depth);
    }

    DataSpec data() {
      DataSpec spec = DataSpec.sphere(n, d, LabelKind.GAUSSIAN);
      return parameterization == Parameterization.ALLEN_ZHU ? spec.withInputMap(InputMap.ALLEN_ZHU) : spec;
    }

    /**
     * A shape given on the command line as {@code n:d:m:depth[:parameterization]} (depth 0: Du's
     * two-layer net; parameterization allen_zhu by default), named by that text.
     */
    static Shape parse(String text) {
      String[] f = text.split(":");
      if (f.length < 4 || f.length > 5) {
        throw new IllegalArgumentException(
            "shape: '" + text + "' is neither S1..S9 nor n:d:m:depth[:parameterization] (e.g. 256:10:8:2:zou)");
      }
      int depth = Integer.parseInt(f[3]);
      Parameterization p = f.length == 5 ? Names.parse(Parameterization.class, "shape", f[4])
          : depth == 0 ? Parameterization.DU : Parameterization.ALLEN_ZHU;
      return new Shape(text, Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), depth, p);
    }

    /** Whether {@link KernelGdStep} has this net (two-layer Du, or deep Allen-Zhu with a fixed input layer). */
    boolean kernelStep() {
      return parameterization != Parameterization.ZOU;
    }
  }

  /** S1-S5: issue 6's shapes; S6-S9: narrow nets where critical widths live (issue 18). */
  static final Shape[] SHAPES = {
      new Shape("S1", 100, 10, 1000, 0),
      new Shape("S2", 1000, 100, 1000, 0),
      new Shape("S3", 200, 50, 10000, 0),
      new Shape("S4", 500, 50, 128, 3),
      new Shape("S5", 500, 50, 512, 3),
      new Shape("S6", 128, 10, 8, 0),
      new Shape("S7", 256, 10, 32, 0),
      new Shape("S8", 64, 10, 16, 3, Parameterization.ZOU),
      new Shape("S9", 1024, 10, 64, 0),
  };

  /**
   * Usage: {@code GdStepBenchmark [seconds] [--tsv] [--impl trainer,kernels,run,packed] [--precision f64,f32]
   * [--steps N] [--seeds N] [--warm-runs N] [shape ...]}, a shape S1..S9 or {@code
   * n:d:m:depth[:parameterization]} (e.g. {@code 256:10:8:2:zou}). {@code trainer} is the real training loop (Network + Trainer, in either precision,
   * as {@code train.precision} runs it); {@code kernels} is {@link KernelGdStep}, the same step
   * written on the raw kernels (float64 and float32); {@code packed} is {@link PackedDeepGd}, a
   * vector's lanes of the shape's nets side by side, per net (float64 only). Default: trainer only, f64, all
   * shapes, the table of README's Speed section. {@code --tsv} prints one tab-separated line per case:
   * shape, precision, impl, steps/s by wall time, steps/s by this thread's CPU time, flops per step.
   * {@code run} times the whole run function a sweep task executes ({@link Runs#execute}: data set,
   * lambda_0, training, the NTK spectra) for {@code --steps} steps (default 200) and {@code --seeds}
   * seeds (default 8) after {@code --warm-runs} warm-up runs (default 1: an executor's first runs, as
   * a short sweep sees them; some 50 give the JIT's steady state, as a long sweep's later runs see it),
   * and reports steps / (wall_us / 1e6) as {@code runs/}
   * records it: the median run in the wall column, the best in the CPU column; its impl is printed
   * as {@code run-STEPS}.
   */
  public static void main(String[] args) {
    double seconds = 5.0;
    boolean tsv = false;
    List<String> impls = List.of("trainer");
    List<String> precisions = List.of("f64");
    Set<String> wanted = new HashSet<>();
    int runSteps = 200;
    int runSeeds = 8;
    int warmRuns = 1;
    List<Shape> custom = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--tsv")) {
        tsv = true;
      } else if (a.equals("--impl")) {
        impls = List.of(args[++i].split(","));
      } else if (a.equals("--steps")) {
        runSteps = Integer.parseInt(args[++i]);
      } else if (a.equals("--seeds")) {
        runSeeds = Integer.parseInt(args[++i]);
      } else if (a.equals("--warm-runs")) {
        warmRuns = Integer.parseInt(args[++i]);
      } else if (a.equals("--precision")) {
        precisions = List.of(args[++i].split(","));
      } else if (i == 0 && Character.isDigit(a.charAt(0))) {
        seconds = Double.parseDouble(a);
      } else if (a.contains(":")) {
        custom.add(Shape.parse(a));
      } else {
        wanted.add(a.toUpperCase(Locale.ROOT));
      }
    }
    if (tsv) {
      System.out.println("# " + Dense.implementation());
    } else {
      System.out.printf(Locale.ROOT, "%-5s %-4s %-8s %6s %5s %6s %3s %10s %10s %9s%n", "shape", "prec", "impl", "n",
          "d",
          "m", "L", "steps/s", "GFLOP/s", "ms/step");
    }
    List<Shape> shapes = new ArrayList<>();
    for (Shape s : SHAPES) {
      if (custom.isEmpty() ? wanted.isEmpty() || wanted.contains(s.name()) : wanted.contains(s.name())) {
        shapes.add(s);
      }
    }
    shapes.addAll(custom);
    for (Shape s : shapes) {
      for (String precision : precisions) {
        for (String impl : impls) {
          if (impl.equals("kernels") && !s.kernelStep()
              || impl.equals("packed") && !(packable(s) && precision.equals("f64"))) {
            continue;
          }
          Precision p = Names.parse(Precision.class, "--precision", precision);
          double[] r = switch (impl) {
            case "trainer" -> trainer(s, p, seconds);
            case "run" -> runs(s, p, runSteps, runSeeds, warmRuns);
            case "packed" -> packed(s, seconds);
            default -> kernels(s, precision.equals("f32"), seconds);
          };
          if (impl.equals("run")) {
            impl = "run-" + runSteps;
          }
          if (tsv) {
            System.out.printf(Locale.ROOT, "%s\t%s\t%s\t%.2f\t%.2f\t%d%n", s.name(), precision, impl, r[0], r[1],
                (long) r[2]);
          } else {
            System.out.printf(Locale.ROOT, "%-5s %-4s %-8s %6d %5d %6d %3d %10.1f %10.2f %9.3f%n", s.name(), precision,
                impl, s.n(), s.d(), s.m(), s.depth() == 0 ? 1 : s.depth(), r[0], r[0] * r[2] / 1e9, 1000 / r[0]);
          }
        }
      }
    }
  }

  /** Whether the shape's net trains packed ({@link PackedDeepGd}): plain ReLU nets with a fixed output layer. */
  static boolean packable(Shape s) {
    return PackedDeepGd.available() && PackedDeepGd.packs(Network.initialize(s.model(), s.d(), 1, 1),
        Loss.HALF_SUM_SQUARED);
  }

  /**
   * {best net-steps/s by wall time, by CPU time, flops per net-step} of the shape's nets trained
   * packed ({@link PackedDeepGd}): a vector's lanes of nets of the shape (their own data and weights)
   * side by side, counted per net (JAX's vmap over an ensemble of 8 is the figure to hold it against).
   */
  static double[] packed(Shape s, double seconds) {
    Network like = Network.initialize(s.model(), s.d(), 1, 1);
    PackedDeepGd packed = new PackedDeepGd(like, s.n());
    for (int lane = 0; lane < PackedDeepGd.LANES; lane++) {
      Dataset data = Datasets.generate(s.data(), lane);
      packed.set(lane, Network.initialize(s.model(), s.d(), 1, 1 + lane), data.xTrain(), data.yTrain(),
          Loss.HALF_SUM_SQUARED, 1e-9);
    }
    Runnable step = () -> {
      packed.evaluate();
      packed.update();
    };
    long flopsPerNet = like.forwardFlops(s.n()) + like.backwardFlops(s.n());
    long t0 = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      step.run();
    }
    double perStep = (System.nanoTime() - t0) / 1e9 / 20;
    int steps = (int) Math.max(5, Math.min(1_000_000, seconds / 3 / perStep));
    warmUp(() -> {
      for (int i = 0; i < steps / 4 + 1; i++) {
        step.run();
      }
    }, seconds);
    double[] best = new double[3];
    for (int rep = 0; rep < 3; rep++) {
      long wall = System.nanoTime();
      long cpu = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < steps; i++) {
        step.run();
      }
      double netSteps = (double) steps * PackedDeepGd.LANES;
      best[0] = Math.max(best[0], netSteps / ((System.nanoTime() - wall) / 1e9));
      best[1] = Math.max(best[1], netSteps / ((CPU.getCurrentThreadCpuTime() - cpu) / 1e9));
    }
    best[2] = flopsPerNet;
    return best;
  }

  /**
   * A task that makes one full-batch GD step on a net of the shape (S1..S9 or {@code
   * n:d:m:depth[:parameterization]}) in {@code precision} each time it runs, through the training
   * loop's parts (the forward pass, the loss's gradient, the backward pass, the update; one net,
   * one workspace, no evaluation, curve or drift), a step size of 1e-9 so every step does the same
   * work. For {@link AbBenchmark}, which runs two builds' tasks in one JVM.
   */
  public static Runnable step(String shape, String precision) {
    Shape s = Arrays.stream(SHAPES).filter(t -> t.name().equalsIgnoreCase(shape)).findFirst().orElseGet(
        () -> Shape.parse(shape));
    Dataset data = Datasets.generate(s.data(), 0);
    Network net = Network.initialize(s.model(), s.d(), 1, 1).withPrecision(
        Names.parse(Precision.class, "precision", precision));
    DMatrixRMaj x = data.xTrain();
    DMatrixRMaj y = data.yTrain();
    Workspace ws = net.workspace(x.numRows);
    ws.pinInput(x);
    Gradients gradients = net.gradients();
    Loss loss = Loss.HALF_SUM_SQUARED;
    double weight = loss.normalizer(x.numRows, y.numCols);
    Runnable task = () -> {
      net.forward(x, ws);
      loss.gradient(ws.outputs(), y, weight, ws.outputGradient());
      net.backward(x, ws, gradients);
      net.step(gradients, 1e-9);
    };
    // Every class the steps use is initialized here, under the caller's system properties.
    task.run();
    return task;
  }

  /** {best steps/s by wall time, best steps/s by CPU time, flops per step} through the training loop. */
  static double[] trainer(Shape s, Precision precision, double seconds) {
    Dataset data = Datasets.generate(s.data(), 0);
    Network net = Network.initialize(s.model(), s.d(), 1, 1).withPrecision(precision);
    // Tiny step so the weights stay put and every step does the same work; the target is never met.
    TrainSpec warm = TrainSpec.gd(1e-9, Loss.HALF_SUM_SQUARED, 20, TargetLoss.absolute(1e-300));
    Trainer.train(net, data, warm, TrainOptions.of(2, 0, new Drift(net, s.n())));
    long t0 = System.nanoTime();
    Trainer.train(net, data, warm, TrainOptions.of(2, 0, new Drift(net, s.n())));
    double perStep = (System.nanoTime() - t0) / 1e9 / 21;
    int warmSteps = (int) Math.max(5, Math.min(1_000_000, 0.25 / perStep));
    TrainSpec warmRun = TrainSpec.gd(1e-9, Loss.HALF_SUM_SQUARED, warmSteps, TargetLoss.absolute(1e-300));
    warmUp(() -> Trainer.train(net, data, warmRun, TrainOptions.of(2, 0, new Drift(net, s.n()))), seconds);
    // Timed again once compiled: the first estimate comes from the interpreter, and a timed call of
    // that many steps is short enough for its fixed costs (the workspace, the initial activation
    // patterns of 65,536 entries at S9) to show in the rate (S9 float32: 26,000 steps/s alone in a
    // JVM, 35,000 after another shape had warmed the loop up, 2026-12-02).
    long t1 = System.nanoTime();
    Trainer.train(net, data, warmRun, TrainOptions.of(2, 0, new Drift(net, s.n())));
    perStep = Math.min(perStep, (System.nanoTime() - t1) / 1e9 / (warmSteps + 1));
    int steps = (int) Math.max(5, Math.min(1_000_000, seconds / 3 / perStep));
    TrainSpec run = TrainSpec.gd(1e-9, Loss.HALF_SUM_SQUARED, steps, TargetLoss.absolute(1e-300));
    double[] best = new double[3];
    for (int rep = 0; rep < 3; rep++) {
      Drift drift = new Drift(net, s.n());
      long wall = System.nanoTime();
      long cpu = CPU.getCurrentThreadCpuTime();
      var t = Trainer.train(net, data, run, TrainOptions.of(2, 0, drift));
      double w = t.steps() / ((System.nanoTime() - wall) / 1e9);
      double c = t.steps() / ((CPU.getCurrentThreadCpuTime() - cpu) / 1e9);
      best[0] = Math.max(best[0], w);
      best[1] = Math.max(best[1], c);
      best[2] = (double) t.flops() / t.steps();
    }
    return best;
  }

  /**
   * {median steps / (wall_us / 1e6) over the seeds, the best, flops per step} of {@link Runs#execute}
   * on the shape with the default record options, a step size of 1e-9 and an unreachable target (so
   * every run makes all its steps), after {@code warm} warm-up runs of other seeds (as earlier runs
   * warm an executor's JIT).
   */
  static double[] runs(Shape s, Precision precision, int steps, int seeds, int warm) {
    for (int w = 0; w < warm; w++) {
      Runs.execute(runSpec(s, precision, steps, 1_000_000L + w));
    }
    double[] rates = new double[seeds];
    long flops = 0;
    for (int seed = 0; seed < seeds; seed++) {
      RunResult r = Runs.execute(runSpec(s, precision, steps, seed));
      if (r.outcome().status() == Status.FAILED) {
        throw new IllegalStateException("run failed: " + r.outcome().error());
      }
      rates[seed] = r.outcome().steps() / (Math.max(1, r.cost().wallMicros()) / 1e6);
      flops = r.cost().flops() / r.outcome().steps();
    }
    Arrays.sort(rates);
    return new double[] {rates[seeds / 2], rates[seeds - 1], flops};
  }

  /**
   * The run {@code --impl run} times for a reference shape (S1..S9): its data and net, GD at a step
   * size of 1e-9 towards an unreachable target (every run makes all its steps), the default record
   * options. bin/bench-sweeps-vs-jax's sweep configs describe the same runs (BenchConfigsTest).
   *
   * @throws IllegalArgumentException for a name that is not a reference shape
   */
  public static RunSpec runSpec(String shape, Precision precision, int steps, long seed) {
    for (Shape s : SHAPES) {
      if (s.name().equals(shape)) {
        return runSpec(s, precision, steps, seed);
      }
    }
    throw new IllegalArgumentException("shape " + shape + ": must be one of S1..S" + SHAPES.length);
  }

  private static RunSpec runSpec(Shape s, Precision precision, int steps, long seed) {
    TrainSpec train = TrainSpec.gd(1e-9, Loss.HALF_SUM_SQUARED, steps, TargetLoss.absolute(1e-300)).withPrecision(
        precision);
    return new RunSpec(s.data(), s.model(), train, RecordSpec.defaults(), seed);
  }

  /** {best steps/s by wall time, best steps/s by CPU time, flops per step} of {@link KernelGdStep}. */
  static double[] kernels(Shape s, boolean f32, double seconds) {
    KernelGdStep step = KernelGdStep.of(f32, s.n(), s.d(), s.m(), s.depth());
    warmUp(step, seconds);
    long t0 = System.nanoTime();
    int calls = 0;
    while (System.nanoTime() - t0 < 0.1e9 || calls < 3) {
      step.run();
      calls++;
    }
    double perStep = (System.nanoTime() - t0) / 1e9 / calls;
    int steps = (int) Math.max(5, seconds / 3 / perStep);
    double[] best = {0, 0, step.flops()};
    for (int rep = 0; rep < 3; rep++) {
      long wall = System.nanoTime();
      long cpu = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < steps; i++) {
        step.run();
      }
      best[0] = Math.max(best[0], steps / ((System.nanoTime() - wall) / 1e9));
      best[1] = Math.max(best[1], steps / ((CPU.getCurrentThreadCpuTime() - cpu) / 1e9));
    }
    return best;
  }

  /**
   * Runs {@code work} for at least a quarter of the time budget and then until the JIT has been idle
   * for a second (at most 30 s): until the vector kernels are compiled they run interpreted, up to a
   * hundred times slower, and on a busy machine compilation takes seconds. Idle means no compilation
   * finished and this thread had the core to itself (its CPU time at least 90% of the wall time over
   * each tenth of a second): a C2 compile of the training loop can take seconds, counts in the
   * compilation time only when it ends, and with every thread pinned to one core it takes that core
   * from the timed steps (S1 f32 on the Zen 5 guest of 2026-12-02: 14,000 steps/s by the wall clock
   * against 22,800 by CPU time).
   */
  static void warmUp(Runnable work, double seconds) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long start = System.nanoTime();
    long quietSince = start;
    long compiled = jit.getTotalCompilationTime();
    // The core is judged over windows of at least 0.1 s: a single call of a small product is too
    // short for its CPU time to be compared with the wall clock.
    long windowWall = start;
    long windowCpu = CPU.getCurrentThreadCpuTime();
    while (true) {
      work.run();
      long now = System.nanoTime();
      long c = jit.getTotalCompilationTime();
      if (c != compiled) {
        compiled = c;
        quietSince = now;
      }
      if (now - windowWall >= 100_000_000L) {
        long cpu = CPU.getCurrentThreadCpuTime();
        if (cpu - windowCpu < 0.9 * (now - windowWall)) {
          quietSince = now;
        }
        windowWall = now;
        windowCpu = cpu;
      }
      boolean budget = now - start >= 0.25e9 * seconds;
      if ((budget && now - quietSince >= 1e9) || now - start >= 30e9) {
        return;
      }
    }
  }

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
}
