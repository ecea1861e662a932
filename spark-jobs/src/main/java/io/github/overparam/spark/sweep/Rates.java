package io.github.overparam.spark.sweep;

import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.overparam.core.Names;
import io.github.overparam.core.random.Seeds;
import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RunContext;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.TrainSpec;
import java.io.IOException;
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
 */
public final class Rates {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Calibration runs per shape, at most. */
  static final int RUNS_PER_SHAPE = 2;
  /** A calibration run is shortened (fewer max_steps) to about this much estimated work. */
  static final double CALIBRATION_FLOPS = 3e8;
  /** Seconds a shape's calibration run is repeated before it is timed (the JIT compiles it meanwhile). */
  static final double WARM_UP_SECONDS = 0.05;
  /** Seconds a shape's calibration runs are timed, at least (and two runs). */
  static final double MEASURE_SECONDS = 0.1;

  private final Map<String, Double> gflops;
  private final double fallback;
  private final String source;

  private Rates(Map<String, Double> gflops, double fallback, String source) {
    this.gflops = Map.copyOf(gflops);
    this.fallback = fallback;
    this.source = source;
  }

  /** The shape key of a run: arch, depth, optimizer, log2 buckets of width and of the rows per step. */
  public static String shape(String arch, int depth, String optimizer, int width, int rows, boolean surrogate) {
    return arch + "/L" + depth + "/" + optimizer + "/m2^" + log2(width) + "/rows2^" + log2(rows)
        + (surrogate ? "/surrogate" : "");
  }

  /** The shape of {@code spec}. */
  public static String shape(RunSpec spec) {
    TrainSpec t = spec.train();
    int rows = t.optimizer() == Optimizer.SGD ? t.batchSize() : spec.data().n();
    return shape(Names.of(spec.model().arch()), spec.model().depth(), Names.of(t.optimizer()), spec.model().width(),
        rows, spec.record().surrogate());
  }

  private static int log2(int x) {
    return 31 - Integer.numberOfLeadingZeros(Math.max(1, x));
  }

  /** The rate of {@code spec}'s shape in GFLOP/s of one core (the mean of all shapes when not measured). */
  public double gflops(RunSpec spec) {
    return gflops.getOrDefault(shape(spec), fallback);
  }

  /** Where the rates come from, for the plan's output. */
  public String source() {
    return source;
  }

  /** Shapes measured. */
  public int shapes() {
    return gflops.size();
  }

  /**
   * Rates measured by running up to {@link #RUNS_PER_SHAPE} runs of each shape of the grid here
   * (shortened to about {@link #CALIBRATION_FLOPS}), on every core at once as a sweep runs them
   * (one task thread per core: the cores share caches and memory bandwidth, so one thread alone
   * runs faster than each of them), reusing the shapes cached in {@code cache} for this machine and
   * JVM and adding the new ones to it.
   */
  public static Rates calibrate(MemoryGuard.Walk grid, Path cache) {
    return calibrate(grid, cache, Runtime.getRuntime().availableProcessors());
  }

  /** {@link #calibrate(MemoryGuard.Walk, Path)} on {@code threads} threads at once. */
  static Rates calibrate(MemoryGuard.Walk grid, Path cache, int threads) {
    Map<String, Double> cached = read(cache);
    Map<String, double[]> measured = new LinkedHashMap<>();
    Map<String, Integer> tried = new LinkedHashMap<>();
    RunContext context = new RunContext();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "overparam-calibration");
      t.setDaemon(true);
      return t;
    });
    try {
      grid.forEach((spec, count) -> {
        String key = shape(spec);
        if (cached.containsKey(key) || tried.getOrDefault(key, 0) >= RUNS_PER_SHAPE) {
          return;
        }
        tried.merge(key, 1, Integer::sum);
        RunSpec run = shortened(spec);
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Future<double[]>> timings = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          timings.add(pool.submit(() -> time(run, context, together)));
        }
        for (Future<double[]> f : timings) {
          double[] t = get(f);
          if (t[0] > 0 && t[1] > 0) {
            measured.computeIfAbsent(key, k -> new double[2]);
            measured.get(key)[0] += t[0];
            measured.get(key)[1] += t[1];
          }
        }
      });
    } finally {
      pool.shutdownNow();
    }
    Map<String, Double> all = new LinkedHashMap<>(cached);
    measured.forEach((k, v) -> all.put(k, v[0] / v[1] / 1e9));
    if (!measured.isEmpty()) {
      write(cache, all);
    }
    return new Rates(all, mean(all), "calibrated on this machine (" + measured.size() + " shape"
        + (measured.size() == 1 ? "" : "s") + " measured now, " + (all.size() - measured.size()) + " from " + cache
        + ")");
  }

  /**
   * One thread's timing of {@code run}: it warms the JIT up on it (not counted), waits for the
   * other threads, then times runs for at least {@link #MEASURE_SECONDS}; {flops, seconds}.
   */
  private static double[] time(RunSpec run, RunContext context, CyclicBarrier together) throws Exception {
    long warm = System.nanoTime();
    while (System.nanoTime() - warm < WARM_UP_SECONDS * 1e9) {
      Runs.execute(run, context);
    }
    together.await();
    long start = System.nanoTime();
    double flops = 0;
    int runs = 0;
    while (runs < 2 || System.nanoTime() - start < MEASURE_SECONDS * 1e9) {
      flops += Runs.execute(run, context).cost().flops();
      runs++;
    }
    return new double[] {flops, (System.nanoTime() - start) / 1e9};
  }

  private static double[] get(Future<double[]> f) {
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
    List<Row> rows = runs.filter("wall_ms > 0 AND flops > 0").groupBy("model", "depth", "optimizer", "width", "n",
        "batch_size", "surrogate_status").agg(sum("flops"), sum("wall_ms")).collectAsList();
    for (Row r : rows) {
      int rowsPerStep = r.isNullAt(5) ? r.getInt(4) : r.getInt(5);
      String key = shape(r.getString(0), r.getInt(1), r.getString(2), r.getInt(3), rowsPerStep, !r.isNullAt(6));
      double[] s = sums.computeIfAbsent(key, k -> new double[2]);
      s[0] += ((Number) r.get(7)).doubleValue();
      s[1] += ((Number) r.get(8)).doubleValue() / 1e3;
    }
    Map<String, Double> rates = new LinkedHashMap<>();
    sums.forEach((k, v) -> rates.put(k, v[0] / v[1] / 1e9));
    return new Rates(rates, mean(rates), "measured by the sweep in " + folder + " (" + rates.size() + " shapes)");
  }

  /** One rate for every shape. */
  public static Rates fixed(double gflopsPerCore) {
    return new Rates(Map.of(), gflopsPerCore, "--gflops-per-core " + gflopsPerCore);
  }

  private static double mean(Map<String, Double> rates) {
    return rates.isEmpty() ? WavePlan.GFLOPS_PER_CORE
        : rates.values().stream().mapToDouble(Double::doubleValue).average().orElse(WavePlan.GFLOPS_PER_CORE);
  }

  /** {@code spec} with fewer steps when it would take long: the rate of a shape does not depend on the step count. */
  static RunSpec shortened(RunSpec spec) {
    double perStep = Costs.flopsPerStep(spec);
    int steps = (int) Math.max(2, Math.min(spec.train().maxSteps(), CALIBRATION_FLOPS / Math.max(1, perStep)));
    if (steps == spec.train().maxSteps()) {
      return spec;
    }
    return new RunSpec(spec.data(), spec.model(), spec.train().withMaxSteps(steps), spec.record(), spec.seed());
  }

  /** The cache file of this machine and JVM under {@code folder}: one per CPU model, core count and Java version. */
  public static Path cacheFile(Path folder) {
    // "every core": rates of one thread per core (caches written by single-thread calibrations are not read).
    String machine = cpuModel() + "|" + Runtime.getRuntime().availableProcessors() + "|"
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + "|every core";
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

  private static Map<String, Double> read(Path cache) {
    Map<String, Double> out = new LinkedHashMap<>();
    try {
      JsonNode n = JSON.readTree(Files.readString(cache, StandardCharsets.UTF_8));
      n.path("gflops_per_core").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
    } catch (IOException | RuntimeException e) {
      // no cache yet, or unreadable: calibrate again
    }
    return out;
  }

  private static void write(Path cache, Map<String, Double> rates) {
    try {
      Files.createDirectories(cache.getParent());
      ObjectNode n = JSON.createObjectNode();
      ObjectNode r = n.putObject("gflops_per_core");
      rates.forEach(r::put);
      Files.writeString(cache, JSON.writeValueAsString(n), StandardCharsets.UTF_8);
    } catch (IOException e) {
      // a cache that cannot be written costs a calibration next time, nothing else
    }
  }
}
