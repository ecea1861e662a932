package io.github.overparam.spark.analysis;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import io.github.overparam.spark.sweep.Tables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The derived tables of a sweep (DESIGN.md section 4): {@code critical/}, {@code fits/} and
 * {@code verdicts/}. Explicit schemas; column names and order are a contract (the HTML report
 * reads them).
 */
public final class AnalysisTables {
  private AnalysisTables() {}

  public static final String CRITICAL = "critical";
  public static final String FITS = "fits";
  public static final String VERDICTS = "verdicts";

  /**
   * The columns that define a group: every spec column of runs/ except width and seed. Runs
   * that agree on all of these differ only in width and seed.
   */
  public static final List<String> GROUP_COLUMNS = List.of("model", "parameterization", "activation", "depth",
      "hidden_layers", "train_output", "data_source", "n", "d", "n_test", "labels", "random_labels",
      "teacher_width", "input_map", "loss_fn", "optimizer", "lr", "batch_size", "max_steps", "target_kind",
      "target_value", "last_width", "residual_scale_setting", "patch", "channels", "lr_rule");

  private static StructField f(String name, DataType type) {
    return createStructField(name, type, true);
  }

  public static final StructType CRITICAL_SCHEMA = criticalSchema();

  public static final StructType FITS_SCHEMA = new StructType(new StructField[] {
    createStructField("quantity", StringType, false),
    createStructField("against", StringType, false),
    createStructField("group_key", StringType, false),
    f("exponent", DoubleType),
    f("ci_low", DoubleType),
    f("ci_high", DoubleType),
    f("prefactor", DoubleType),
    f("r2", DoubleType),
    f("points", IntegerType),
    f("note", StringType),
  });

  public static final StructType VERDICTS_SCHEMA = new StructType(new StructField[] {
    createStructField("claim", StringType, false),
    createStructField("paper", StringType, false),
    createStructField("statement", StringType, false),
    f("measured", StringType),
    createStructField("holds", StringType, false),
    f("evidence", StringType),
  });

  private static StructType criticalSchema() {
    List<StructField> fields = new ArrayList<>(List.of(
        createStructField("group_key", StringType, false),
        f("widths", createArrayType(IntegerType, false)),
        f("success_rates", createArrayType(DoubleType, false)),
        f("runs_per_width", createArrayType(IntegerType, false)),
        f("threshold", DoubleType),
        f("critical_width", DoubleType),
        f("critical_width_status", StringType),
        f("critical_params", DoubleType),
        f("seed_critical_widths", createArrayType(DoubleType, true)),
        f("lambda0_mean", DoubleType)));
    for (String c : GROUP_COLUMNS) {
      StructField runsField = Tables.RUNS_SCHEMA.apply(c);
      fields.add(f(c, runsField.dataType()));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }
}
