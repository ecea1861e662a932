package io.github.overparam.spark.config;

import static io.github.overparam.spark.config.ConfigKey.bool;
import static io.github.overparam.spark.config.ConfigKey.choice;
import static io.github.overparam.spark.config.ConfigKey.columns;
import static io.github.overparam.spark.config.ConfigKey.integer;
import static io.github.overparam.spark.config.ConfigKey.number;
import static io.github.overparam.spark.config.ConfigKey.special;
import static io.github.overparam.spark.config.ConfigKey.text;

import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.data.Normalization;
import io.github.overparam.core.data.TableTask;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.TrainSpec;
import io.github.overparam.spark.config.ConfigKey.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every config key, each declared once, in document order (the order of the resolved YAML, of the
 * known keys in messages and of the README's tables). Adding a key that reaches the runs is one
 * declaration here (with {@link ConfigKey#recordedAs}, which also declares its spec column in
 * {@code runs/}), its field in the core spec record, its value in {@link RunAssembly}, and the
 * README's tables regenerated ({@code scripts/readme-tables.sh}).
 */
public final class ConfigSchema {
  private ConfigSchema() {}

  /** The symbols of relative values at every key but those that use the width. */
  private static final String[] BASE = {"n", "d", "depth", "n_test"};

  /** Every key. */
  public static final List<ConfigKey> KEYS = List.of(
      special("sweep", Type.NAME, "the sweep's name, also its output sub-folder").required(),
      choice("data.source", DataSource.class, "where inputs come from: the unit sphere, the UCI digits (d = 64),"
          + " or a user table").dflt(DataSource.SPHERE),
      integer("data.n", 1, "training points").required(),
      integer("data.d", 1, "input dimension (>= 2 with input_map allen_zhu)").requiredUnless("data.source", "csv",
          "parquet"),
      choice("data.labels", LabelKind.class, "the labeling rule; digits: digit_parity (+-1) or digit (10 one-hot"
          + " classes); a user table: column").dflt(LabelKind.GAUSSIAN),
      bool("data.random_labels", "permute the training labels across inputs (Zhang et al.)").dflt(false),
      integer("data.teacher_width", 0, "width of the teacher network").relative("n", "d", "depth",
          "n_test").dependentDefault("required with labels teacher, teacher_sign"),
      integer("data.n_test", 0, "held-out points drawn by the same rule").relative("n", "d", "depth").dflt(0),
      choice("data.input_map", InputMap.class, "map applied to the inputs (Allen-Zhu et al.: unit norm, last"
          + " coordinate 1 / sqrt 2)").dependentDefault("`allen_zhu` with parameterization allen_zhu, else `none`"),
      text("data.path",
          "user table: its file, folder or glob, any Hadoop path").single().userTableOnly().dependentDefault(
              "required with source csv, parquet"),
      text("data.label", "user table: the label column").single().userTableOnly().dependentDefault(
          "required with source csv, parquet"),
      columns("data.features", "user table: the feature columns").dependentDefault(
          "every numeric column but the label").userTableOnly(),
      choice("data.task", TableTask.class, "user table: how the label is learned (binary: its two values, sorted,"
          + " become -1 and +1; classes: one-hot over k outputs)").dependentDefault("`binary` if the label has two"
              + " distinct values, `classes` if it is text, else `regression`").userTableOnly(),
      choice("data.normalize", Normalization.class, "user table: sphere centers each feature by its mean over"
          + " the table, then scales each row to unit norm").dependentDefault("`sphere`").userTableOnly(),
      choice("model.arch", Arch.class, "the architecture").required(),
      choice("model.parameterization", Parameterization.class, "initialization, scaling and trained layers of"
          + " one paper").required(),
      choice("model.activation", Activation.class, "hidden nonlinearity").dflt(Activation.RELU),
      integer("model.width", 1, "hidden units m (cnn: channels)").relative(BASE).required(),
      integer("model.depth", 1, "the paper's L (two_layer: 1)").dflt(1),
      bool("model.train_output", "train the output layer too").dependentDefault("the parameterization's paper"),
      integer("model.last_width", 1, "deep and two_layer: width of the last hidden layer").relative(BASE[0],
          BASE[1], BASE[2], BASE[3], "width").dependentDefault("`width`"),
      number("model.residual_scale", 0, "resnet: tau in h + tau h W").dependentDefault(
          "resnet: 1 / (sqrt(L) ln m), Allen-Zhu et al.'s choice"),
      integer("model.patch", 1, "cnn: the odd number of neighboring positions a filter sees").dependentDefault(
          "cnn: `3`"),
      integer("model.channels", 1, "cnn: input channels (d / channels positions)").dependentDefault("cnn: `1`"),
      choice("train.optimizer", Optimizer.class, "full-batch gd or mini-batch sgd").dflt(Optimizer.GD),
      number("train.lr", 0, "constant step size").relative(BASE[0], BASE[1], BASE[2], BASE[3], "width",
          "lambda0", "lambda_max").required(),
      integer("train.batch_size", 1, "sgd: mini-batch size, at most n").relative(BASE).dependentDefault(
          "required with optimizer sgd"),
      choice("train.loss", Loss.class, "training loss (logistic: +-1 labels; cross_entropy: softmax over"
          + " one-hot labels)").required(),
      integer("train.max_steps", 1, "the most updates; relative: e.g. `{scale: \"20 * ln(1 / target) / (lr *"
          + " lambda0)\"}`, Du et al.'s time scale, with target the target_loss as given").relative(BASE[0], BASE[1],
              BASE[2], BASE[3], "width", "lr", "target", "lambda0", "lambda_max").required(),
      number("train.divergence_factor", 1, "a loss above this times the initial loss ends the run as diverged").dflt(
          TrainSpec.DEFAULT_DIVERGENCE_FACTOR),
      number("train.target_loss.relative", 0, "converged at this times the initial loss (give one of relative"
          + " and absolute)").dependentDefault("`1e-4` unless absolute is given"),
      number("train.target_loss.absolute", 0, "converged at this loss"),
      choice("train.precision", Precision.class, "the format of the weights, activations and products (f32:"
          + " two_layer and deep nets, no surrogate); the loss, distances, flips and kernels are computed in f64"
          + " either way").dflt(Precision.F64).recordedAs("precision", spec -> spec.train().precision()),
      special("seeds", Type.SEEDS, "the seeds of every grid point, innermost axis").dflt(1),
      integer("record.curve_points", 2, "about how many log-spaced steps of the loss curve to keep").dflt(
          RecordSpec.DEFAULT_CURVE_POINTS),
      bool("record.ntk", "compute lambda_min of the empirical NTK at start and end").dflt(true),
      integer("record.ntk_max_n", 0, "the largest n for which n x n kernels are computed").dflt(
          RecordSpec.DEFAULT_NTK_MAX_N),
      bool("record.surrogate", "also train Noy et al.'s frozen-pattern surrogate (relu only) and record its gap").dflt(
          false),
      integer("execution.wave_size", 1, "runs per committed wave").single().dependentDefault("automatic"),
      integer("execution.partitions", 1, "Spark tasks per wave").single().dependentDefault("automatic"),
      integer("search.min_width", 1, "smallest width probed").single().required(),
      integer("search.max_width", 1, "largest width probed, > min_width").single().required(),
      number("search.resolution", 1, "stop when the bracket's ratio is at most this").single().required().hint(
          "the bracket ratio to stop at, e.g. 1.19 for 2^(1/4)"),
      number("search.threshold", 0, "success rate over seeds that counts as success").max(1).single().dflt(0.5),
      special("cases", Type.CASES, "grids a product cannot pair: each case's keys replace the document's, its grid"
          + " is the product of its axes, and the sweep runs every case's grid, e.g. `[{model: {arch: two_layer,"
          + " parameterization: du}}, {model: {arch: deep, parameterization: zou, depth: 2}}]`"));

  private static final Map<String, ConfigKey> BY_PATH = new LinkedHashMap<>();

  static {
    for (ConfigKey k : KEYS) {
      if (BY_PATH.put(k.path(), k) != null) {
        throw new IllegalStateException("config key declared twice: " + k.path());
      }
    }
  }

  /** The key at {@code path}, or null. */
  public static ConfigKey key(String path) {
    return BY_PATH.get(path);
  }

  /** The top-level keys, in order: sweep, data, model, train, seeds, record, execution, search, cases. */
  public static List<String> sections() {
    Set<String> out = new LinkedHashSet<>();
    KEYS.forEach(k -> out.add(k.section()));
    return List.copyOf(out);
  }

  /** The names known directly under {@code prefix} (e.g. {@code train} gives ..., target_loss), in order. */
  public static List<String> names(String prefix) {
    Set<String> out = new LinkedHashSet<>();
    for (ConfigKey k : KEYS) {
      if (k.path().startsWith(prefix + ".")) {
        String rest = k.path().substring(prefix.length() + 1);
        int dot = rest.indexOf('.');
        out.add(dot < 0 ? rest : rest.substring(0, dot));
      }
    }
    return List.copyOf(out);
  }

  /** The leaf keys directly under a section, e.g. {@code data.n}, in order. */
  public static List<ConfigKey> leaves(String section) {
    List<ConfigKey> out = new ArrayList<>();
    for (ConfigKey k : KEYS) {
      if (k.path().startsWith(section + ".") && k.path().indexOf('.', section.length() + 1) < 0) {
        out.add(k);
      }
    }
    return out;
  }

  /** The keys recorded as spec columns of their own in {@code runs/}, in order. */
  public static List<ConfigKey> recorded() {
    return KEYS.stream().filter(k -> k.recorded() != null).toList();
  }

  /** The keys that may be relative, as messages list them: "a, b and c". */
  public static String relativeKeys() {
    List<String> paths = KEYS.stream().filter(ConfigKey::relative).map(ConfigKey::path).toList();
    return String.join(", ", paths.subList(0, paths.size() - 1)) + " and " + paths.get(paths.size() - 1);
  }
}
