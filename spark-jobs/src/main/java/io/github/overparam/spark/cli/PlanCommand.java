package io.github.overparam.spark.cli;

import io.github.overparam.core.run.Costs;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.config.SweepConfig;
import io.github.overparam.spark.sweep.WavePlan;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Print what a sweep would do: grid size, axes, estimated work and time, waves and tasks."
        + " Nothing is run.")
final class PlanCommand implements Callable<Integer> {
  @Mixin ConfigInput config = new ConfigInput();
  @Spec CommandSpec spec;

  @Option(names = "--cores", description = "Executor cores to plan for (default: this machine's, ${DEFAULT-VALUE}).")
  int cores = Runtime.getRuntime().availableProcessors();

  @Option(names = "--gflops-per-core", description = "Sustained GFLOP/s of one core on these nets"
      + " (default ${DEFAULT-VALUE}, measured with bin/bench on this machine class).")
  double gflopsPerCore = WavePlan.GFLOPS_PER_CORE;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SweepConfig c;
    try (LazySession spark = new LazySession(null, "overparam plan")) {
      c = config.load(spec.commandLine(), spark);
    }
    if (c == null) {
      return Main.BAD_INPUT;
    }
    double flops = 0;
    double maxFlops = 0;
    double maxMemory = 0;
    for (RunSpec r : c.runs()) {
      flops += Costs.flops(r);
      maxFlops = Math.max(maxFlops, Costs.flops(r));
      maxMemory = Math.max(maxMemory, Costs.memoryBytes(r));
    }
    WavePlan plan = WavePlan.auto(c.runs(), cores, c.execution().waveSize(), c.execution().partitions());
    double seconds = flops / (gflopsPerCore * 1e9) / cores;
    out.printf(Locale.ROOT, "sweep:            %s%n", c.sweep());
    out.printf(Locale.ROOT, "runs:             %d%n", c.runs().size());
    out.printf(Locale.ROOT, "axes:             %s%n", c.axes());
    out.printf(Locale.ROOT, "work (upper bound, every run to max_steps): %.3g GFLOP, largest run %.3g GFLOP%n",
        flops / 1e9, maxFlops / 1e9);
    out.printf(Locale.ROOT, "time on %d cores at %.1f GFLOP/s each: at most %s (runs that converge stop early)%n",
        cores, gflopsPerCore, duration(seconds));
    out.printf(Locale.ROOT, "waves:            %d of up to %d runs, up to %d tasks each%n", plan.waves().size(),
        plan.maxWaveSize(), plan.maxTasks());
    out.printf(Locale.ROOT, "largest run's memory: about %.1f MB%n", maxMemory / 1e6);
    KernelValues.print(out, c.runs());
    return Main.OK;
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
