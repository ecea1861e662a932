package io.github.overparam.spark.cli;

import io.github.overparam.spark.sweep.BuildInfo;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code overparam} command: one entry, one class per subcommand, one exit-code convention:
 * 0 success, 1 the work failed (I/O, Spark), 2 bad input (config, arguments).
 */
@Command(name = "overparam", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Test over-parameterization convergence theory: sweeps of ReLU-network training runs on Spark.", subcommands = {
    RunCommand.class, PlanCommand.class, ValidateCommand.class, SqlCommand.class, AnalyzeCommand.class,
    CompactCommand.class, SchemaCommand.class,
    CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a subcommand is required: run, plan, validate, sql, analyze, compact, schema");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = execute(args, out, err);
    // Autoflush covers println only: what a command print()ed must not be lost at exit.
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the command in-process with the given streams and returns its exit code (for tests). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? BAD_INPUT : FAILED);
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("error: " + ex.getMessage());
      ex.getCommandLine().usage(ex.getCommandLine().getErr());
      return BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + ex.getMessage());
      return FAILED;
    });
    return cli.execute(args);
  }

  /** Version of overparam with its git commit. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"overparam " + BuildInfo.version() + " (git " + BuildInfo.gitCommit() + ")"};
    }
  }
}
