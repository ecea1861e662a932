package io.github.overparam.spark.sweep;

import io.github.overparam.spark.table.Table;
import io.github.overparam.spark.table.TableColumn;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
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
    SweepViews.register(spark, outcome.folder());
    List<String> columns = columns(spark, axes);
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

  /**
   * The runs/ columns of the grid's axes, in axis order: a searched width is the width, a config key
   * the column that records it (model.arch: model, train.loss: loss_fn). A step size or budget given
   * by a rule is shown as its rule: its per-data-set values would give a row per seed.
   */
  static List<String> columns(SparkSession spark, List<String> axes) {
    List<String> columns = new ArrayList<>();
    Row rules = spark.sql("SELECT count(lr_rule), count(max_steps_rule) FROM runs").first();
    for (String axis : axes) {
      String column = axis.equals("search") ? "width" : column(axis.substring(axis.lastIndexOf('.') + 1));
      if (column != null && column.equals("lr") && rules.getLong(0) > 0) {
        column = "lr_rule";
      } else if (column != null && column.equals("max_steps") && rules.getLong(1) > 0) {
        column = "max_steps_rule";
      }
      if (column != null && !columns.contains(column)) {
        columns.add(column);
      }
    }
    return columns;
  }

  /** The runs/ column that records config key {@code leaf} (e.g. arch: model), or null (seed, case). */
  private static String column(String leaf) {
    if (leaf.equals("seed") || leaf.equals("seeds")) {
      return null;
    }
    for (TableColumn<?> c : Table.RUNS.columns()) {
      if (c.name().equals(leaf) || c.canonicalKeys().contains(leaf)) {
        return c.name();
      }
    }
    return null;
  }
}
