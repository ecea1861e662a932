package io.github.overparam.spark.sweep;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import io.github.overparam.core.Names;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.run.Curve;
import io.github.overparam.core.run.DatasetSummary;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.TrainSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The sweep's tables (DESIGN.md section 4): explicit schemas, and the rows of one run. Missing
 * numbers (NaN in core) are written as null, so that SQL aggregates skip them. Column names are a
 * contract; add columns, never rename.
 */
public final class Tables {
  private Tables() {}

  public static final String RUNS = "runs";
  public static final String CURVES = "curves";
  public static final String DATASETS = "datasets";

  /** Columns whose values differ between identical runs: excluded when comparing sweeps. */
  public static final List<String> NONDETERMINISTIC_COLUMNS = List.of("wall_ms", "host", "wave");

  private static StructField f(String name, DataType type) {
    return createStructField(name, type, true);
  }

  public static final StructType RUNS_SCHEMA = new StructType(new StructField[] {
    createStructField("run_id", StringType, false),
    createStructField("sweep", StringType, false),
    f("dataset_id", StringType),
    f("model", StringType),
    f("parameterization", StringType),
    f("activation", StringType),
    f("width", IntegerType),
    f("depth", IntegerType),
    f("hidden_layers", IntegerType),
    f("train_output", BooleanType),
    f("data_source", StringType),
    f("n", IntegerType),
    f("d", IntegerType),
    f("n_test", IntegerType),
    f("labels", StringType),
    f("random_labels", BooleanType),
    f("teacher_width", IntegerType),
    f("input_map", StringType),
    f("seed", LongType),
    f("loss_fn", StringType),
    f("optimizer", StringType),
    f("lr", DoubleType),
    f("batch_size", IntegerType),
    f("max_steps", IntegerType),
    f("target_kind", StringType),
    f("target_value", DoubleType),
    f("divergence_factor", DoubleType),
    createStructField("status", StringType, false),
    f("error", StringType),
    f("steps", IntegerType),
    f("steps_to_target", IntegerType),
    f("initial_loss", DoubleType),
    f("final_loss", DoubleType),
    f("target_loss", DoubleType),
    f("rate_fit", DoubleType),
    f("rate_min", DoubleType),
    f("lambda0", DoubleType),
    f("trained_layers", createArrayType(IntegerType, false)),
    f("dist_frobenius", createArrayType(DoubleType, true)),
    f("dist_relative", createArrayType(DoubleType, true)),
    f("dist_max_neuron", createArrayType(DoubleType, true)),
    f("max_neuron_distance", DoubleType),
    f("max_relative_distance", DoubleType),
    f("flip_fractions", createArrayType(DoubleType, true)),
    f("flip_fraction", DoubleType),
    f("train_accuracy", DoubleType),
    f("test_loss", DoubleType),
    f("test_accuracy", DoubleType),
    f("param_count", LongType),
    f("trained_param_count", LongType),
    f("ntk_lambda_min_init", DoubleType),
    f("ntk_lambda_min_final", DoubleType),
    f("ntk_limit_lambda_min", DoubleType),
    f("ntk_note", StringType),
    f("flops", LongType),
    f("wall_ms", LongType),
    f("host", StringType),
    f("spec", StringType),
    f("search_round", IntegerType),
    f("last_width", IntegerType),
    f("residual_scale", DoubleType),
    f("residual_scale_setting", DoubleType),
    f("patch", IntegerType),
    f("channels", IntegerType),
    f("surrogate_status", StringType),
    f("surrogate_final_loss", DoubleType),
    f("surrogate_gap", DoubleType),
    f("lr_rule", StringType),
    f("data_note", StringType),
  });

  public static final StructType CURVES_SCHEMA = new StructType(new StructField[] {
    createStructField("run_id", StringType, false),
    createStructField("step", IntegerType, false),
    f("loss", DoubleType),
    f("flip_fraction", DoubleType),
    f("max_neuron_distance", DoubleType),
    f("surrogate_loss", DoubleType),
  });

  public static final StructType DATASETS_SCHEMA = new StructType(new StructField[] {
    createStructField("dataset_id", StringType, false),
    f("n", IntegerType),
    f("d", IntegerType),
    f("seed", LongType),
    f("data_source", StringType),
    f("labels", StringType),
    f("random_labels", BooleanType),
    f("teacher_width", IntegerType),
    f("n_test", IntegerType),
    f("input_map", StringType),
    f("lambda0", DoubleType),
    f("lambda0_note", StringType),
    f("delta", DoubleType),
    f("phi", DoubleType),
    f("max_abs_cos", DoubleType),
    f("data_note", StringType),
  });

  /** The runs/ row of one result; {@code searchRound} is the critical-width search round, null in a grid. */
  public static Row runRow(String sweep, RunResult r, String host, Integer searchRound) {
    RunSpec s = r.spec();
    DataSpec data = s.data();
    ModelSpec model = s.model();
    TrainSpec train = s.train();
    DatasetSummary ds = r.dataset();
    return RowFactory.create(
        r.runId(), sweep, ds == null ? null : ds.datasetId(),
        Names.of(model.arch()), Names.of(model.parameterization()), Names.of(model.activation()),
        model.width(), model.depth(), model.hiddenLayers(), model.trainOutput(),
        Names.of(data.source()), data.n(), data.d(), data.nTest(), Names.of(data.labels()), data.randomLabels(),
        data.teacherWidth(), Names.of(data.inputMap()), s.seed(),
        Names.of(train.loss()), Names.of(train.optimizer()), train.lr(),
        train.optimizer() == Optimizer.SGD ? train.batchSize() : null, train.maxSteps(),
        train.target().relative() ? "relative" : "absolute", train.target().value(), train.divergenceFactor(),
        Names.of(r.status()), r.error(), r.steps(), r.stepsToTarget() < 0 ? null : r.stepsToTarget(),
        num(r.initialLoss()), num(r.finalLoss()), num(r.targetLoss()), num(r.rateFit()), num(r.rateMin()),
        ds == null ? null : num(ds.lambda0()),
        ints(r.trainedLayers()), doubles(r.distFrobenius()), doubles(r.distRelative()),
        doubles(r.distMaxNeuron()), num(r.maxNeuronDistance()), num(max(r.distRelative())),
        doubles(r.flipFractions()), num(r.flipFraction()), num(r.trainAccuracy()), num(r.testLoss()),
        num(r.testAccuracy()), r.paramCount(), r.trainedParamCount(), num(r.ntkLambdaMinInit()),
        num(r.ntkLambdaMinFinal()), num(r.ntkLimitLambdaMin()), r.ntkNote(), r.flops(), r.wallMs(), host,
        s.canonical(), searchRound, model.lastWidth() == model.width() ? null : model.lastWidth(),
        num(model.residualScale()), model.arch() == Arch.RESNET
            && model.residualScale() != ModelSpec.defaultResidualScale(model.width(), model.depth())
            ? model.residualScale() : null,
        model.patch() == 0 ? null : model.patch(), model.channels() == 0 ? null : model.channels(),
        r.surrogate() == null ? null : Names.of(r.surrogate().status()),
        r.surrogate() == null ? null : num(r.surrogate().finalLoss()),
        r.surrogate() == null ? null : num(r.surrogate().gap()), train.lrRule(),
        data.note());
  }

  /** The curves/ rows of one result. */
  public static List<Row> curveRows(RunResult r) {
    Curve c = r.curve();
    Curve s = r.surrogate() == null ? null : r.surrogate().curve();
    List<Row> rows = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      rows.add(RowFactory.create(r.runId(), c.steps()[i], num(c.loss()[i]), num(c.flipFraction()[i]),
          num(c.maxNeuronDistance()[i]), s == null ? null : num(s.loss()[i])));
    }
    return rows;
  }

  /** The datasets/ row of a data set. */
  public static Row datasetRow(DataSpec data, DatasetSummary ds) {
    return RowFactory.create(ds.datasetId(), ds.n(), ds.d(), ds.seed(), Names.of(data.source()),
        Names.of(data.labels()), data.randomLabels(), data.teacherWidth(), data.nTest(), Names.of(data.inputMap()),
        num(ds.lambda0()), ds.lambda0Note(), num(ds.delta()), num(ds.phi()), num(ds.maxAbsCos()), data.note());
  }

  static Double num(double v) {
    return Double.isNaN(v) ? null : v;
  }

  /** Array columns take Scala sequences in Spark 4 rows. */
  private static scala.collection.immutable.List<Double> doubles(double[] values) {
    List<Double> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(num(v));
    }
    return CollectionConverters.asScala(list).toList();
  }

  private static scala.collection.immutable.List<Integer> ints(int[] values) {
    List<Integer> list = new ArrayList<>(values.length);
    for (int v : values) {
      list.add(v);
    }
    return CollectionConverters.asScala(list).toList();
  }

  private static double max(double[] values) {
    double max = Double.NaN;
    for (double v : values) {
      max = Double.isNaN(max) ? v : Math.max(max, v);
    }
    return max;
  }
}
