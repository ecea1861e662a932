package io.github.overparam.spark.cli;

import io.github.overparam.spark.config.SweepConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Check a config and print its grid size; nothing is run. Exit code 2 if invalid.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin ConfigInput config = new ConfigInput();
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try (LazySession spark = new LazySession(null, "overparam validate")) {
      SweepConfig c = config.load(spec.commandLine().getErr(), spark);
      if (c == null) {
        return Main.BAD_INPUT;
      }
      spec.commandLine().getOut().printf("valid: sweep %s, %d runs, axes %s%n", c.sweep(), c.runs().size(),
          c.axes());
      c.runs().stream().map(r -> r.data().note()).filter(java.util.Objects::nonNull).distinct()
          .forEach(note -> spec.commandLine().getOut().println("data: " + note));
      return Main.OK;
    }
  }
}
