package io.github.overparam.spark.cli;

import io.github.overparam.spark.sweep.FolderLease;
import io.github.overparam.spark.sweep.SparkSessions;
import io.github.overparam.spark.sweep.SweepViews;
import io.github.overparam.spark.sweep.TextTable;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sql", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Run Spark SQL over a sweep's tables; each table is registered as a view of the same name"
    + " (runs, curves, datasets, ...).")
final class SqlCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The sweep folder (<out>/<sweep>), any Hadoop path.")
  String dir;

  @Parameters(index = "1", paramLabel = "QUERY", description = "A Spark SQL query, e.g. \"SELECT status, count(*)"
      + " FROM runs GROUP BY status\".")
  String query;

  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--max-rows", description = "Rows to print (default ${DEFAULT-VALUE}).")
  int maxRows = 100;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SparkSession spark = SparkSessions.create(master, "overparam sql");
    try {
      List<String> views = SweepViews.register(spark, dir);
      if (views.isEmpty()) {
        spec.commandLine().getErr().println("error: no overparam tables under " + dir);
        return Main.BAD_INPUT;
      }
      String running = FolderLease.inProgressNote(dir, spark);
      if (running != null) {
        spec.commandLine().getErr().println(running);
      }
      String shown;
      try {
        shown = TextTable.format(spark.sql(query), maxRows);
      } catch (Exception e) { // AnalysisException is a checked exception seen from Java
        spec.commandLine().getErr().println("error: query failed: " + e.getMessage());
        spec.commandLine().getErr().println("views: " + views);
        return Main.BAD_INPUT;
      }
      out.print(shown);
      out.flush();
      return Main.OK;
    } finally {
      spark.stop();
    }
  }
}
