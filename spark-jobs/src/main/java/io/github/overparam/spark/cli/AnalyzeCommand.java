package io.github.overparam.spark.cli;

import io.github.overparam.spark.analysis.AnalysisReport;
import io.github.overparam.spark.analysis.NoRunsException;
import io.github.overparam.spark.analysis.SweepAnalysis;
import io.github.overparam.spark.sweep.FolderLease;
import io.github.overparam.spark.sweep.SparkSessions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Analyse a sweep: critical widths per group, scaling-law fits with bootstrap intervals and"
        + " verdicts on the papers' claims, written as the tables critical/, fits/, verdicts/ (replaced on each"
        + " run).")
final class AnalyzeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The sweep folder (<out>/<sweep>), any Hadoop path.")
  String dir;

  @Option(names = "--threshold", description = "Success rate that defines the critical width (default"
      + " ${DEFAULT-VALUE}).")
  double threshold = SweepAnalysis.DEFAULT_THRESHOLD;

  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!(threshold > 0 && threshold <= 1)) {
      spec.commandLine().getErr().println("error: --threshold must be in (0, 1], got " + threshold);
      return Main.BAD_INPUT;
    }
    SparkSession spark = SparkSessions.create(master, "overparam analyze");
    spark.sparkContext().setLogLevel("WARN");
    try {
      String running = FolderLease.inProgressNote(dir, spark);
      if (running != null) {
        spec.commandLine().getOut().println(running);
      }
      AnalysisReport.analyzeAndPrint(spark, dir, threshold, spec.commandLine().getOut());
      return Main.OK;
    } catch (NoRunsException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.BAD_INPUT;
    } finally {
      spark.stop();
    }
  }
}
