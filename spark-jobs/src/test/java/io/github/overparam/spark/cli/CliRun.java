package io.github.overparam.spark.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the overparam command in-process for tests: its exit code and what it printed. */
public record CliRun(int code, String out, String err) {

  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }
}
