package io.github.overparam.spark.cli;

import io.github.overparam.spark.analysis.AnalysisReport;
import io.github.overparam.spark.analysis.NoRunsException;
import io.github.overparam.spark.analysis.SweepAnalysis;
import io.github.overparam.spark.sweep.FolderLease;
import io.github.overparam.spark.sweep.SparkSessions;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Analyze a sweep: critical widths per group, scaling-law fits with bootstrap intervals and"
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

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (!(threshold > 0 && threshold <= 1)) {
      spec.commandLine().getErr().println("error: --threshold must be in (0, 1], got " + threshold);
      return Main.BAD_INPUT;
    }
    SparkSession spark = SparkSessions.create(master, "overparam analyze");
    spark.sparkContext().setLogLevel("WARN");
    FolderLease lease = null;
    try {
      // analyze writes critical/, fits/ and verdicts/ into the folder: like a driver, it holds the
      // folder's lease while it does, so it never writes beside a sweep in progress (which analyzes
      // itself at its end) and no run --resume starts while it writes.
      Path folder = new Path(dir);
      if (folder.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(folder)) {
        lease = FolderLease.forSession(folder, spark);
        lease.acquire(true);
        if (lease.takenOver() != null) {
          spec.commandLine().getOut().println("note: took over the stale lease of "
              + lease.takenOver().describe(Instant.now()) + " (that driver died; run --resume finishes its sweep)");
        }
      }
      AnalysisReport.analyzeAndPrint(spark, dir, threshold, spec.commandLine().getOut());
      return Main.OK;
    } catch (FolderLease.BusyException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage() + ". analyze writes critical/, fits/ and"
          + " verdicts/ into the folder, so it waits for the sweep to finish (a sweep analyzes itself at its end);"
          + " meanwhile overparam sql reads its committed waves");
      return Main.BAD_INPUT;
    } catch (NoRunsException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: cannot read " + dir + ": " + e.getMessage());
      return Main.FAILED;
    } finally {
      if (lease != null) {
        lease.close();
      }
      spark.stop();
    }
  }
}
