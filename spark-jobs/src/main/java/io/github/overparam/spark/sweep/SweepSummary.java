package io.github.overparam.spark.sweep;

import io.github.overparam.spark.table.Table;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** The short report printed at the end of a sweep: where the tables are, and what happened per grid point. */
public final class SweepSummary {
  private SweepSummary() {}

  public static void print(SparkSession spark, SweepRunner.Outcome outcome, List<String> axes, PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "sweep folder: %s%n", outcome.folder());
    out.printf(Locale.ROOT, "tables:       %s/{runs,curves,datasets}  (Parquet; overparam sql %s \"SELECT ...\")%n",
        outcome.folder(), outcome.folder());
    out.printf(Locale.ROOT, "runs:         %d in the grid, %d run now, %d were already done, %d waves, wall %.1f s%n",
        outcome.gridSize(), outcome.ran(), outcome.alreadyDone(), outcome.waves(), outcome.wallMs() / 1000.0);
    out.printf(Locale.ROOT, "statuses:     %s%n", outcome.statusCounts());
    if (outcome.ran() > 0) {
      int cores = spark.sparkContext().defaultParallelism();
      double ideal = outcome.sumRunMs() / (double) cores;
      out.printf(Locale.ROOT, "overhead:     wall / (sum of run times / %d cores) = %.2f%n", cores,
          outcome.wallMs() / Math.max(1.0, ideal));
    }
    List<String> columns = new ArrayList<>();
    List<String> known = Arrays.asList(Table.RUNS.schema().fieldNames());
    for (String axis : axes) {
      // A searched width is not a config axis but is what the rows differ by.
      String column = axis.equals("search") ? "width" : axis.substring(axis.lastIndexOf('.') + 1);
      column = column.equals("loss") ? "loss_fn" : column;
      if (!column.equals("seed") && !column.equals("seeds") && known.contains(column) && !columns.contains(column)) {
        columns.add(column);
      }
    }
    SweepViews.register(spark, outcome.folder());
    String group = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
    String query = "SELECT " + group + "count(*) AS runs, "
        + "round(avg(CASE WHEN status = 'converged' THEN 1.0 ELSE 0.0 END), 3) AS success_rate, "
        + "percentile_approx(steps_to_target, 0.5) AS median_steps_to_target, "
        + "round(avg(max_neuron_distance), 4) AS mean_max_neuron_distance, "
        + "round(avg(flip_fraction), 4) AS mean_flip_fraction "
        + "FROM runs" + (columns.isEmpty() ? "" : " GROUP BY " + String.join(", ", columns)
            + " ORDER BY " + String.join(", ", columns));
    out.println();
    out.print(TextTable.format(spark.sql(query), 60));
  }
}
