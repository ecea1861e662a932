package io.github.overparam.spark.cli;

import io.github.overparam.spark.config.SchemaDoc;
import io.github.overparam.spark.config.SweepConfig;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Check a config and print its grid size; nothing is run. Exit code 2 if invalid."
    + " With --keys, print every config key instead.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin
  ConfigInput config = new ConfigInput();
  @Spec
  CommandSpec spec;

  @Option(names = "--keys", description = "Print every config key (values, default, meaning) and exit.")
  boolean keys;

  @Option(names = "--markdown", description = "With --keys: the README's key tables, between their markers.")
  boolean markdown;

  @Override
  public Integer call() {
    if (keys) {
      spec.commandLine().getOut().print(markdown ? SchemaDoc.markdownSections() : SchemaDoc.text());
      return Main.OK;
    }
    try (LazySession spark = new LazySession(null, "overparam validate")) {
      SweepConfig c = config.load(spec.commandLine(), spark);
      if (c == null) {
        return Main.BAD_INPUT;
      }
      spec.commandLine().getOut().printf("valid: sweep %s, %d runs, axes %s%n", c.sweep(), c.runCount(),
          c.axes());
      Set<String> notes = new LinkedHashSet<>();
      c.forEachPoint((r, count) -> {
        if (r.data().note() != null) {
          notes.add(r.data().note());
        }
      });
      notes.forEach(note -> spec.commandLine().getOut().println("data: " + note));
      return Main.OK;
    }
  }
}
