package io.github.overparam.spark.cli;

import io.github.overparam.spark.config.ConfigException;
import io.github.overparam.spark.config.ConfigLoader;
import io.github.overparam.spark.config.SweepConfig;
import io.github.overparam.spark.data.UserTableLoader;
import io.github.overparam.spark.sweep.SweepFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The config argument and its overrides, shared by every command that reads a config. */
final class ConfigInput {
  @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "Sweep config (YAML): a local path or any Hadoop file system path (hdfs://, s3a://, ...).")
  String path;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key, e.g. --set model.width=[16,32] --set seeds=3 (repeatable).")
  List<String> overrides = new ArrayList<>();

  /**
   * The validated config, or null after printing every error (exit code 2 follows; also when no
   * CONFIG was given, which only {@code validate --keys} does without). A user table
   * ({@code data.source: csv | parquet}) is read with {@code spark}, which is started only then.
   */
  SweepConfig load(CommandLine command, Supplier<SparkSession> spark) {
    if (path == null) {
      command.getErr().println("error: Missing required parameter: 'CONFIG'");
      command.usage(command.getErr());
      return null;
    }
    return load(command.getErr(), spark);
  }

  /** As {@link #load(CommandLine, Supplier)}, without the usage text when CONFIG is missing. */
  SweepConfig load(PrintWriter err, Supplier<SparkSession> spark) {
    if (path == null) {
      err.println("error: Missing required parameter: 'CONFIG'");
      return null;
    }
    String text;
    try {
      text = SweepFolder.readText(path, new Configuration());
    } catch (IOException e) {
      err.println("error: cannot read config " + path + ": " + e.getMessage());
      return null;
    }
    try {
      return ConfigLoader.load(text, overrides, new UserTableLoader(spark));
    } catch (ConfigException e) {
      err.println("error: invalid config " + path + " (" + e.errors().size() + " problem"
          + (e.errors().size() == 1 ? "" : "s") + "):");
      e.errors().forEach(x -> err.println("  " + x));
      return null;
    }
  }
}
