package io.github.overparam.spark.sweep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.overparam.core.Names;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.random.Seeds;
import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RunContext;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.TrainSpec;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Training rates (GFLOP/s of one core: flops of a run over its wall time, as runs/ records them)
 * per run shape, so that a plan's time follows the shapes of its grid: small nets run far below
 * the rate of large ones. Rates come from a short calibration on this machine (cached per machine
 * and JVM) or from the runs/ table of an earlier sweep on the same cluster.
 *
 * <p>A shape is the architecture, depth, optimizer and the power-of-two buckets of the width and
 * of the rows a step processes (n for gd, the batch for sgd); rates inside one bucket differ little.
 *
 * <p>Runs are timed by their thread's CPU time: the plan predicts what the runs take on cores of
 * their own (a dedicated executor, a quiet laptop), not the load of the machine that plans, which is
 * seldom an executor. On a machine busy with other work, runs/ wall times are longer by that load.
 *
 * <p>A run takes a fixed time (its data set, kernels, spectra and summaries) besides its training
 * steps: the calibration times each sample run both shortened and stopped after one step, and
 * separates the two. Besides the steady rates, it measures two things a sweep's runs/ times contain: the
 * JIT warm-up (a fresh JVM runs its first runs of each shape slower, interpreted vector code most of
 * all, and the compiler's own threads take cores from the task threads: every executor core pays
 * it once, inside the wall time of its first runs) and the work the
 * runs actually do (a run that reaches its target stops before max_steps: the calibration runs a
 * sample of each shape as the sweep will, and the fraction of its max_steps work it did is that
 * shape's expected fraction).
 */
public final class Rates {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Calibration runs per shape, at most. */
  static final int RUNS_PER_SHAPE = 2;
  /** A calibration run is shortened (fewer max_steps) to about this much estimated work. */
  static final double CALIBRATION_FLOPS = 1e8;
  /**
   * The cold pass runs each sample up to about this much work: far enough to see where most runs of
   * a small net stop (a run still training there counts as one that goes to max_steps).
   */
  static final double FRACTION_FLOPS = 5e8;
  /** Warm passes over the new shapes after the cold one, at most (they stop once the JIT is idle). */
  static final int MAX_WARM_PASSES = 6;
  /** A warm pass during which the JIT compiled less than this many milliseconds ends the warm-up. */
  static final long JIT_IDLE_MS = 20;
  /** Seconds the warm passes may take in all. */
  static final double MAX_WARM_SECONDS = 10;
  /** Seconds a shape's calibration runs are timed, at least (and two runs). */
  static final double MEASURE_SECONDS = 0.1;

  /**
   * What was measured of one shape: a run of it takes {@code fixedSeconds} plus its training flops
   * at {@code gflops}.
   *
   * @param gflops steady rate of the training steps on one core (every core busy), GFLOP/s
   * @param fixedSeconds a run's time besides its steps (data set, kernels, spectra, summaries), seconds
   * @param warmUpSeconds the extra time a fresh JVM spent on this shape's first runs (JIT), seconds of one core
   */
  record Measured(double gflops, double fixedSeconds, double warmUpSeconds) {
    /** Seconds of a run doing {@code flops} of training. */
    double seconds(double flops) {
      return fixedSeconds + flops / (gflops * 1e9);
    }
  }

  private final Map<String, Measured> shapes;
  private final Map<String, Double> workFractions;
  private final double fallback;
  private final String source;

  private Rates(Map<String, Measured> shapes, Map<String, Double> workFractions, String source) {
    this(shapes, workFractions, shapes.isEmpty() ? WavePlan.GFLOPS_PER_CORE
        : shapes.values().stream().mapToDouble(Measured::gflops).average().orElse(WavePlan.GFLOPS_PER_CORE), source);
  }

  private Rates(Map<String, Measured> shapes, Map<String, Double> workFractions, double fallback, String source) {
    this.shapes = Map.copyOf(shapes);
    this.workFractions = Map.copyOf(workFractions);
    this.fallback = fallback;
    this.source = source;
  }

  /**
   * The shape key of a run: arch, depth, optimizer, log2 buckets of width and of the rows per step,
   * and the surrogate and float32 when they apply (so that float64 keys are those of earlier caches).
   */
  public static String shape(String arch, int depth, String optimizer, int width, int rows, boolean surrogate,
      String precision) {
    return arch + "/L" + depth + "/" + optimizer + "/m2^" + log2(width) + "/rows2^" + log2(rows)
        + (surrogate ? "/surrogate" : "") + (Names.of(Precision.F64).equals(precision) ? "" : "/" + precision);
  }

  /** The shape of {@code spec}. */
  public static String shape(RunSpec spec) {
    TrainSpec t = spec.train();
    int rows = t.optimizer() == Optimizer.SGD ? t.batchSize() : spec.data().n();
    return shape(Names.of(spec.model().arch()), spec.model().depth(), Names.of(t.optimizer()), spec.model().width(),
        rows, spec.record().surrogate(), Names.of(t.precision()));
  }

  private static int log2(int x) {
    return 31 - Integer.numberOfLeadingZeros(Math.max(1, x));
  }

  /** The training rate of {@code spec}'s shape in GFLOP/s of one core (the mean of all shapes when not measured). */
  public double gflops(RunSpec spec) {
    return measured(spec).gflops();
  }

  /** What was measured of {@code spec}'s shape (the mean rate, no fixed time, when not measured). */
  Measured measured(RunSpec spec) {
    Measured m = shapes.get(shape(spec));
    return m == null ? new Measured(fallback, 0, 0) : m;
  }

  /**
   * The fraction of its max_steps work a run of {@code spec}'s shape is expected to do (the sample
   * runs of the calibration stopped there); 1 where nothing says it stops early.
   */
  public double workFraction(RunSpec spec) {
    return workFractions.getOrDefault(shape(spec), 1.0);
  }

  /** Where the rates come from, for the plan's output. */
  public String source() {
    return source;
  }

  /** Shapes measured. */
  public int shapes() {
    return shapes.size();
  }

  /**
   * What the grid will cost at these rates.
   *
   * @param flops work if every run goes to max_steps
   * @param expectedFlops work with each shape's expected fraction
   * @param seconds run time on one core if every run goes to max_steps (fixed times and training)
   * @param expectedSeconds run time on one core with the expected fractions
   * @param warmUpSeconds JIT warm-up of one executor core on the grid's shapes
   */
  public record Estimate(double flops, double expectedFlops, double seconds, double expectedSeconds,
      double warmUpSeconds) {
    /** The rate runs/ will show on {@code cores} cores: expected work over the run times, warm-up included. */
    public double gflops(int cores) {
      return expectedFlops / Math.max(1e-12, expectedSeconds + cores * warmUpSeconds) / 1e9;
    }
  }

  /** The estimate of {@code grid}. */
  public Estimate estimate(MemoryGuard.Walk grid) {
    double[] sums = new double[4];
    Map<String, Boolean> seen = new LinkedHashMap<>();
    grid.forEach((spec, count) -> {
      double flops = Costs.flops(spec);
      double expected = flops * workFraction(spec);
      Measured m = measured(spec);
      sums[0] += count * flops;
      sums[1] += count * expected;
      sums[2] += count * m.seconds(flops);
      sums[3] += count * m.seconds(expected);
      seen.put(shape(spec), true);
    });
    double warmUp = 0;
    for (String key : seen.keySet()) {
      Measured m = shapes.get(key);
      warmUp += m == null ? 0 : m.warmUpSeconds();
    }
    return new Estimate(sums[0], sums[1], sums[2], sums[3], warmUp);
  }

  /**
   * Rates measured by running up to {@link #RUNS_PER_SHAPE} runs of each shape of the grid here
   * (shortened to about {@link #CALIBRATION_FLOPS}), on every core at once as a sweep runs them
   * (one task thread per core: the cores share caches and memory bandwidth, so one thread alone
   * runs faster than each of them), reusing the shapes cached in {@code cache} for this machine and
   * JVM and adding the new ones to it. A cold pass runs every shape's samples once in this fresh JVM
   * (their work fractions, and the warm-up of the new shapes); warm passes repeat them until the JIT
   * is idle; then each new shape is timed.
   */
  public static Rates calibrate(MemoryGuard.Walk grid, Path cache) {
    return calibrate(grid, cache, Runtime.getRuntime().availableProcessors());
  }

  /** {@link #calibrate(MemoryGuard.Walk, Path)} on {@code threads} threads at once. */
  static Rates calibrate(MemoryGuard.Walk grid, Path cache, int threads) {
    Map<String, Measured> cached = read(cache);
    Map<String, List<RunSpec>> samples = new LinkedHashMap<>();
    grid.forEach((spec, count) -> {
      List<RunSpec> s = samples.computeIfAbsent(shape(spec), k -> new ArrayList<>());
      if (s.size() < RUNS_PER_SHAPE) {
        s.add(spec);
      }
    });
    Map<String, Double> fractions = new LinkedHashMap<>();
    Map<String, Measured> measured = new LinkedHashMap<>();
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    try (Calibration c = new Calibration(threads)) {
      // The cold pass: every sample once, up to FRACTION_FLOPS (this JVM's first runs, and how far each run goes).
      Map<String, double[]> slow = new LinkedHashMap<>();
      Map<String, double[]> done = new LinkedHashMap<>();
      samples.forEach((key, runs) -> {
        for (RunSpec spec : runs) {
          RunSpec run = Costs.shortened(spec, FRACTION_FLOPS);
          long compiled = timed ? jit.getTotalCompilationTime() : 0;
          double[] t = c.once(run);
          add(slow.computeIfAbsent(key, k -> new double[4]), t, timed ? jit.getTotalCompilationTime() - compiled : 0);
          double[] d = done.computeIfAbsent(key, k -> new double[2]);
          // A shortened run that used all its steps says nothing of where the whole run stops.
          boolean whole = run == spec || t[2] < run.train().maxSteps();
          d[0] += whole ? t[0] : Costs.flops(spec);
          d[1] += Costs.flops(spec);
        }
      });
      done.forEach((key, d) -> fractions.put(key, Math.min(1, d[0] / Math.max(1, d[1]))));
      List<String> fresh = samples.keySet().stream().filter(k -> !cached.containsKey(k)).toList();
      // Warm passes over the new shapes until the JIT has compiled what they use.
      long warmStart = System.nanoTime();
      for (int pass = 0; pass < MAX_WARM_PASSES && !fresh.isEmpty(); pass++) {
        long compiled = timed ? jit.getTotalCompilationTime() : 0;
        for (String key : fresh) {
          for (RunSpec spec : samples.get(key)) {
            long before = timed ? jit.getTotalCompilationTime() : 0;
            double[] t = c.once(shortened(spec));
            add(slow.get(key), t, timed ? jit.getTotalCompilationTime() - before : 0);
          }
        }
        boolean idle = !timed || jit.getTotalCompilationTime() - compiled < JIT_IDLE_MS;
        if (idle || System.nanoTime() - warmStart > MAX_WARM_SECONDS * 1e9) {
          break;
        }
      }
      for (String key : fresh) {
        // Per sample: the shortened run and the same run of one step; their difference is the steps' rate,
        // what the one-step run takes besides its step is the run's fixed time.
        double flops = 0;
        double seconds = 0;
        double oneFlops = 0;
        double oneSeconds = 0;
        List<RunSpec> runs = samples.get(key);
        for (RunSpec spec : runs) {
          double[] t = c.timed(shortened(spec));
          double[] o = c.timed(oneStep(spec));
          flops += t[0] / t[3];
          seconds += t[1] / t[3];
          oneFlops += o[0] / o[3];
          oneSeconds += o[1] / o[3];
        }
        if (flops > 0 && seconds > 0) {
          boolean separable = flops > oneFlops && seconds > oneSeconds;
          double rate = separable ? (flops - oneFlops) / (seconds - oneSeconds) : flops / seconds;
          double fixed = separable ? Math.max(0, oneSeconds - oneFlops / rate) / runs.size() : 0;
          // Excess of the cold and warm passes over what the same runs take once compiled.
          double[] w = slow.get(key);
          // plus the compiler's time: in a sweep the JIT's threads take the cores the task threads run on.
          double warmUp = Math.max(0, w[1] - w[2] * fixed - w[0] / rate) + w[3] / 1e3 / threads;
          measured.put(key, new Measured(rate / 1e9, fixed, warmUp));
        }
      }
    }
    Map<String, Measured> all = new LinkedHashMap<>(cached);
    all.putAll(measured);
    if (!measured.isEmpty()) {
      write(cache, all);
    }
    return new Rates(all, fractions, "calibrated on this machine (" + measured.size() + " shape"
        + (measured.size() == 1 ? "" : "s") + " measured now, " + (all.size() - measured.size()) + " from " + cache
        + ")");
  }

  /** Adds a run's {flops, seconds} and the JIT's milliseconds meanwhile to {flops, seconds, runs, JIT ms}. */
  private static void add(double[] sum, double[] run, long compileMs) {
    sum[0] += run[0];
    sum[1] += run[1];
    sum[2]++;
    sum[3] += compileMs;
  }

  /** Calibration threads: every run is started on all of them at once, as a sweep keeps every core busy. */
  private static final class Calibration implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;
    private final RunContext context = new RunContext();

    Calibration(int threads) {
      this.threads = threads;
      this.pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "overparam-calibration");
        t.setDaemon(true);
        return t;
      });
    }

    /** {@code run} once on every thread: {flops, seconds, steps} of one thread (means). */
    double[] once(RunSpec run) {
      CyclicBarrier together = new CyclicBarrier(threads);
      List<Future<double[]>> timings = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        timings.add(pool.submit(() -> {
          together.await();
          long start = cpuNanos();
          RunResult r = Runs.execute(run, context);
          return new double[] {r.cost().flops(), (cpuNanos() - start) / 1e9, r.outcome().steps()};
        }));
      }
      double[] mean = new double[3];
      for (Future<double[]> f : timings) {
        double[] t = get(f);
        for (int i = 0; i < 3; i++) {
          mean[i] += t[i] / threads;
        }
      }
      return mean;
    }

    /**
     * {@code run} repeated on every thread for at least {@link #MEASURE_SECONDS} (and twice):
     * {flops, seconds, steps, runs} summed over the repetitions, one thread's mean.
     */
    double[] timed(RunSpec run) {
      double[] sum = new double[4];
      long start = System.nanoTime();
      while (sum[3] < 2 || System.nanoTime() - start < MEASURE_SECONDS * 1e9) {
        double[] t = once(run);
        for (int i = 0; i < 3; i++) {
          sum[i] += t[i];
        }
        sum[3]++;
      }
      return sum;
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  /**
   * This thread's CPU time (wall time where the JVM cannot tell): what the code costs on a core of
   * its own, whatever else the planning machine runs meanwhile (it is seldom an executor).
   */
  private static long cpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : System.nanoTime();
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("calibration interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("calibration run failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Rates an earlier sweep measured: sum of flops over sum of wall time per shape, from its runs/
   * table (aggregated on the executors).
   */
  public static Rates fromRuns(Dataset<Row> runs, String folder) {
    Map<String, double[]> sums = new LinkedHashMap<>();
    // Sweeps written before train.precision existed trained in float64.
    Column precision = List.of(runs.columns()).contains("precision") ? col("precision") : lit(Names.of(Precision.F64));
    // Milliseconds to the microsecond where runs/ has them (sweeps written before wall_us existed: whole
    // ones), and the JIT warm-ups before runs (sweeps written before warmup_ms had them inside wall_ms).
    List<String> columns = List.of(runs.columns());
    String micros = columns.contains("wall_us") ? "coalesce(wall_us, wall_ms * 1000)" : "wall_ms * 1000";
    Column wall = expr(micros + " / 1000.0" + (columns.contains("warmup_ms") ? " + coalesce(warmup_ms, 0)" : ""));
    List<Row> rows = runs.filter(micros + " > 0 AND flops > 0").groupBy(col("model"), col("depth"), col("optimizer"),
        col("width"), col("n"), col("batch_size"), col("surrogate_status"), precision.as("precision")).agg(sum("flops"),
            sum(wall), sum("steps"), sum(col("max_steps").plus(1))).collectAsList();
    for (Row r : rows) {
      int rowsPerStep = r.isNullAt(5) ? r.getInt(4) : r.getInt(5);
      String key = shape(r.getString(0), r.getInt(1), r.getString(2), r.getInt(3), rowsPerStep, !r.isNullAt(6),
          r.getString(7));
      double[] s = sums.computeIfAbsent(key, k -> new double[4]);
      for (int i = 0; i < 4; i++) {
        s[i] += ((Number) r.get(8 + i)).doubleValue();
      }
    }
    Map<String, Measured> rates = new LinkedHashMap<>();
    Map<String, Double> fractions = new LinkedHashMap<>();
    // The JIT warm-up of that sweep is inside the times summed above: none on top.
    sums.forEach((k, v) -> {
      rates.put(k, new Measured(v[0] / (v[1] / 1e3) / 1e9, 0, 0));
      fractions.put(k, Math.min(1, v[2] / v[3]));
    });
    return new Rates(rates, fractions, "measured by the sweep in " + folder + " (" + rates.size() + " shapes)");
  }

  /** One rate for every shape. */
  public static Rates fixed(double gflopsPerCore) {
    return new Rates(Map.of(), Map.of(), gflopsPerCore, "--gflops-per-core " + gflopsPerCore);
  }

  /** {@code spec} with fewer steps when it would take long: the rate of a shape does not depend on the step count. */
  static RunSpec shortened(RunSpec spec) {
    return Costs.shortened(spec, CALIBRATION_FLOPS);
  }

  /** {@code spec} stopped after one step: its time is the run's fixed time and one step. */
  static RunSpec oneStep(RunSpec spec) {
    return new RunSpec(spec.data(), spec.model(), spec.train().withMaxSteps(1), spec.record(), spec.seed());
  }

  /** The cache file of this machine and JVM under {@code folder}: one per CPU model, core count and Java version. */
  public static Path cacheFile(Path folder) {
    // "every core": rates of one thread per core; "fixed time, warm-up": a run's time besides its steps and
    // the JIT warm-up of each shape (caches of earlier calibrations are not read).
    String machine = cpuModel() + "|" + Runtime.getRuntime().availableProcessors() + "|"
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
        + "|every core, fixed time, warm-up";
    return folder.resolve("rates-" + Seeds.hexId(12, machine) + ".json");
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the architecture below
    }
    return System.getProperty("os.arch");
  }

  private static Map<String, Measured> read(Path cache) {
    Map<String, Measured> out = new LinkedHashMap<>();
    try {
      JsonNode n = JSON.readTree(Files.readString(cache, StandardCharsets.UTF_8));
      n.path("shapes").fields().forEachRemaining(e -> out.put(e.getKey(),
          new Measured(e.getValue().path("gflops_per_core").asDouble(), e.getValue().path("fixed_seconds").asDouble(),
              e.getValue().path("warm_up_seconds").asDouble())));
    } catch (IOException | RuntimeException e) {
      // no cache yet, or unreadable: calibrate again
    }
    return out;
  }

  private static void write(Path cache, Map<String, Measured> rates) {
    try {
      Files.createDirectories(cache.getParent());
      ObjectNode n = JSON.createObjectNode();
      ObjectNode r = n.putObject("shapes");
      rates.forEach((k, m) -> r.putObject(k).put("gflops_per_core", m.gflops()).put("fixed_seconds",
          m.fixedSeconds()).put("warm_up_seconds", m.warmUpSeconds()));
      Files.writeString(cache, JSON.writeValueAsString(n), StandardCharsets.UTF_8);
    } catch (IOException e) {
      // a cache that cannot be written costs a calibration next time, nothing else
    }
  }
}
