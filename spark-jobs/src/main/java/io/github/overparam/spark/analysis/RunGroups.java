package io.github.overparam.spark.analysis;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.github.overparam.core.Names;
import io.github.overparam.core.train.Status;
import io.github.overparam.spark.analysis.Group.Cell;
import io.github.overparam.spark.analysis.Group.Obs;
import io.github.overparam.spark.sweep.SweepViews;
import io.github.overparam.spark.table.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark side of the analysis: runs/ aggregated to one row per (group, width) with the counts, the
 * mean parameter count and the per-seed observations; those aggregates (tiny: groups x widths)
 * come to the driver as {@link Group}s.
 */
final class RunGroups {
  private RunGroups() {}

  /** Success: status converged. */
  static final String CONVERGED = Names.of(Status.CONVERGED);

  /**
   * The runs/ columns of one observation, in the order of the observation struct (which sorts the
   * observations of a cell: seed first). Read back by these names.
   */
  static final List<String> OBS_COLUMNS = List.of("seed", "converged", "diverged", "steps_to_target",
      "max_neuron_distance", "max_relative_distance", "max_layer_distance", "flip_fraction", "rate_min", "rate_fit",
      "lambda0", "run_lr", "ntk_limit_lambda_min", "test_loss", "test_accuracy", "surrogate_gap",
      "end_trend", "run_max_steps");

  /** Columns added after the first tables were written: read as null from older tables. */
  private static final List<String> LATER_METRICS = List.of("surrogate_gap", "test_accuracy", "ntk_limit_lambda_min");

  static Obs obs(Row o) {
    return new Obs(o.<Long>getAs("seed"),
        new Obs.Result(o.<Boolean>getAs("converged"), o.<Boolean>getAs("diverged"), o.getAs("steps_to_target"),
            o.getAs("end_trend"), o.getAs("run_max_steps")),
        new Obs.Motion(o.getAs("max_neuron_distance"), o.getAs("max_relative_distance"), o.getAs("max_layer_distance"),
            o.getAs("flip_fraction")),
        new Obs.Speed(o.getAs("rate_min"), o.getAs("rate_fit"), o.getAs("lambda0"), o.getAs("run_lr"),
            o.getAs("ntk_limit_lambda_min")),
        new Obs.Heldout(o.getAs("test_loss"), o.getAs("test_accuracy"), o.getAs("surrogate_gap")));
  }

  /** The groups of the committed runs under {@code dir}, sorted by their group column values. */
  static List<Group> collect(SparkSession spark, String dir) {
    // Committed waves only: what a crashed wave left behind is not a result.
    Dataset<Row> runs = SweepViews.read(spark, dir, Table.RUNS);
    if (runs == null) {
      return List.of();
    }
    // Tables written before a column existed read it as null (the model it describes did not exist).
    Set<String> present = new HashSet<>(Arrays.asList(runs.columns()));
    for (String c : AnalysisTables.GROUP_COLUMNS) {
      if (!present.contains(c)) {
        runs = runs.withColumn(c, lit(null).cast(Table.RUNS.schema().apply(c).dataType()));
      }
    }
    for (String c : LATER_METRICS) {
      if (!present.contains(c)) {
        runs = runs.withColumn(c, lit(null).cast("double"));
      }
    }
    if (!present.contains("end_trend")) {
      runs = runs.withColumn("end_trend", lit(null).cast("string"));
    }
    runs = runs.withColumn("run_lr", col("lr"));
    runs = present.contains("dist_frobenius") ? runs.withColumn("max_layer_distance", array_max(col("dist_frobenius")))
        : runs.withColumn("max_layer_distance", lit(null).cast("double"));
    // An lr given by a rule in the width varies with the width: the group is the rule, not the value.
    runs = runs.withColumn("lr", when(col("lr_rule").isNull(), col("lr")));
    // So is a step budget given by a rule in the width, the step size or the data's kernel; the
    // budget ladder reads each run's own.
    runs = runs.withColumn("run_max_steps", col("max_steps"));
    runs = runs.withColumn("max_steps", when(col("max_steps_rule").isNull(), col("max_steps")));
    List<Column> keys = new ArrayList<>();
    for (String c : AnalysisTables.GROUP_COLUMNS) {
      keys.add(col(c));
    }
    keys.add(col("width"));
    Column converged = col("status").equalTo(CONVERGED);
    Column diverged = col("status").isin(Names.of(Status.DIVERGED), Names.of(Status.FAILED));
    List<Column> obs = new ArrayList<>();
    for (String c : OBS_COLUMNS) {
      obs.add(c.equals("converged") ? converged.as(c) : c.equals("diverged") ? when(diverged, true).otherwise(false).as(
          c) : col(c));
    }
    Dataset<Row> cells = runs.where(col("width").isNotNull()).groupBy(keys.toArray(Column[]::new)).agg(
        count(lit(1)).as("runs"),
        sum(when(converged, 1).otherwise(0)).as("converged"),
        sum(when(col("status").isin(Names.of(Status.DIVERGED), Names.of(Status.FAILED)), 1).otherwise(0)).as(
            "diverged"),
        avg(col("trained_param_count")).as("params"),
        sum(col("lambda0")).as("lambda0_sum"),
        count(col("lambda0")).as("lambda0_count"),
        sort_array(collect_list(struct(obs.toArray(Column[]::new)))).as("obs"));
    Map<List<Object>, Group> groups = new LinkedHashMap<>();
    for (Row r : cells.collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (String c : AnalysisTables.GROUP_COLUMNS) {
        values.add(r.getAs(c));
      }
      Group g = groups.computeIfAbsent(values, Group::new);
      List<Obs> list = new ArrayList<>();
      Map<Long, List<Obs>> bySeed = new TreeMap<>();
      for (Row o : r.<Row>getList(r.fieldIndex("obs"))) {
        Obs ob = obs(o);
        list.add(ob);
        bySeed.computeIfAbsent(ob.seed(), s -> new ArrayList<>()).add(ob);
      }
      int width = r.<Integer>getAs("width");
      g.cells.put(width, new Cell(width, (int) r.<Long>getAs("runs").longValue(),
          (int) r.<Long>getAs("converged").longValue(), (int) r.<Long>getAs("diverged").longValue(),
          r.<Double>getAs("params"), list, bySeed));
      Double l0 = r.getAs("lambda0_sum");
      g.lambda0Sum += l0 == null ? 0 : l0;
      g.lambda0Count += r.<Long>getAs("lambda0_count");
    }
    List<Group> list = new ArrayList<>(groups.values());
    list.sort((a, b) -> compareValues(a.values, b.values));
    return list;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareValues(List<Object> a, List<Object> b) {
    for (int i = 0; i < a.size(); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      if (x == null || y == null) {
        if (x != y) {
          return x == null ? -1 : 1;
        }
        continue;
      }
      int c = ((Comparable) x).compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
