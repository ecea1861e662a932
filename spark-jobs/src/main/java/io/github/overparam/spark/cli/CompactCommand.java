package io.github.overparam.spark.cli;

import io.github.overparam.spark.sweep.Compaction;
import io.github.overparam.spark.sweep.FolderLease;
import io.github.overparam.spark.sweep.SparkSessions;
import io.github.overparam.spark.sweep.SweepException;
import io.github.overparam.spark.sweep.SweepFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compact", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Rewrite a sweep folder's committed waves into the partitioned layout: runs/ and curves/"
    + " partitioned by the columns that name the analysis' groups (a query on one group reads only its files),"
    + " in files of about 128 MB; committed by one record, compacted.json, so that a crash at any point loses"
    + " nothing. Finishes an interrupted compaction; on a folder compacted before, compacts the waves committed"
    + " since (the next record, compacted.2.json, ...).")
final class CompactCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The sweep folder (<out>/<sweep>), any Hadoop path.")
  String dir;

  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SparkSession spark = SparkSessions.create(master, "overparam compact");
    spark.sparkContext().setLogLevel("WARN");
    FolderLease lease = null;
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    try {
      SweepFolder folder = new SweepFolder(new Path(dir), spark.sparkContext().hadoopConfiguration());
      if (!folder.existsNonEmpty() || !folder.hasConfig()) {
        err.println("error: " + dir + " is not a sweep folder (no " + SweepFolder.CONFIG_FILE + ")");
        return Main.BAD_INPUT;
      }
      // Like a driver, compact holds the folder's lease: it never rewrites a folder a sweep is writing.
      lease = FolderLease.forSession(folder.root(), spark);
      lease.acquire(true);
      if (lease.takenOver() != null) {
        out.println("note: took over the stale lease of " + lease.takenOver().describe(Instant.now()));
      }
      new Compaction(spark, new PrintStream(lines, true, StandardCharsets.UTF_8)).compact(folder, lease);
      out.print(lines.toString(StandardCharsets.UTF_8));
      return Main.OK;
    } catch (FolderLease.BusyException e) {
      err.println("error: " + e.getMessage() + "; compact waits for the sweep to finish");
      return Main.BAD_INPUT;
    } catch (SweepException e) {
      out.print(lines.toString(StandardCharsets.UTF_8));
      err.println("error: " + e.getMessage());
      return Main.FAILED;
    } catch (IOException e) {
      err.println("error: cannot compact " + dir + ": " + e.getMessage());
      return Main.FAILED;
    } finally {
      if (lease != null) {
        lease.close();
      }
      spark.stop();
    }
  }
}
