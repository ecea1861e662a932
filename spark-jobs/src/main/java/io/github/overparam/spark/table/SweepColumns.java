package io.github.overparam.spark.table;

import static io.github.overparam.spark.table.Grouping.GROUP;
import static io.github.overparam.spark.table.Grouping.GROUP_DERIVABLE;
import static io.github.overparam.spark.table.Grouping.NONE;
import static io.github.overparam.spark.table.Values.num;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.github.overparam.core.Names;
import java.util.List;

/** The columns of {@code curves/} and {@code datasets/}, the other tables written in waves. */
final class SweepColumns {
  private SweepColumns() {}

  // @formatter:off
  static final List<TableColumn<CurvePoint>> CURVES = new ColumnList<CurvePoint>()
      .id("run_id", StringType, "the run (runs.run_id)", CurvePoint::runId)
      .metric("step", IntegerType, "steps", "the recorded step (log-spaced, and the last step)",
          p -> p.curve().steps()[p.index()])
      .required()
      .metric("loss", DoubleType, "", "training loss at the step", p -> num(p.curve().loss()[p.index()]))
      .metric("flip_fraction", DoubleType, "", "mean fraction of activation signs flipped since initialization",
          p -> num(p.curve().flipFraction()[p.index()]))
      .metric("max_neuron_distance", DoubleType, "", "max over trained layers and neurons of ||w_r - w_r(0)||",
          p -> num(p.curve().maxNeuronDistance()[p.index()]))
      .metric("surrogate_loss", DoubleType, "", "the frozen-pattern surrogate's training loss at the step",
          p -> p.surrogate() == null ? null : num(p.surrogate().loss()[p.index()]))
      .build();
  // @formatter:on

  // @formatter:off
  static final List<TableColumn<DatasetRecord>> DATASETS = new ColumnList<DatasetRecord>()
      .id("dataset_id", StringType, "a digest of the seed and the data spec", d -> d.summary().datasetId())
      .spec("n", IntegerType, GROUP, "points", "training points", d -> d.summary().n())
      .spec("d", IntegerType, GROUP, "dimensions", "input dimension", d -> d.summary().d())
      .spec("seed", LongType, NONE, "", "the seed the data set was drawn with", d -> d.summary().seed())
      .spec("data_source", StringType, GROUP, "", "where the inputs come from", d -> Names.of(d.spec().source()))
      .spec("labels", StringType, GROUP, "", "label rule", d -> Names.of(d.spec().labels()))
      .spec("random_labels", BooleanType, GROUP, "", "whether labels were permuted across inputs",
          d -> d.spec().randomLabels())
      .spec("teacher_width", IntegerType, GROUP_DERIVABLE, "neurons", "width of the teacher net (0 without one)",
          d -> d.spec().teacherWidth())
      .spec("n_test", IntegerType, GROUP_DERIVABLE, "points", "held-out test points", d -> d.spec().nTest())
      .spec("input_map", StringType, GROUP, "", "map applied to the inputs", d -> Names.of(d.spec().inputMap()))
      .metric("lambda0", DoubleType, "", "lambda_min of H^inf of the training inputs (Du et al.)",
          d -> num(d.summary().lambda0()))
      .metric("lambda0_note", StringType, "", "why lambda0 is missing (n above record.ntk_max_n)",
          d -> d.summary().lambda0Note())
      .metric("delta", DoubleType, "", "minimum pairwise distance between training inputs",
          d -> num(d.summary().delta()))
      .metric("phi", DoubleType, "", "class separation: minimum distance between inputs of different classes",
          d -> num( d.summary().phi()))
      .metric("max_abs_cos", DoubleType, "", "max over pairs of |cos| between training inputs",
          d -> num(d.summary().maxAbsCos()))
      .spec("data_note", StringType, GROUP, "",
          "user tables: the file, its hash, the label mapping and the normalization", d -> d.spec().note())
      .build();
  // @formatter:on
}
