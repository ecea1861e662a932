package io.github.overparam.spark.table;

import static io.github.overparam.spark.table.Grouping.GROUP;
import static io.github.overparam.spark.table.Grouping.GROUP_DERIVABLE;
import static io.github.overparam.spark.table.Grouping.NONE;
import static io.github.overparam.spark.table.Grouping.WITHIN_GROUP;
import static io.github.overparam.spark.table.Values.count;
import static io.github.overparam.spark.table.Values.doubles;
import static io.github.overparam.spark.table.Values.ints;
import static io.github.overparam.spark.table.Values.num;
import static io.github.overparam.spark.table.Values.positive;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import io.github.overparam.core.Names;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.spark.config.ConfigSchema;
import java.util.List;

/**
 * The columns of {@code runs/}, one training run per row, in table order. Columns are a contract:
 * add new ones at the end, never rename. The spec columns of config keys added since are declared
 * with their keys ({@code ConfigKey.recordedAs}) and come last.
 */
final class RunsColumns {
  private RunsColumns() {}

  // @formatter:off
  static final List<TableColumn<RunRecord>> COLUMNS = new ColumnList<RunRecord>()
      .id("run_id", StringType, "16 hex characters: a digest of the run's canonical spec", r -> r.result().runId())
      .spec("sweep", StringType, NONE, "", "the sweep's name (config key sweep)", RunRecord::sweep)
      .required()
      .spec("dataset_id", StringType, NONE, "", "the data set's id in datasets/ (a digest of seed and data spec)",
          r -> r.result().dataset() == null ? null : r.result().dataset().datasetId())
      .spec("model", StringType, GROUP, "", "architecture: two_layer, deep, resnet or cnn",
          r -> Names.of(r.model().arch()))
      .records("arch")
      .spec("parameterization", StringType, GROUP, "", "whose initialization and scaling: du, allen_zhu, zou, standard",
          r -> Names.of(r.model().parameterization()))
      .records("parameterization")
      .spec("activation", StringType, GROUP, "", "hidden activation: relu or softplus",
          r -> Names.of(r.model().activation()))
      .records("activation")
      .spec("width", IntegerType, WITHIN_GROUP, "neurons", "hidden width m (cnn: channels)", r -> r.model().width())
      .records("width")
      .spec("depth", IntegerType, GROUP, "layers", "the paper's depth L", r -> r.model().depth())
      .records("depth")
      .spec("hidden_layers", IntegerType, GROUP_DERIVABLE, "layers", "hidden layers of the net as built",
          r -> r.model().hiddenLayers())
      .spec("train_output", BooleanType, GROUP, "", "whether the output layer is trained", r -> r.model().trainOutput())
      .records("train_output")
      .spec("data_source", StringType, GROUP, "", "where the inputs come from: sphere, digits, csv, parquet",
          r -> Names.of(r.spec().data().source()))
      .records("source")
      .spec("n", IntegerType, GROUP, "points", "training points", r -> r.spec().data().n())
      .records("n")
      .spec("d", IntegerType, GROUP, "dimensions", "input dimension", r -> r.spec().data().d())
      .records("d")
      .spec("n_test", IntegerType, GROUP_DERIVABLE, "points", "held-out test points", r -> r.spec().data().nTest())
      .records("n_test")
      .spec("labels", StringType, GROUP, "",
          "label rule: gaussian, sign, teacher, teacher_sign, digit_parity, digit, column",
          r -> Names.of(r.spec().data().labels()))
      .records("labels")
      .spec("random_labels", BooleanType, GROUP, "", "whether labels were permuted across inputs",
          r -> r.spec().data().randomLabels())
      .records("random_labels")
      .spec("teacher_width", IntegerType, GROUP_DERIVABLE, "neurons", "width of the teacher net (0 without one)",
          r -> r.spec().data().teacherWidth())
      .records("teacher_width")
      .spec("input_map", StringType, GROUP, "", "map applied to the inputs: none or allen_zhu",
          r -> Names.of(r.spec().data().inputMap()))
      .records("input_map")
      .spec("seed", LongType, WITHIN_GROUP, "", "the run's seed: data set, initial weights and batches derive from it",
          r -> r.spec().seed())
      .records("seed")
      .spec("loss_fn", StringType, GROUP, "", "training loss: half_sum_squared, mse, logistic, cross_entropy",
          r -> Names.of(r.spec().train().loss()))
      .records("loss")
      .spec("optimizer", StringType, GROUP, "", "gd (full batch) or sgd", r -> Names.of(r.spec().train().optimizer()))
      .records("optimizer")
      .spec("lr", DoubleType, GROUP_DERIVABLE, "", "step size eta", r -> r.spec().train().lr())
      .records("lr")
      .spec("batch_size", IntegerType, GROUP_DERIVABLE, "points", "SGD batch size (null for gd)",
          r -> r.spec().train().optimizer() == Optimizer.SGD ? r.spec().train().batchSize() : null)
      .records("batch_size")
      .spec("max_steps", IntegerType, GROUP, "steps", "step budget", r -> r.spec().train().maxSteps())
      .records("max_steps")
      .spec("target_kind", StringType, GROUP, "", "target loss given as relative (to the initial loss) or absolute",
          r -> r.spec().train().target().relative() ? "relative" : "absolute")
      .records("target_loss")
      .spec("target_value", DoubleType, GROUP, "", "the target as given in the config",
          r -> r.spec().train().target().value())
      .records("target_loss")
      .spec("divergence_factor", DoubleType, GROUP, "", "loss above this times the initial loss counts as diverged",
          r -> r.spec().train().divergenceFactor())
      .records("divergence_factor")
      .metric("status", StringType, "", "how training ended: converged, max_steps, diverged, failed",
          r -> Names.of(r.result().outcome().status()))
      .required()
      .metric("error", StringType, "", "the exception message of a failed run", r -> r.result().outcome().error())
      .metric("steps", IntegerType, "steps", "updates made", r -> r.result().outcome().steps())
      .metric("steps_to_target", IntegerType, "steps", "first step at which the loss reached the target (null: never)",
          r -> count(r.result().outcome().stepsToTarget()))
      .metric("initial_loss", DoubleType, "", "training loss at initialization",
          r -> num(r.result().outcome().initialLoss()))
      .metric("final_loss", DoubleType, "", "training loss after the last step",
          r -> num(r.result().outcome().finalLoss()))
      .metric("target_loss", DoubleType, "", "the absolute loss the run aimed at",
          r -> num(r.result().outcome().targetLoss()))
      .metric("rate_fit", DoubleType, "per step", "r of loss(k) ~ loss(0) (1 - r)^k fitted on the curve",
          r -> num(r.result().outcome().rateFit()))
      .metric("rate_min", DoubleType, "per step",
          "min over recorded k of 1 - (loss(k) / loss(0))^(1/k): Du's bound holds at the recorded steps iff rate_min "
          + ">= eta lambda_0 / 2", r -> num(r.result().outcome().rateMin()))
      .metric("lambda0", DoubleType, "", "lambda_min of H^inf of the training inputs (Du et al.)",
          r -> r.result().dataset() == null ? null : num(r.result().dataset().lambda0()))
      .metric("trained_layers", createArrayType(IntegerType, false), "",
          "indices of the trained layers (hidden 0..H-1, output H)", r -> ints(r.result().movement().trainedLayers()))
      .metric("dist_frobenius", createArrayType(DoubleType, true), "", "||W_l - W_l(0)||_F per trained layer",
          r -> doubles(r.result().movement().distFrobenius()))
      .metric("dist_relative", createArrayType(DoubleType, true), "",
          "||W_l - W_l(0)||_F / ||W_l(0)||_F per trained layer", r -> doubles(r.result().movement().distRelative()))
      .metric("dist_max_neuron", createArrayType(DoubleType, true), "", "max_r ||w_r - w_r(0)|| per trained layer",
          r -> doubles(r.result().movement().distMaxNeuron()))
      .metric("max_neuron_distance", DoubleType, "", "max over trained layers of dist_max_neuron",
          r -> num(r.result().movement().maxNeuronDistance()))
      .metric("max_relative_distance", DoubleType, "", "max over trained layers of dist_relative",
          r -> num(r.result().movement().maxRelativeDistance()))
      .metric("flip_fractions", createArrayType(DoubleType, true), "",
          "per hidden layer, fraction of activation signs on the training points changed since initialization",
          r -> doubles(r.result().movement().flipFractions()))
      .metric("flip_fraction", DoubleType, "", "mean of flip_fractions", r -> num(r.result().movement().flipFraction()))
      .metric("train_accuracy", DoubleType, "", "accuracy on the training points (classes only)",
          r -> num(r.result().generalization().trainAccuracy()))
      .metric("test_loss", DoubleType, "", "loss on the held-out points",
          r -> num(r.result().generalization().testLoss()))
      .metric("test_accuracy", DoubleType, "", "accuracy on the held-out points (classes only)",
          r -> num(r.result().generalization().testAccuracy()))
      .metric("param_count", LongType, "weights", "all weights of the net", r -> r.result().cost().paramCount())
      .metric("trained_param_count", LongType, "weights", "weights that training changes",
          r -> r.result().cost().trainedParamCount())
      .metric("ntk_lambda_min_init", DoubleType, "", "lambda_min of the empirical NTK Gram at initialization (0 when fewer trained"
          + " parameters than points: the Gram is singular)",
          r -> num(r.result().ntk().lambdaMinInit()))
      .metric("ntk_lambda_min_final", DoubleType, "", "lambda_min of the empirical NTK Gram at the final weights (0 as above)",
          r -> num(r.result().ntk().lambdaMinFinal()))
      .metric("ntk_limit_lambda_min", DoubleType, "", "lambda_min of the infinite-width NTK of this architecture",
          r -> num(r.result().ntk().limitLambdaMin()))
      .metric("ntk_note", StringType, "", "why an NTK value is missing", r -> r.result().ntk().note())
      .metric("flops", LongType, "flop", "floating-point operations of training (surrogate included)",
          r -> r.result().cost().flops())
      .provenance("wall_ms", LongType, "ms", "wall-clock time of the run (not deterministic)",
          r -> r.result().cost().wallMs())
      .provenance("wall_us", LongType, "us", "wall-clock time of the run in microseconds: wall_ms to the microsecond, for"
          + " runs of a few milliseconds (not deterministic)", r -> r.result().cost().wallMicros())
      .provenance("warmup_ms", LongType, "ms", "JIT warm-up the executor did for this run's shape just before it, outside"
          + " wall_ms (overparam run --warm-up: throwaway runs until the compiler is idle, once per small shape and"
          + " executor JVM; 0 for the other runs; not deterministic)", RunRecord::warmUpMs)
      .provenance("host", StringType, "", "the executor host that ran it (not deterministic)", RunRecord::host)
      .provenance("driver_session", StringType, "",
          "the driver session that wrote the row: its entry in manifest.json sessions[] (session_id)",
          RunRecord::driverSession)
      .spec("spec", StringType, NONE, "", "the run's canonical spec text (its id is a digest of it)",
          r -> r.spec().canonical())
      .spec("search_round", IntegerType, NONE, "", "critical-width search round that asked for it (null in a grid)",
          RunRecord::searchRound)
      .spec("last_width", IntegerType, GROUP, "neurons", "width of the last hidden layer (null when equal to width)",
          r -> r.model().lastWidth() == r.model().width() ? null : r.model().lastWidth())
      .records("last_width")
      .spec("residual_scale", DoubleType, NONE, "", "resnet: tau in h + tau h W as used",
          r -> num(r.model().residualScale()))
      .records("residual_scale")
      .spec("residual_scale_setting", DoubleType, GROUP, "",
          "resnet: tau when set in the config (null: the automatic 1 / (sqrt(L) ln m))",
          r -> residualSetting(r.model()))
      .spec("patch", IntegerType, GROUP, "positions", "cnn: patch size q", r -> positive(r.model().patch()))
      .records("patch")
      .spec("channels", IntegerType, GROUP, "", "cnn: input channels", r -> positive(r.model().channels()))
      .records("channels")
      .metric("surrogate_status", StringType, "", "Noy et al.'s frozen-pattern surrogate: how its training ended",
          r -> r.result().surrogate() == null ? null : Names.of(r.result().surrogate().status()))
      .records("surrogate")
      .metric("surrogate_final_loss", DoubleType, "", "the surrogate's final training loss",
          r -> r.result().surrogate() == null ? null : num(r.result().surrogate().finalLoss()))
      .metric("surrogate_gap", DoubleType, "", "max_k |loss_relu(k) - loss_surrogate(k)| / loss(0)",
          r -> r.result().surrogate() == null ? null : num(r.result().surrogate().gap()))
      .spec("lr_rule", StringType, GROUP, "",
          "the rule lr was derived by when it depends on the width (null: a number)", r -> r.spec().train().lrRule())
      .records("lr_rule")
      .spec("data_note", StringType, GROUP, "",
          "user tables: the file, its hash, the label mapping and the normalization", r -> r.spec().data().note())
      .records("table")
      .spec("curve_points", IntegerType, NONE, "points",
          "points recorded on the loss curve (config record.curve_points)", r -> r.spec().record().curvePoints())
      .records("curve_points")
      .spec("record_ntk", BooleanType, NONE, "", "whether NTK spectra were asked for (config record.ntk)",
          r -> r.spec().record().ntk())
      .records("ntk")
      .spec("ntk_max_n", IntegerType, NONE, "points", "largest n with n x n kernels (config record.ntk_max_n)",
          r -> r.spec().record().ntkMaxN())
      .records("ntk_max_n")
      .metric("end_rate", DoubleType, "per step",
          "r of loss(k) ~ c (1 - r)^k fitted over the recorded points of the run's second half (at least its last 3)",
          r -> num(r.result().outcome().endRate()))
      .metric("projected_steps_to_target", IntegerType, "steps",
          "max_steps runs still descending: the step at which the end rate would reach the target",
          r -> count(r.result().outcome().projectedStepsToTarget()))
      .metric("end_trend", StringType, "",
          "max_steps runs: descending (the end rate reaches the target within 10 budgets) or stalled",
          r -> r.result().outcome().endTrend() == null ? null : Names.of(r.result().outcome().endTrend()))
      .metric("min_recorded_loss", DoubleType, "",
          "the lowest finite training loss over the recorded curve points (how close an oscillating or diverging run "
          + "came before it left)", r -> num(r.result().curve().minLoss()))
      .spec("max_steps_rule", StringType, GROUP, "",
          "the rule max_steps was derived by when it depends on the width, lr or the data's kernel (null: a number)",
          r -> r.spec().train().maxStepsRule())
      .records("max_steps_rule")
      .configKeys(ConfigSchema.recorded(), RunRecord::spec)
      .build();
  // @formatter:on

  private static Double residualSetting(ModelSpec model) {
    return model.arch() == Arch.RESNET && model.residualScale() != ModelSpec.defaultResidualScale(model.width(),
        model.depth()) ? model.residualScale() : null;
  }
}
