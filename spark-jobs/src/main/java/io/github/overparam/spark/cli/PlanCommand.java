package io.github.overparam.spark.cli;

import io.github.overparam.spark.config.SweepConfig;
import io.github.overparam.spark.sweep.GridStats;
import io.github.overparam.spark.sweep.GridWaves;
import io.github.overparam.spark.sweep.MemoryGuard;
import io.github.overparam.spark.sweep.OutputSize;
import io.github.overparam.spark.sweep.Rates;
import io.github.overparam.spark.sweep.RunFootprint;
import io.github.overparam.spark.sweep.SweepViews;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Print what a sweep would do: grid size, axes, estimated work, rate and time, waves and tasks,"
    + " the largest run's memory and the output's size; refuse (exit code 2) runs that cannot fit in a task's"
    + " memory. Runs nothing but a short calibration (cached per machine and JVM).")
final class PlanCommand implements Callable<Integer> {
  @Mixin
  ConfigInput config = new ConfigInput();
  @Spec
  CommandSpec spec;

  @Option(names = "--cores", description = "Executor cores to plan for (default: this machine's, ${DEFAULT-VALUE}).")
  int cores = Runtime.getRuntime().availableProcessors();

  @Option(names = "--gflops-per-core", description = "One rate (GFLOP/s of one core) for every run shape, instead"
      + " of calibrated rates.")
  Double gflopsPerCore;

  @Option(names = "--calibrate-from", paramLabel = "DIR", description = "Take the rates per run shape from an"
      + " earlier sweep's folder (its runs/ table), e.g. one run on the same cluster, instead of calibrating here.")
  String calibrateFrom;

  @Option(names = "--rates-cache", paramLabel = "DIR", description = "Where calibrated rates are cached, per machine"
      + " and JVM (default: ${DEFAULT-VALUE}).")
  Path ratesCache = Path.of(System.getProperty("user.home"), ".cache", "overparam");

  @Option(names = "--max-run-memory", paramLabel = "SIZE", description = "Memory one run may use (e.g. 6g), or"
      + " off (default: as run would choose it).")
  String maxRunMemory;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (LazySession spark = new LazySession(null, "overparam plan")) {
      SweepConfig c = config.load(spec.commandLine(), spark);
      if (c == null) {
        return Main.BAD_INPUT;
      }
      GridStats stats = GridStats.of(c);
      // Before the calibration: a run that cannot fit is refused before any of it runs.
      MemoryGuard.Budget budget;
      try {
        budget = MemoryGuard.budget(new SparkConf(true), null, maxRunMemory, Runtime.getRuntime().maxMemory(),
            Runtime.getRuntime().availableProcessors());
      } catch (NumberFormatException e) {
        err.println("error: --max-run-memory must be a size such as 512m or 6g, or off: " + e.getMessage());
        return Main.BAD_INPUT;
      }
      String tooLarge = c.search() == null ? MemoryGuard.refusal(c::forEachPoint, budget, "model.width") : null;
      if (tooLarge != null) {
        err.println(tooLarge);
        return Main.BAD_INPUT;
      }
      Rates rates = gflopsPerCore != null ? Rates.fixed(gflopsPerCore)
          : calibrateFrom != null ? Rates.fromRuns(SweepViews.read(spark.get(), calibrateFrom, "runs"), calibrateFrom)
          : Rates.calibrate(c::forEachPoint, Rates.cacheFile(ratesCache));
      Rates.Estimate estimate = rates.estimate(c::forEachPoint);
      double rate = estimate.gflops(cores);
      double besides = stats.runs() * GridWaves.OVERHEAD_SECONDS_PER_RUN + cores * estimate.warmUpSeconds();
      double expected = (estimate.expectedSeconds() + besides) / Math.max(1, cores);
      double total = (estimate.seconds() + besides) / Math.max(1, cores);
      GridWaves plan = GridWaves.auto(c.grid().size(), stats, cores, c.waveSize(), c.partitions(),
          stats.flops() / Math.max(1e-12, estimate.seconds()) / 1e9);
      OutputSize size = OutputSize.of(stats, plan);
      out.printf(Locale.ROOT, "sweep:            %s%n", c.sweep());
      out.printf(Locale.ROOT, "runs:             %d (%s)%n", c.runCount(), c.axes());
      out.printf(Locale.ROOT, "work (upper bound, every run to max_steps): %.3g GFLOP, largest run %.3g GFLOP%n",
          stats.flops() / 1e9, stats.maxFlops() / 1e9);
      out.printf(Locale.ROOT, "work expected:    %.3g GFLOP (%.0f%% of the bound: where the calibration's runs of"
          + " each shape stopped)%n", estimate.expectedFlops() / 1e9,
          100 * estimate.expectedFlops() / Math.max(1e-12, estimate.flops()));
      out.printf(Locale.ROOT, "rate:             %.3g GFLOP/s per core over this grid's shapes, JIT warm-up"
          + " included (sum of flops / sum of run times, as runs/ will show it on cores of their own); rates %s%n",
          rate, rates.source());
      out.printf(Locale.ROOT, "time on %d cores: about %s, at most %s (training; plus %.0f us per run and %.1f s of"
          + " JIT warm-up per core)%n", cores, duration(expected), duration(total),
          GridWaves.OVERHEAD_SECONDS_PER_RUN * 1e6, estimate.warmUpSeconds());
      out.printf(Locale.ROOT, "waves:            %d of up to %d runs, %d tasks each%n", plan.waves(),
          plan.runsPerWave(stats.runs()), plan.tasks());
      out.printf(Locale.ROOT, "output:           %s%n", size.describe());
      out.printf(Locale.ROOT, "largest run's memory: about %s (%s)%n", MemoryGuard.format(stats.largestBytes()),
          RunFootprint.describe(stats.largest()));
      if (c.grid().size() <= SweepConfig.MAX_LISTED) {
        KernelValues.print(out, c.runs());
      }
      return Main.OK;
    }
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
