package io.github.overparam.spark.config;

import static io.github.overparam.spark.config.ConfigLoader.fmt;

import io.github.overparam.core.Names;
import io.github.overparam.core.SpecException;
import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.data.Normalization;
import io.github.overparam.core.data.TableSpec;
import io.github.overparam.core.data.TableTask;
import io.github.overparam.core.data.UserTable;
import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Builds the core {@link RunSpec} of one grid point: evaluates relative values there, applies the
 * defaults that depend on other keys (their one home: the static methods below), and turns the
 * core records' {@link SpecException}s into config errors.
 */
final class RunAssembly {
  /** The target loss when none is given: 1e-4 times the initial loss. */
  static final double DEFAULT_TARGET = 1e-4;

  private final ParsedConfig parsed;
  private KernelSymbols kernels;

  RunAssembly(ParsedConfig parsed) {
    this.parsed = parsed;
  }

  /** Whether the expression of {@code path} uses lambda0 or lambda_max. */
  private boolean kernelRelative(String path) {
    Param p = parsed.params.get(path);
    return p != null && p.scale() != null && p.scale().symbols().stream().anyMatch(KernelSymbols.NAMES::contains);
  }

  /** Adds lambda0 and lambda_max of the run's kernel to {@code symbols}; false after reporting why they are undefined. */
  private boolean addKernelSymbols(String path, DataSpec data, ModelSpec model, long seed, Map<String, Double> symbols,
      ConfigErrors errors) {
    String why = KernelSymbols.unsupported(model);
    if (why != null) {
      errors.error(path, String.valueOf(parsed.params.get(path).scale()), why);
      return false;
    }
    if (kernels == null) {
      UserTables tables = new UserTables();
      if (parsed.table != null) {
        tables.register(parsed.table);
      }
      kernels = new KernelSymbols(tables);
    }
    double[] v = kernels.of(data, model, seed);
    symbols.put("lambda0", v[0]);
    symbols.put("lambda_max", v[1]);
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Defaults that depend on other keys.

  /** data.input_map: Allen-Zhu et al.'s map for their parameterization, else none. */
  static InputMap inputMap(Parameterization parameterization) {
    return parameterization == Parameterization.ALLEN_ZHU ? InputMap.ALLEN_ZHU : InputMap.NONE;
  }

  /** model.train_output: the choice of the parameterization's paper. */
  static boolean trainOutput(Parameterization parameterization) {
    return parameterization.trainOutputByDefault();
  }

  /** model.residual_scale: resnet, Allen-Zhu et al.'s 1 / (sqrt(L) ln m); NaN (none) for other architectures. */
  static double residualScale(Arch arch, int width, int depth) {
    return arch == Arch.RESNET ? ModelSpec.defaultResidualScale(width, depth) : Double.NaN;
  }

  /** model.patch: 3 for cnn, 0 (none) otherwise. */
  static int patch(Arch arch) {
    return arch == Arch.CNN ? 3 : 0;
  }

  /** model.channels: 1 for cnn, 0 (none) otherwise. */
  static int channels(Arch arch) {
    return arch == Arch.CNN ? 1 : 0;
  }

  /** data.labels with a user table: its label column. */
  static LabelKind tableLabels() {
    return LabelKind.COLUMN;
  }

  /** data.task: binary for two distinct labels, classes for text labels, else regression. */
  static TableTask tableTask(UserTable table) {
    return table.defaultTask();
  }

  /** data.normalize with a user table: centered, unit-norm rows. */
  static Normalization tableNormalization() {
    return Normalization.SPHERE;
  }

  /** data.d with a user table: its feature columns, plus one for the Allen-Zhu map's extra coordinate. */
  static int tableDimension(UserTable table, InputMap inputMap) {
    return table.columns() + (inputMap == InputMap.ALLEN_ZHU ? 1 : 0);
  }

  /** The input map at a grid point: as configured, else the parameterization's. */
  private static InputMap inputMap(Map<String, Object> v) {
    return v.containsKey("data.input_map") ? (InputMap) v.get("data.input_map")
        : inputMap((Parameterization) v.get("model.parameterization"));
  }

  // ---------------------------------------------------------------------------------------------
  // Assembly.

  /** The run at one grid point, or null after reporting to {@code errors} why it is invalid. */
  RunSpec run(Map<String, Object> v, long seed, ConfigErrors errors) {
    UserTable table = parsed.table;
    Map<String, Double> symbols = new HashMap<>();
    int n = (Integer) v.get("data.n");
    symbols.put("n", (double) n);
    InputMap inputMap = inputMap(v);
    int d = table == null ? (Integer) v.get("data.d") : tableDimension(table, inputMap);
    symbols.put("d", (double) d);
    symbols.put("depth", (double) (Integer) v.get("model.depth"));
    Integer nTest = intValue(v, "data.n_test", symbols, errors);
    if (nTest == null) {
      return null;
    }
    symbols.put("n_test", (double) nTest);
    LabelKind labels = (LabelKind) v.get("data.labels");
    Object[] teacher = {LabelKind.TEACHER, LabelKind.TEACHER_SIGN};
    if (missing(v, "data.teacher_width", "data.labels", errors, "the teacher network's width, an integer >= 1",
        teacher)) {
      return null;
    }
    Integer teacherWidth = appliesWith(v, "data.teacher_width", "data.labels", symbols, errors, teacher);
    Optimizer optimizer = (Optimizer) v.get("train.optimizer");
    if (missing(v, "train.batch_size", "train.optimizer", errors, "an integer from 1 to data.n", Optimizer.SGD)) {
      return null;
    }
    Integer batch = appliesWith(v, "train.batch_size", "train.optimizer", symbols, errors, Optimizer.SGD);
    Integer width = intValue(v, "model.width", symbols, errors);
    if (width != null) {
      symbols.put("width", (double) width);
    }
    Integer lastWidth = parsed.params.containsKey("model.last_width")
        ? intValue(v, "model.last_width", symbols, errors) : width;
    boolean kernelLr = kernelRelative("train.lr");
    Double lr = kernelLr ? Double.valueOf(0) : doubleValue(v, "train.lr", symbols, errors);
    Double targetValue = doubleValue(v, parsed.targetPath, symbols, errors);
    if (teacherWidth == null || batch == null || width == null || lr == null || targetValue == null
        || lastWidth == null) {
      return null;
    }
    Parameterization par = (Parameterization) v.get("model.parameterization");
    boolean trainOutput = v.containsKey("model.train_output") ? (Boolean) v.get("model.train_output")
        : trainOutput(par);
    TableSpec tableSpec = null;
    if (table != null) {
      @SuppressWarnings("unchecked")
      List<String> features = v.containsKey("data.features") ? (List<String>) v.get("data.features") : List.of();
      tableSpec = build(errors, () -> TableSpec.of(table, (String) v.get("data.path"), features,
          (TableTask) v.get("data.task"), (Normalization) v.get("data.normalize")));
      if (tableSpec == null) {
        return null;
      }
    }
    TableSpec ts = tableSpec;
    int tw = teacherWidth;
    DataSpec data = build(errors, () -> new DataSpec((DataSource) v.get("data.source"), n, d, labels,
        (Boolean) v.get("data.random_labels"), tw, nTest, inputMap, ts));
    Arch arch = (Arch) v.get("model.arch");
    int depth = (Integer) v.get("model.depth");
    double tau = v.containsKey("model.residual_scale") ? (Double) v.get("model.residual_scale")
        : residualScale(arch, width, depth);
    int patch = v.containsKey("model.patch") ? (Integer) v.get("model.patch") : patch(arch);
    int channels = v.containsKey("model.channels") ? (Integer) v.get("model.channels") : channels(arch);
    ModelSpec model = build(errors, () -> new ModelSpec(arch, par, (Activation) v.get("model.activation"), width,
        depth, trainOutput, lastWidth, tau, patch, channels));
    int b = batch;
    boolean kernelSteps = kernelRelative("train.max_steps");
    if (kernelLr || kernelSteps) {
      if (data == null || model == null || !addKernelSymbols(kernelLr ? "train.lr" : "train.max_steps", data, model,
          seed, symbols, errors)) {
        return null;
      }
    }
    if (kernelLr) {
      lr = doubleValue(v, "train.lr", symbols, errors);
      if (lr == null) {
        return null;
      }
    }
    double eta = lr;
    symbols.put("lr", eta);
    symbols.put("target", targetValue);
    Integer maxSteps = intValue(v, "train.max_steps", symbols, errors);
    if (maxSteps == null) {
      return null;
    }
    // A value that varies with the width or the data set is a rule: the group is the rule, not each value.
    String lrRule = rule("train.lr", v, "width", "lambda0", "lambda_max");
    String maxStepsRule = rule("train.max_steps", v, "width", "lr", "lambda0", "lambda_max");
    TrainSpec train = build(errors, () -> new TrainSpec(optimizer, eta, b, (Loss) v.get("train.loss"), maxSteps,
        new TargetLoss(parsed.targetRelative, targetValue), (Double) v.get("train.divergence_factor"), lrRule,
        maxStepsRule, (Precision) v.get("train.precision")));
    RecordSpec record = build(errors, () -> new RecordSpec((Integer) v.get("record.curve_points"),
        (Boolean) v.get("record.ntk"), (Integer) v.get("record.ntk_max_n"), (Boolean) v.get("record.surrogate")));
    if (data == null || model == null || train == null || record == null) {
      return null;
    }
    return build(errors, () -> new RunSpec(data, model, train, record, seed));
  }

  /**
   * Whether a key that applies only with some values of another key ({@code data.teacher_width}
   * with teacher labels) is missing where it applies; reports it if so.
   */
  private boolean missing(Map<String, Object> v, String path, String other, ConfigErrors errors, String what,
      Object... with) {
    Object value = v.get(other);
    if (parsed.params.containsKey(path) || !List.of(with).contains(value)) {
      return false;
    }
    errors.error(path, null, "missing: required with " + other.substring(other.indexOf('.') + 1) + " "
        + Names.of((Enum<?>) value) + " (" + what + ")");
    return true;
  }

  /**
   * A key that applies only with some values of another key: its value where it applies, 0 where
   * it is not given, null after an error. Given where it does not apply, it is passed on (and core
   * rejects it) unless the other key is an axis that has the values it applies with.
   */
  private Integer appliesWith(Map<String, Object> v, String path, String other, Map<String, Double> symbols,
      ConfigErrors errors, Object... with) {
    Param otherParam = parsed.params.get(other);
    boolean axisHasThem = otherParam != null && otherParam.axis()
        && otherParam.values().stream().anyMatch(x -> List.of(with).contains(x));
    if (parsed.params.containsKey(path) && (List.of(with).contains(v.get(other)) || !axisHasThem)) {
      return intValue(v, path, symbols, errors);
    }
    return 0;
  }

  private Integer intValue(Map<String, Object> v, String path, Map<String, Double> symbols, ConfigErrors errors) {
    Param p = parsed.params.get(path);
    if (p.scale() == null) {
      return (Integer) v.get(path);
    }
    Double x = scaled(p, v, symbols);
    if (x == null) {
      return null;
    }
    double r = Math.rint(x);
    if (!Double.isFinite(r) || r < p.key().min() || r > Integer.MAX_VALUE) {
      errors.error(path, fmt(r), "round(" + formula(p, v) + ") with " + combination(p, symbols) + " gives " + fmt(r)
          + ": " + p.key().expected() + (r > Integer.MAX_VALUE && Double.isFinite(r) ? " and at most "
              + Integer.MAX_VALUE : ""));
      return null;
    }
    return (int) r;
  }

  private Double doubleValue(Map<String, Object> v, String path, Map<String, Double> symbols, ConfigErrors errors) {
    Param p = parsed.params.get(path);
    if (p.scale() == null) {
      return (Double) v.get(path);
    }
    Double x = scaled(p, v, symbols);
    if (x != null && !(Double.isFinite(x) && x > p.key().min())) {
      errors.error(path, fmt(x), formula(p, v) + " with " + combination(p, symbols) + " gives " + fmt(x) + ": "
          + p.key().expected());
      return null;
    }
    return x;
  }

  /**
   * The rule of a relative key whose expression uses one of {@code varying} (symbols whose value
   * differs between the runs of one group), as {@code factor * (scale)}; null otherwise.
   */
  private String rule(String path, Map<String, Object> v, String... varying) {
    Param p = parsed.params.get(path);
    if (p.scale() == null || p.scale().symbols().stream().noneMatch(List.of(varying)::contains)) {
      return null;
    }
    return formula(p, v);
  }

  /** factor * scale(symbols) of a relative key; null when a symbol it uses is invalid here (reported elsewhere). */
  private static Double scaled(Param p, Map<String, Object> v, Map<String, Double> symbols) {
    if (!symbols.keySet().containsAll(p.scale().symbols())) {
      return null;
    }
    return (Double) v.get(p.key().path()) * p.scale().eval(symbols);
  }

  /** How a relative value is computed, for errors: {@code 2 * (n^2)}. */
  private static String formula(Param p, Map<String, Object> v) {
    return fmt((Double) v.get(p.key().path())) + " * (" + p.scale() + ")";
  }

  private static String combination(Param p, Map<String, Double> symbols) {
    StringJoiner j = new StringJoiner(", ");
    for (String s : p.scale().symbols()) {
      j.add(s + "=" + fmt(symbols.get(s)));
    }
    return j.length() == 0 ? "no symbols" : j.toString();
  }

  /** Runs a core constructor, turning its typed error into a config error. */
  private static <T> T build(ConfigErrors errors, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (SpecException e) {
      errors.add(ConfigErrors.of(e));
      return null;
    }
  }
}
