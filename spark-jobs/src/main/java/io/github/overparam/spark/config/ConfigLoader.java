package io.github.overparam.spark.config;

import io.github.overparam.core.Names;
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
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import io.github.overparam.spark.data.TableReadException;
import io.github.overparam.spark.data.TableReader;
import io.github.overparam.spark.config.YamlTree.Kind;
import io.github.overparam.spark.config.YamlTree.MapNode;
import io.github.overparam.spark.config.YamlTree.Node;
import io.github.overparam.spark.config.YamlTree.ReadException;
import io.github.overparam.spark.config.YamlTree.Scalar;
import io.github.overparam.spark.config.YamlTree.Seq;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML sweep config, applies {@code --set} overrides, validates every key and expands the
 * grid into core {@link RunSpec}s. Every problem is collected and reported at once in a
 * {@link ConfigException}; nothing is run before the whole config is valid.
 *
 * <h2>Keys</h2>
 *
 * <pre>
 * sweep: du-width        # required: the name and output sub-folder, [a-z0-9_-], 1..64 characters
 * data:
 *   source: sphere       # where inputs come from (default sphere)
 *   n: [50, 100, 200]    # required: training points, >= 1
 *   d: 10                # required: input dimension, >= 1 (>= 2 with input_map allen_zhu)
 *   labels: gaussian     # gaussian | sign | teacher | teacher_sign (default gaussian)
 *   random_labels: false # permute the training labels (default false)
 *   teacher_width: 8     # teacher width, required with labels teacher / teacher_sign, else unset
 *   n_test: 0            # held-out points (default 0)
 *   input_map: none      # none | allen_zhu (default allen_zhu for parameterization allen_zhu, else none)
 * # with source csv | parquet (a user table, read with Spark on the driver; d is not given):
 *   path: data/x.csv     # required: any Hadoop path (file, folder or glob), as spark.read takes it
 *   label: y             # required: the label column
 *   features: [a, b]     # feature columns (default: every numeric column but the label)
 *   task: binary         # regression | binary | classes (default: binary if the label has 2 distinct
 *                        # values, classes if it is text, else regression)
 *   normalize: sphere    # sphere (centre by the table's column means, rows to unit norm) | none (default sphere)
 * model:
 *   arch: two_layer      # required: two_layer | deep | resnet | cnn
 *   parameterization: du # required: du | allen_zhu | zou | standard
 *   activation: relu     # relu | softplus (default relu)
 *   width: 64            # required: hidden units m (cnn: channels), >= 1
 *   depth: 1             # L, >= 1; exactly 1 for two_layer (default 1)
 *   train_output: false  # train the output layer (default: the parameterization's paper)
 *   last_width: 64       # deep / two_layer: width of the last hidden layer (default width), may be relative
 *   residual_scale: 0.1  # resnet: tau of h + tau h W (default 1 / (sqrt(L) ln m), Allen-Zhu et al.)
 *   patch: 3             # cnn: odd number of neighbouring positions a filter sees (default 3)
 *   channels: 1          # cnn: input channels; d / channels positions (default 1)
 * train:
 *   optimizer: gd        # gd | sgd (default gd)
 *   lr: 0.5              # required: constant step size, finite and > 0
 *   batch_size: 32       # sgd only (required there), 1..n
 *   loss: half_sum_squared   # required: half_sum_squared | mse | logistic (logistic needs +-1 labels)
 *   max_steps: 5000      # required: most updates, >= 1
 *   target_loss: {relative: 1.0e-4}  # exactly one of relative (times the initial loss) or absolute
 *   divergence_factor: 1.0e6          # loss above this times the initial loss = diverged, > 1
 * seeds: 8               # N means seeds 0..N-1, or a list of seeds [3, 7] (default 1: seed 0)
 * record: {curve_points: 100, ntk: true, ntk_max_n: 1000, surrogate: false}   # defaults shown;
 *                        # surrogate: also train Noy et al.'s frozen-pattern net and record the gap
 * execution: {wave_size: 200, partitions: 8}                # optional; unset = automatic
 * </pre>
 *
 * <h2>Grids</h2>
 *
 * <p>Any single value under data, model, train and record (and the values of target_loss) may be a
 * list instead: that key becomes a grid axis, and the runs are the Cartesian product of all axes, in
 * document order with the last axis varying fastest and the seeds innermost. Numeric keys also take
 * ranges: {@code {from: 16, to: 4096, factor: 2}} (geometric, includes {@code to} when it is hit)
 * and {@code {from: 0.1, to: 0.5, step: 0.1}} (arithmetic); integer keys round the values and drop
 * repeats. {@code model.width}, {@code train.lr}, {@code train.batch_size}, {@code data.n_test} and
 * {@code data.teacher_width} may be relative: {@code {scale: "n^2 * depth", factors: [0.01, 0.1, 1]}}
 * means factor times the expression at each grid point (rounded for integers); the expression uses
 * numbers, the symbols n, d, depth and n_test (and width in train.lr and model.last_width),
 * {@code * / ^} (numeric exponent) and parentheses.
 * Grid points that give an identical run are kept once. At most {@value #MAX_RUNS} runs.
 *
 * <h2>Overrides</h2>
 *
 * <p>Each override is {@code key.path=value}, the value read as a YAML flow value, e.g.
 * {@code model.width=[16,32]}, {@code train.target_loss.relative=1e-3}, {@code seeds=3}. It replaces
 * the key's value (or adds the key) before validation.
 */
public final class ConfigLoader {
  /** The largest grid accepted. */
  public static final int MAX_RUNS = 1_000_000;

  /** Errors reported at most (distinct); more are summarised in one line. */
  static final int MAX_ERRORS = 50;

  private ConfigLoader() {}

  /**
   * Loads a sweep config.
   *
   * @param yamlText the YAML text (at most 1,000,000 characters)
   * @param overrides {@code key.path=value} overrides applied in order, may be empty
   * @return the validated sweep with its expanded grid
   * @throws ConfigException listing every problem found
   */
  public static SweepConfig load(String yamlText, List<String> overrides) throws ConfigException {
    return load(yamlText, overrides, TableReader.NONE);
  }

  /**
   * Loads a sweep config whose data may come from a user table ({@code source: csv | parquet}),
   * read by {@code tables} once the rest of the data section is valid.
   */
  public static SweepConfig load(String yamlText, List<String> overrides, TableReader tables)
      throws ConfigException {
    return new Compiler(tables).compile(yamlText, overrides);
  }

  /**
   * Loads a sweep config file (see {@link #load(String, List)}).
   *
   * @throws IOException if the file cannot be read
   */
  public static SweepConfig load(Path file, List<String> overrides) throws IOException, ConfigException {
    if (Files.size(file) > 4L * YamlTree.MAX_CHARS) {
      throw new ConfigException(List.of(new ConfigError("(yaml)", null,
          file + " has " + Files.size(file) + " bytes: at most " + YamlTree.MAX_CHARS + " characters are allowed")));
    }
    return load(Files.readString(file, StandardCharsets.UTF_8), overrides);
  }

  // ---------------------------------------------------------------------------------------------
  // The schema.

  private enum Type { INT, DOUBLE, BOOL, ENUM, TEXT, TEXT_LIST }

  /**
   * One leaf key.
   *
   * @param min for INT the smallest allowed value; for DOUBLE the exclusive lower bound
   * @param dflt the default, or null when there is none (required, or decided per grid point)
   */
  private record Key(String name, Type type, Class<? extends Enum<?>> enumType, double min, boolean relative,
      boolean required, Object dflt) {

    String expected() {
      return switch (type) {
        case INT -> "must be an integer >= " + (long) min;
        case DOUBLE -> "must be a finite number > " + fmt(min);
        case BOOL -> "must be true or false";
        case ENUM -> "allowed values are " + allowedNames(enumType);
        case TEXT -> "must be a single text value";
        case TEXT_LIST -> "must be a list of column names";
      };
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String allowedNames(Class<? extends Enum<?>> type) {
    return Names.allowed((Class) type);
  }

  private static Key intKey(String name, int min, boolean relative, boolean required, Integer dflt) {
    return new Key(name, Type.INT, null, min, relative, required, dflt);
  }

  private static Key doubleKey(String name, double min, boolean relative, boolean required, Double dflt) {
    return new Key(name, Type.DOUBLE, null, min, relative, required, dflt);
  }

  private static Key boolKey(String name, Boolean dflt) {
    return new Key(name, Type.BOOL, null, 0, false, false, dflt);
  }

  private static Key enumKey(String name, Class<? extends Enum<?>> type, boolean required, Enum<?> dflt) {
    return new Key(name, Type.ENUM, type, 0, false, required, dflt);
  }

  private static final List<Key> DATA = List.of(
      enumKey("source", DataSource.class, false, DataSource.SPHERE),
      intKey("n", 1, false, true, null),
      intKey("d", 1, false, true, null),
      enumKey("labels", LabelKind.class, false, LabelKind.GAUSSIAN),
      boolKey("random_labels", false),
      intKey("teacher_width", 0, true, false, null),
      intKey("n_test", 0, true, false, 0),
      enumKey("input_map", InputMap.class, false, null),
      new Key("path", Type.TEXT, null, 0, false, false, null),
      new Key("label", Type.TEXT, null, 0, false, false, null),
      new Key("features", Type.TEXT_LIST, null, 0, false, false, null),
      enumKey("task", TableTask.class, false, null),
      enumKey("normalize", Normalization.class, false, null));

  /** The data keys that only a user table takes. */
  private static final List<String> TABLE_KEYS = List.of("path", "label", "features", "task", "normalize");

  private static final List<Key> MODEL = List.of(
      enumKey("arch", Arch.class, true, null),
      enumKey("parameterization", Parameterization.class, true, null),
      enumKey("activation", Activation.class, false, Activation.RELU),
      intKey("width", 1, true, true, null),
      intKey("depth", 1, false, false, 1),
      boolKey("train_output", null),
      intKey("last_width", 1, true, false, null),
      doubleKey("residual_scale", 0, false, false, null),
      intKey("patch", 1, false, false, null),
      intKey("channels", 1, false, false, null));

  private static final List<Key> TRAIN = List.of(
      enumKey("optimizer", Optimizer.class, false, Optimizer.GD),
      doubleKey("lr", 0, true, true, null),
      intKey("batch_size", 1, true, false, null),
      enumKey("loss", Loss.class, true, null),
      intKey("max_steps", 1, false, true, null),
      doubleKey("divergence_factor", 1, false, false, TrainSpec.DEFAULT_DIVERGENCE_FACTOR));

  private static final List<Key> RECORD = List.of(
      intKey("curve_points", 2, false, false, RecordSpec.DEFAULT_CURVE_POINTS),
      boolKey("ntk", true),
      intKey("ntk_max_n", 0, false, false, RecordSpec.DEFAULT_NTK_MAX_N),
      boolKey("surrogate", false));

  private static final List<String> TOP = List.of("sweep", "data", "model", "train", "seeds", "record", "execution",
      "search");
  private static final List<String> SEARCH_NAMES = List.of("min_width", "max_width", "resolution", "threshold");
  private static final List<String> TRAIN_NAMES = names(TRAIN, "target_loss");
  private static final List<String> TARGET_NAMES = List.of("relative", "absolute");
  private static final List<String> RANGE_NAMES = List.of("from", "to", "factor", "step");
  private static final List<String> RELATIVE_NAMES = List.of("scale", "factors");
  private static final List<String> EXECUTION_NAMES = List.of("wave_size", "partitions");
  private static final Set<String> SYMBOLS = Set.of("n", "d", "depth", "n_test", "width");
  /** Keys evaluated after the width, so their expressions may use it (e.g. lr ~ 1 / (n depth width)). */
  private static final Set<String> AFTER_WIDTH = Set.of("train.lr", "model.last_width");
  private static final Pattern SWEEP_NAME = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final Pattern KEY_PATH = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");
  private static final double DEFAULT_TARGET = 1e-4;

  private static List<String> names(List<Key> keys, String... extra) {
    List<String> names = new ArrayList<>();
    keys.forEach(k -> names.add(k.name()));
    names.addAll(List.of(extra));
    return List.copyOf(names);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * One leaf after validation: its single value or its axis values. Values are Integer, Double,
   * Boolean or an enum constant; for a relative key they are the factors (Double).
   */
  private record Param(String path, Key key, List<Object> values, boolean axis, ScaleExpression scale) {
    Object single() {
      return values.get(0);
    }
  }

  /** One value read from a scalar, a list item or a range, with where it came from. */
  private record Num(double value, String path, String text) {}

  /** The state of one load: errors found so far, the validated leaves and the resolved config. */
  private static final class Compiler {
    /** Search only: the grid point each template came from, to re-evaluate it at another width. */
    private final Map<RunSpec, Map<String, Object>> templatePoints = new HashMap<>();
    private final Set<ConfigError> errors = new LinkedHashSet<>();
    /** The leaves by path ("data.n"), in document order. */
    private final Map<String, Param> params = new LinkedHashMap<>();
    /** True once a needed value is missing or invalid, so that the grid cannot be expanded. */
    private boolean blocked;
    private String sweep;
    private Param target;
    private boolean targetRelative = true;
    private List<Long> seeds = List.of(0L);
    private boolean seedsAxis;
    private ExecutionOptions execution = ExecutionOptions.auto();
    private io.github.overparam.spark.sweep.SearchOptions search;
    private final TableReader tables;
    /** The keys given in the config (after overrides), e.g. "data.labels". */
    private final Set<String> given = new LinkedHashSet<>();
    /** The user table of source csv or parquet, or null. */
    private UserTable table;

    Compiler(TableReader tables) {
      this.tables = tables;
    }

    private void error(String path, String value, String message) {
      errors.add(new ConfigError(path, value, message));
    }

    private void fail(String path, String value, String message) {
      error(path, value, message);
      blocked = true;
    }

    SweepConfig compile(String yamlText, List<String> overrides) throws ConfigException {
      Node root;
      try {
        root = YamlTree.read(yamlText, "(yaml)", "");
      } catch (ReadException e) {
        errors.add(e.error());
        root = null;
      }
      if (root instanceof Scalar s && s.kind() == Kind.NULL) {
        root = new MapNode();
      } else if (root != null && !(root instanceof MapNode)) {
        error("(yaml)", YamlTree.render(root), "the config must be a map of keys (" + String.join(", ", TOP) + ")");
        root = null;
      }
      for (String override : overrides) {
        applyOverride(root, override);
      }
      if (root == null) {
        throw new ConfigException(List.copyOf(errors));
      }
      Map<String, Object> resolved = validate((MapNode) root);
      if (target == null) {
        blocked = true;
      }
      List<RunSpec> runs = blocked ? List.of() : expand();
      if (!errors.isEmpty()) {
        throw new ConfigException(capped());
      }
      List<String> axes = new ArrayList<>();
      params.values().stream().filter(Param::axis).forEach(p -> axes.add(p.path()));
      if (seedsAxis) {
        axes.add("seed");
      }
      String yaml = "# sweep config as run: overrides applied, defaults filled in\n" + YamlTree.write(resolved);
      if (search != null) {
        axes.add(0, "search");
      }
      if (search == null) {
        return new SweepConfig(sweep, runs, execution, yaml, axes, null);
      }
      return new SweepConfig(sweep, runs, execution, yaml, axes, search, this::atWidth);
    }

    /**
     * A search template at another width, every relative value re-evaluated there (so an lr given
     * relative to the width follows the probe). Driver side only.
     */
    private RunSpec atWidth(RunSpec template, int width) {
      Map<String, Object> point = templatePoints.get(template);
      if (point == null) {
        throw new IllegalArgumentException("not a template of this sweep: " + template.canonical());
      }
      Map<String, Object> v = new HashMap<>(point);
      v.put("model.width", width);
      List<ConfigError> before = new ArrayList<>(errors);
      RunSpec run = run(v, template.seed());
      if (run == null) {
        List<ConfigError> added = new ArrayList<>(errors);
        added.removeAll(before);
        String why = added.isEmpty() ? "invalid run" : added.get(0).toString();
        throw new IllegalArgumentException("search probe at model.width = " + width + ": " + why);
      }
      return run;
    }

    private List<ConfigError> capped() {
      List<ConfigError> list = new ArrayList<>(errors);
      if (list.size() <= MAX_ERRORS) {
        return list;
      }
      List<ConfigError> head = new ArrayList<>(list.subList(0, MAX_ERRORS));
      head.add(new ConfigError("(errors)", null, (list.size() - MAX_ERRORS) + " more errors not shown"));
      return head;
    }

    // -------------------------------------------------------------------------------------------
    // Overrides.

    private void applyOverride(Node root, String override) {
      int eq = override == null ? -1 : override.indexOf('=');
      if (eq <= 0) {
        error("(--set)", "'" + override + "'", "an override is key.path=value, e.g. model.width=[16,32]");
        return;
      }
      String path = override.substring(0, eq).trim();
      if (!KEY_PATH.matcher(path).matches()) {
        error("(--set)", "'" + override + "'", "'" + path + "' is not a key path like model.width or seeds");
        return;
      }
      Node value;
      try {
        value = YamlTree.read(override.substring(eq + 1), "(--set)", path);
      } catch (ReadException e) {
        ConfigError inner = e.error();
        error("(--set)", "'" + override + "'", inner.message());
        return;
      }
      if (root == null) {
        return;
      }
      String[] parts = path.split("\\.");
      MapNode map = (MapNode) root;
      for (int i = 0; i < parts.length - 1; i++) {
        Node child = map.entries().get(parts[i]);
        if (child == null || (child instanceof Scalar s && s.kind() == Kind.NULL)) {
          child = new MapNode();
          map.entries().put(parts[i], child);
        } else if (!(child instanceof MapNode)) {
          String prefix = String.join(".", java.util.Arrays.copyOfRange(parts, 0, i + 1));
          error("(--set)", "'" + override + "'", prefix + " is " + YamlTree.render(child)
              + ", not a map, so it has no key " + parts[i + 1]);
          return;
        }
        map = (MapNode) child;
      }
      map.entries().put(parts[parts.length - 1], value);
    }

    // -------------------------------------------------------------------------------------------
    // Structure and leaf values.

    private Map<String, Object> validate(MapNode root) {
      Node searchNode = root.entries().get("search");
      if (searchNode != null && !isNull(searchNode)) {
        search = search(searchNode);
        // The search chooses the widths: the grid carries one template per group, at min_width.
        if (root.entries().get("model") instanceof MapNode model && search != null) {
          if (model.entries().containsKey("width")) {
            error("model.width", YamlTree.render(model.entries().get("width")), "not allowed with search: the search"
                + " chooses the widths between search.min_width and search.max_width");
          } else {
            model.entries().put("width", new Scalar(Kind.INT, Integer.toString(search.minWidth())));
          }
        }
      }
      Map<String, Object> resolved = new LinkedHashMap<>();
      Set<String> seen = new LinkedHashSet<>();
      for (Map.Entry<String, Node> e : root.entries().entrySet()) {
        String key = e.getKey();
        if (!TOP.contains(key)) {
          unknown(key, key, e.getValue(), TOP);
          continue;
        }
        seen.add(key);
        Object value = topLevel(key, e.getValue());
        if (value != null) {
          resolved.put(key, value);
        }
      }
      for (String key : TOP) {
        if (!seen.contains(key)) {
          Object value = topLevel(key, null);
          if (value != null) {
            resolved.put(key, value);
          }
        }
      }
      conditionalDefaults(resolved);
      userTable(resolved);
      if (search != null && resolved.get("model") instanceof Map<?, ?> model) {
        model.remove("width");
      }
      return resolved;
    }

    /** Validates one top-level key (node null when absent) and returns its resolved form or null. */
    private Object topLevel(String key, Node node) {
      if (isNull(node)) {
        node = null;
      }
      return switch (key) {
        case "sweep" -> sweepName(node);
        case "data" -> section("data", node, DATA);
        case "model" -> section("model", node, MODEL);
        case "train" -> section("train", node, TRAIN);
        case "record" -> section("record", node, RECORD);
        case "seeds" -> seeds(node);
        case "execution" -> execution(node);
        case "search" -> node == null ? null : YamlTree.plain(node);
        default -> throw new IllegalStateException(key);
      };
    }

    private Object sweepName(Node node) {
      if (node == null) {
        fail("sweep", null, "missing: a sweep name is required ([a-z0-9_-], 1..64 characters; "
            + "it names the output sub-folder)");
        return null;
      }
      if (!(node instanceof Scalar s) || s.kind() == Kind.BOOL) {
        fail("sweep", YamlTree.render(node), "must be a single name of 1..64 characters a-z, 0-9, _ and -");
        return null;
      }
      if (!SWEEP_NAME.matcher(s.text()).matches()) {
        fail("sweep", "'" + s.text() + "'", "must be 1..64 characters a-z, 0-9, _ and - (it names the output "
            + "sub-folder, so no '/', '.' or '..')");
        return null;
      }
      sweep = s.text();
      return sweep;
    }

    private Map<String, Object> section(String name, Node node, List<Key> keys) {
      Map<String, Object> out = new LinkedHashMap<>();
      if (node != null && !(node instanceof MapNode)) {
        fail(name, YamlTree.render(node), "must be a map of keys (" + String.join(", ",
            name.equals("train") ? TRAIN_NAMES : names(keys)) + ")");
        return out;
      }
      MapNode map = node == null ? new MapNode() : (MapNode) node;
      List<String> known = name.equals("train") ? TRAIN_NAMES : names(keys);
      Set<String> given = new LinkedHashSet<>();
      for (Map.Entry<String, Node> e : map.entries().entrySet()) {
        String path = name + "." + e.getKey();
        Node value = e.getValue();
        if (!known.contains(e.getKey())) {
          unknown(path, e.getKey(), value, known);
          continue;
        }
        if (isNull(value)) {
          continue;
        }
        given.add(e.getKey());
        this.given.add(path);
        out.put(e.getKey(), YamlTree.plain(value));
        if (e.getKey().equals("target_loss")) {
          targetLoss(path, value);
        } else {
          Key key = keys.stream().filter(k -> k.name().equals(e.getKey())).findFirst().orElseThrow();
          Param p = leaf(path, key, value);
          if (p != null) {
            params.put(path, p);
          }
        }
      }
      for (Key key : keys) {
        if (given.contains(key.name())) {
          continue;
        }
        String path = name + "." + key.name();
        if (key.required() && !(path.equals("data.d") && userSource(map))) {
          fail(path, null, "missing: a value is required (" + key.expected() + ")");
        } else if (key.dflt() != null) {
          params.put(path, new Param(path, key, List.of(key.dflt()), false, null));
          out.put(key.name(), key.dflt() instanceof Enum<?> e ? Names.of(e) : key.dflt());
        }
      }
      if (name.equals("train") && !given.contains("target_loss")) {
        target = new Param("train.target_loss.relative", targetKey("relative"), List.of(DEFAULT_TARGET), false,
            null);
        params.put(target.path(), target);
        out.put("target_loss", new LinkedHashMap<>(Map.of("relative", DEFAULT_TARGET)));
      }
      return out;
    }

    // -------------------------------------------------------------------------------------------
    // User tables (source csv | parquet).

    /** Whether a data section names a user-table source (csv or parquet) as its single source. */
    private static boolean userSource(MapNode data) {
      return data.entries().get("source") instanceof Scalar s && s.kind() == Kind.STRING
          && (s.text().trim().equalsIgnoreCase("csv") || s.text().trim().equalsIgnoreCase("parquet"));
    }

    /** A text key (a path, a column) or a list of column names; never a grid axis. */
    private Param textLeaf(String path, Key key, Node node) {
      List<Node> items = key.type() == Type.TEXT_LIST && node instanceof Seq q ? q.items() : List.of(node);
      if (key.type() == Type.TEXT_LIST && items.isEmpty()) {
        fail(path, "[]", "an empty list: leave " + path + " out for every numeric column but the label");
        return null;
      }
      List<String> texts = new ArrayList<>();
      for (Node item : items) {
        if (!(item instanceof Scalar s) || s.kind() == Kind.NULL || s.text().isBlank()) {
          fail(path, YamlTree.render(node), key.type() == Type.TEXT
              ? "must be a single text value (" + path + " is not a grid axis)"
              : "must be a column name or a list of column names");
          return null;
        }
        texts.add(s.text());
      }
      Object value = key.type() == Type.TEXT ? texts.get(0) : List.copyOf(texts);
      return new Param(path, key, List.of(value), false, null);
    }

    /**
     * With source csv or parquet: checks the table keys, reads the table (through {@link #tables}),
     * registers it in this JVM, and fills in the labels, the task and the normalisation; otherwise
     * rejects the table keys.
     */
    @SuppressWarnings("unchecked")
    private void userTable(Map<String, Object> resolved) {
      Param source = params.get("data.source");
      boolean user = source != null && source.values().stream().anyMatch(v -> ((DataSource) v).userTable());
      if (!user) {
        for (String k : TABLE_KEYS) {
          Param p = params.get("data." + k);
          if (p != null) {
            fail(p.path(), render(p.single()), "only with data.source csv or parquet (a user table)");
          }
        }
        return;
      }
      if (source.axis()) {
        fail("data.source", render(source.values()), "csv and parquet cannot be values of a grid axis: a sweep"
            + " reads one user table");
        return;
      }
      DataSource src = (DataSource) source.single();
      Map<String, Object> data = resolved.get("data") instanceof Map<?, ?> m ? (Map<String, Object>) m
          : new LinkedHashMap<>();
      if (given.contains("data.d")) {
        fail("data.d", render(params.get("data.d") == null ? null : params.get("data.d").values()),
            "not allowed with source " + Names.of(src) + ": d is the table's number of feature columns");
      }
      Param labels = params.get("data.labels");
      if (given.contains("data.labels")) {
        if (labels != null && !labels.values().equals(List.of(LabelKind.COLUMN))) {
          fail("data.labels", render(labels.values()), "with source " + Names.of(src) + " the labels are the column"
              + " data.label: leave data.labels out (or write column)");
        }
      } else {
        params.put("data.labels", new Param("data.labels", labels.key(), List.of(LabelKind.COLUMN), false, null));
        data.put("labels", Names.of(LabelKind.COLUMN));
      }
      for (String required : List.of("path", "label")) {
        if (!params.containsKey("data." + required)) {
          fail("data." + required, null, "missing: required with source " + Names.of(src) + " ("
              + (required.equals("path") ? "the table's file or folder, any Hadoop path" : "the label column") + ")");
        }
      }
      if (!params.containsKey("data.path") || !params.containsKey("data.label")) {
        return;
      }
      String path = (String) params.get("data.path").single();
      String label = (String) params.get("data.label").single();
      List<String> features = params.containsKey("data.features")
          ? (List<String>) params.get("data.features").single() : List.of();
      try {
        table = tables.read(src, path, label, features);
      } catch (TableReadException e) {
        fail(e.key(), e.value(), e.getMessage());
        return;
      } catch (IllegalArgumentException e) {
        errors.add(fromCore(e.getMessage()));
        blocked = true;
        return;
      }
      UserTables.register(table);
      if (!params.containsKey("data.task")) {
        TableTask task = table.defaultTask();
        params.put("data.task", new Param("data.task", enumKey("task", TableTask.class, false, null),
            List.of(task), false, null));
        data.put("task", Names.of(task));
      }
      for (Object task : params.get("data.task").values()) {
        try {
          table.checkTask((TableTask) task);
        } catch (IllegalArgumentException e) {
          errors.add(fromCore(e.getMessage()));
          blocked = true;
        }
      }
      if (!params.containsKey("data.normalize")) {
        params.put("data.normalize", new Param("data.normalize", enumKey("normalize", Normalization.class, false,
            null), List.of(Normalization.SPHERE), false, null));
        data.put("normalize", Names.of(Normalization.SPHERE));
      }
      for (Object normalize : params.get("data.normalize").values()) {
        try {
          UserTables.inputs(table, (Normalization) normalize);
        } catch (IllegalArgumentException e) {
          errors.add(fromCore(e.getMessage()));
          blocked = true;
        }
      }
    }

    private static String render(Object value) {
      if (value instanceof List<?> list) {
        return list.size() == 1 ? render(list.get(0))
            : "[" + String.join(", ", list.stream().map(Compiler::render).toList()) + "]";
      }
      return value instanceof Enum<?> e ? Names.of(e) : String.valueOf(value);
    }

    /** Writes the defaults that depend on other keys when those are single values. */
    @SuppressWarnings("unchecked")
    private void conditionalDefaults(Map<String, Object> resolved) {
      Param par = params.get("model.parameterization");
      if (par == null || par.axis()) {
        return;
      }
      Parameterization p = (Parameterization) par.single();
      if (!params.containsKey("data.input_map") && resolved.get("data") instanceof Map<?, ?> data) {
        ((Map<String, Object>) data).put("input_map",
            Names.of(p == Parameterization.ALLEN_ZHU ? InputMap.ALLEN_ZHU : InputMap.NONE));
      }
      if (!params.containsKey("model.train_output") && resolved.get("model") instanceof Map<?, ?> model) {
        ((Map<String, Object>) model).put("train_output", p.trainOutputByDefault());
      }
    }

    private static Key targetKey(String name) {
      return doubleKey(name, 0, false, true, null);
    }

    private void targetLoss(String path, Node node) {
      if (!(node instanceof MapNode map)) {
        fail(path, YamlTree.render(node), "must be a map with exactly one of relative or absolute, e.g. "
            + "{relative: 1.0e-4}");
        return;
      }
      String chosen = null;
      for (Map.Entry<String, Node> e : map.entries().entrySet()) {
        if (!TARGET_NAMES.contains(e.getKey())) {
          unknown(path + "." + e.getKey(), e.getKey(), e.getValue(), TARGET_NAMES);
        } else if (chosen != null) {
          fail(path, YamlTree.render(node), "give exactly one of relative (times the initial loss) or absolute, "
              + "not both");
          return;
        } else {
          chosen = e.getKey();
        }
      }
      if (chosen == null) {
        fail(path, YamlTree.render(node), "give exactly one of relative (times the initial loss) or absolute");
        return;
      }
      targetRelative = chosen.equals("relative");
      target = leaf(path + "." + chosen, targetKey(chosen), map.entries().get(chosen));
      if (target != null) {
        params.put(target.path(), target);
      }
    }

    private Object seeds(Node node) {
      if (node == null) {
        return 1;
      }
      String expected = "must be a number of seeds >= 1 (meaning seeds 0..N-1) or a list of seeds (integers >= 0)";
      if (node instanceof Scalar s) {
        Long count = s.kind() == Kind.INT ? longValue(s.text()) : null;
        if (count == null || count < 1) {
          fail("seeds", YamlTree.render(node), expected);
        } else if (count > MAX_RUNS) {
          fail("seeds", s.text(), "more than " + MAX_RUNS + " seeds are not allowed");
        } else {
          List<Long> list = new ArrayList<>();
          for (long i = 0; i < count; i++) {
            list.add(i);
          }
          seeds = list;
          seedsAxis = count > 1;
        }
      } else if (node instanceof Seq q) {
        if (q.items().isEmpty()) {
          fail("seeds", "[]", "an empty list: give at least one seed");
          return YamlTree.plain(node);
        }
        Set<Long> list = new LinkedHashSet<>();
        for (int i = 0; i < q.items().size(); i++) {
          Node item = q.items().get(i);
          Long seed = item instanceof Scalar s && s.kind() == Kind.INT ? longValue(s.text()) : null;
          if (seed == null || seed < 0) {
            fail("seeds[" + i + "]", YamlTree.render(item), "a seed must be an integer >= 0");
          } else {
            list.add(seed);
          }
        }
        seeds = List.copyOf(list);
        seedsAxis = true;
      } else {
        fail("seeds", YamlTree.render(node), expected);
      }
      return YamlTree.plain(node);
    }

    /** The {@code search:} block, or null (with errors recorded) when it is invalid. */
    private io.github.overparam.spark.sweep.SearchOptions search(Node node) {
      if (!(node instanceof MapNode map)) {
        error("search", YamlTree.render(node), "must be a map of keys (" + String.join(", ", SEARCH_NAMES) + ")");
        return null;
      }
      Map<String, Double> values = new HashMap<>();
      boolean ok = true;
      for (Map.Entry<String, Node> e : map.entries().entrySet()) {
        String path = "search." + e.getKey();
        if (!SEARCH_NAMES.contains(e.getKey())) {
          unknown(path, e.getKey(), e.getValue(), SEARCH_NAMES);
          ok = false;
          continue;
        }
        boolean number = e.getValue() instanceof Scalar sc && (sc.kind() == Kind.INT || sc.kind() == Kind.FLOAT);
        if (!number) {
          error(path, YamlTree.render(e.getValue()), "must be a single number (search options are not grid axes)");
          ok = false;
          continue;
        }
        values.put(e.getKey(), YamlTree.parseDouble(((Scalar) e.getValue()).text()));
      }
      for (String required : List.of("min_width", "max_width", "resolution")) {
        if (ok && !values.containsKey(required)) {
          fail("search." + required, null, "missing: a value is required");
          ok = false;
        }
      }
      if (!ok) {
        blocked = true;
        return null;
      }
      for (String integer : List.of("min_width", "max_width")) {
        double v = values.get(integer);
        if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
          fail("search." + integer, YamlTree.render(map.entries().get(integer)), "must be an integer >= 1");
          return null;
        }
      }
      try {
        return new io.github.overparam.spark.sweep.SearchOptions(values.get("min_width").intValue(),
            values.get("max_width").intValue(), values.get("resolution"), values.getOrDefault("threshold", 0.5));
      } catch (IllegalArgumentException e) {
        String path = e.getMessage().substring(0, e.getMessage().indexOf(" = "));
        String key = path.substring("search.".length());
        fail(path, YamlTree.render(map.entries().get(key)), e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        return null;
      }
    }

    private Object execution(Node node) {
      if (node == null) {
        return null;
      }
      if (!(node instanceof MapNode map)) {
        error("execution", YamlTree.render(node), "must be a map of keys (" + String.join(", ", EXECUTION_NAMES)
            + ")");
        return null;
      }
      Integer wave = null;
      Integer partitions = null;
      for (Map.Entry<String, Node> e : map.entries().entrySet()) {
        String path = "execution." + e.getKey();
        if (!EXECUTION_NAMES.contains(e.getKey())) {
          unknown(path, e.getKey(), e.getValue(), EXECUTION_NAMES);
          continue;
        }
        if (isNull(e.getValue())) {
          continue;
        }
        Long v = e.getValue() instanceof Scalar s && s.kind() == Kind.INT ? longValue(s.text()) : null;
        if (v == null || v < 1 || v > Integer.MAX_VALUE) {
          error(path, YamlTree.render(e.getValue()), "must be a single integer >= 1 (execution options are not "
              + "grid axes), or unset for automatic");
        } else if (e.getKey().equals("wave_size")) {
          wave = v.intValue();
        } else {
          partitions = v.intValue();
        }
      }
      execution = new ExecutionOptions(wave, partitions);
      return YamlTree.plain(node);
    }

    /** Validates one leaf: a single value, a list (an axis), a range or a relative value. */
    private Param leaf(String path, Key key, Node node) {
      if (key.type() == Type.TEXT || key.type() == Type.TEXT_LIST) {
        return textLeaf(path, key, node);
      }
      boolean numeric = key.type() == Type.INT || key.type() == Type.DOUBLE;
      if (node instanceof MapNode map) {
        if (!numeric) {
          fail(path, YamlTree.render(node), "must be a single value or a list of values, not a map ("
              + key.expected() + ")");
          return null;
        }
        if (map.entries().containsKey("scale")) {
          return relative(path, key, map);
        }
      } else if (!numeric) {
        return plainLeaf(path, key, node);
      }
      List<Num> nums = numbers(path, node, key.expected(), key.type() == Type.INT);
      if (nums == null) {
        blocked = true;
        return null;
      }
      List<Object> values = new ArrayList<>();
      boolean ok = true;
      for (Num num : nums) {
        Object v = checkNumber(key, num);
        if (v == null) {
          ok = false;
        } else {
          values.add(v);
        }
      }
      if (!ok) {
        blocked = true;
        return null;
      }
      return new Param(path, key, values, !(node instanceof Scalar), null);
    }

    /** A boolean or enum leaf: a single value or a list. */
    private Param plainLeaf(String path, Key key, Node node) {
      List<Node> items;
      String[] paths;
      if (node instanceof Seq q) {
        if (q.items().isEmpty()) {
          fail(path, "[]", "an empty list: a grid axis needs at least one value");
          return null;
        }
        items = q.items();
        paths = new String[items.size()];
        for (int i = 0; i < paths.length; i++) {
          paths[i] = path + "[" + i + "]";
        }
      } else {
        items = List.of(node);
        paths = new String[] {path};
      }
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        Object v = plainValue(paths[i], key, items.get(i));
        if (v == null) {
          blocked = true;
          return null;
        }
        values.add(v);
      }
      return new Param(path, key, values, node instanceof Seq, null);
    }

    private Object plainValue(String path, Key key, Node node) {
      if (!(node instanceof Scalar s)) {
        error(path, YamlTree.render(node), "must be a single value (" + key.expected() + ")");
        return null;
      }
      if (key.type() == Type.BOOL) {
        if (s.kind() != Kind.BOOL) {
          error(path, YamlTree.render(s), key.expected());
          return null;
        }
        return Boolean.parseBoolean(s.text());
      }
      if (s.kind() == Kind.STRING) {
        for (Enum<?> e : key.enumType().getEnumConstants()) {
          if (Names.of(e).equals(s.text().trim().toLowerCase(Locale.ROOT))) {
            return e;
          }
        }
      }
      error(path, YamlTree.render(s), key.expected());
      return null;
    }

    /** Checks a number against its key's type and bounds; returns Integer or Double, or null. */
    private Object checkNumber(Key key, Num num) {
      if (key.type() == Type.INT) {
        double v = num.value();
        if (!Double.isFinite(v) || v != Math.rint(v) || v < key.min() || v > Integer.MAX_VALUE) {
          error(num.path(), num.text(), key.expected() + (v > Integer.MAX_VALUE && Double.isFinite(v)
              ? " and at most " + Integer.MAX_VALUE : ""));
          return null;
        }
        return (int) v;
      }
      if (!Double.isFinite(num.value()) || !(num.value() > key.min())) {
        error(num.path(), num.text(), key.expected());
        return null;
      }
      return num.value();
    }

    /**
     * The numbers of a scalar, a list or a range map at {@code path}, or null after reporting errors.
     * Range values of integer keys are rounded and repeats dropped.
     */
    private List<Num> numbers(String path, Node node, String expected, boolean integer) {
      if (node instanceof Scalar s) {
        Num n = number(path, s, expected);
        return n == null ? null : List.of(n);
      }
      if (node instanceof Seq q) {
        if (q.items().isEmpty()) {
          error(path, "[]", "an empty list: a grid axis needs at least one value");
          return null;
        }
        List<Num> list = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < q.items().size(); i++) {
          String itemPath = path + "[" + i + "]";
          Node item = q.items().get(i);
          Num n = item instanceof Scalar s ? number(itemPath, s, expected) : null;
          if (n == null) {
            if (!(item instanceof Scalar)) {
              error(itemPath, YamlTree.render(item), "a list item must be a single number (" + expected + ")");
            }
            ok = false;
          } else {
            list.add(n);
          }
        }
        return ok ? list : null;
      }
      return range(path, (MapNode) node, expected, integer);
    }

    private Num number(String path, Scalar s, String expected) {
      if (s.kind() == Kind.INT) {
        var v = YamlTree.parseInteger(s.text());
        if (v == null) {
          error(path, s.text(), expected);
          return null;
        }
        return new Num(v.doubleValue(), path, s.text());
      }
      if (s.kind() == Kind.FLOAT) {
        return new Num(YamlTree.parseDouble(s.text()), path, s.text());
      }
      error(path, YamlTree.render(s), expected + (s.kind() == Kind.STRING ? ", not a string" : ""));
      return null;
    }

    private List<Num> range(String path, MapNode map, String expected, boolean integer) {
      boolean ok = true;
      for (Map.Entry<String, Node> e : map.entries().entrySet()) {
        if (!RANGE_NAMES.contains(e.getKey())) {
          unknown(path + "." + e.getKey(), e.getKey(), e.getValue(), RANGE_NAMES);
          ok = false;
        }
      }
      Double from = rangeNumber(path, map, "from");
      Double to = rangeNumber(path, map, "to");
      boolean geometric = map.entries().containsKey("factor");
      boolean arithmetic = map.entries().containsKey("step");
      if (geometric == arithmetic) {
        error(path, YamlTree.render(map), "a range is {from, to, factor} (geometric) or {from, to, step} "
            + "(arithmetic): give exactly one of factor or step" + (ok ? "" : "; or a relative value {scale, factors}"));
        return null;
      }
      Double by = rangeNumber(path, map, geometric ? "factor" : "step");
      if (!ok || from == null || to == null || by == null) {
        return null;
      }
      if (geometric && !(from > 0)) {
        error(path + ".from", fmt(from), "a geometric range must start above 0");
        return null;
      }
      if (geometric && !(by > 1)) {
        error(path + ".factor", fmt(by), "must be a number > 1");
        return null;
      }
      if (arithmetic && !(by > 0)) {
        error(path + ".step", fmt(by), "must be a number > 0");
        return null;
      }
      if (to < from) {
        error(path + ".to", fmt(to), "must be >= from (" + fmt(from) + ")");
        return null;
      }
      double count = geometric ? Math.floor(Math.log(to / from) / Math.log(by) + 1e-9) + 1
          : Math.floor((to - from) / by + 1e-9) + 1;
      if (count > MAX_RUNS) {
        error(path, YamlTree.render(map), "the range has " + (long) count + " values: at most " + MAX_RUNS);
        return null;
      }
      List<Num> out = new ArrayList<>();
      Set<Double> seen = new LinkedHashSet<>();
      for (int k = 0; k < (int) count; k++) {
        double v = geometric ? from * Math.pow(by, k) : from + k * by;
        if (Math.abs(v - to) <= 1e-9 * Math.max(Math.abs(to), Math.abs(v)) || v > to) {
          v = to;
        }
        if (integer) {
          v = Math.rint(v);
        }
        if (seen.add(v)) {
          out.add(new Num(v, path, fmt(v) + " (from the range " + YamlTree.render(map) + ")"));
        }
      }
      return out;
    }

    private Double rangeNumber(String path, MapNode map, String name) {
      Node node = map.entries().get(name);
      String p = path + "." + name;
      if (node == null || isNull(node)) {
        error(p, null, "missing: a range needs from, to and one of factor or step");
        return null;
      }
      if (!(node instanceof Scalar s)) {
        error(p, YamlTree.render(node), "must be a single number");
        return null;
      }
      Num n = number(p, s, "must be a finite number");
      if (n == null) {
        return null;
      }
      if (!Double.isFinite(n.value())) {
        error(p, s.text(), "must be a finite number");
        return null;
      }
      return n.value();
    }

    private Param relative(String path, Key key, MapNode map) {
      if (!key.relative()) {
        fail(path, YamlTree.render(map), "a relative value {scale, factors} is allowed only for model.width, "
            + "model.last_width, train.lr, train.batch_size, data.n_test and data.teacher_width");
        return null;
      }
      boolean ok = true;
      for (Map.Entry<String, Node> e : map.entries().entrySet()) {
        if (!RELATIVE_NAMES.contains(e.getKey())) {
          unknown(path + "." + e.getKey(), e.getKey(), e.getValue(), RELATIVE_NAMES);
          ok = false;
        }
      }
      Node scaleNode = map.entries().get("scale");
      ScaleExpression scale = null;
      if (!(scaleNode instanceof Scalar s) || s.kind() == Kind.NULL || s.kind() == Kind.BOOL) {
        error(path + ".scale", YamlTree.render(scaleNode), "must be an expression like \"n^2 * depth\"");
        ok = false;
      } else {
        Set<String> allowed = new LinkedHashSet<>(SYMBOLS);
        if (path.equals("data.n_test")) {
          allowed.remove("n_test");
        }
        if (!AFTER_WIDTH.contains(path)) {
          allowed.remove("width");
        }
        try {
          scale = ScaleExpression.parse(s.text(), allowed);
        } catch (ScaleExpression.SyntaxException e) {
          error(path + ".scale", "'" + s.text() + "'", e.getMessage());
          ok = false;
        }
      }
      Node factorsNode = map.entries().get("factors");
      List<Num> factors = factorsNode == null || isNull(factorsNode)
          ? List.of(new Num(1.0, path + ".factors", "1"))
          : numbers(path + ".factors", factorsNode, "must be a finite number > 0", false);
      List<Object> values = new ArrayList<>();
      if (factors == null) {
        ok = false;
      } else {
        for (Num f : factors) {
          if (!Double.isFinite(f.value()) || !(f.value() > 0)) {
            error(f.path(), f.text(), "a factor must be a finite number > 0");
            ok = false;
          } else {
            values.add(f.value());
          }
        }
      }
      if (!ok) {
        blocked = true;
        return null;
      }
      boolean axis = factorsNode != null && !(factorsNode instanceof Scalar);
      return new Param(path, key, values, axis, scale);
    }

    private void unknown(String path, String key, Node value, List<String> known) {
      String best = null;
      int bestDistance = 3;
      for (String k : known) {
        int dist = editDistance(key, k);
        if (dist < bestDistance) {
          best = k;
          bestDistance = dist;
        }
      }
      String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.') + 1) : "";
      error(path, value == null ? null : YamlTree.render(value), "unknown key"
          + (best == null ? "" : " (did you mean " + parent + best + "?)") + "; known keys here: "
          + String.join(", ", known));
    }

    // -------------------------------------------------------------------------------------------
    // The grid.

    private List<RunSpec> expand() {
      List<Param> axes = new ArrayList<>();
      for (Param p : params.values()) {
        if (p.axis()) {
          axes.add(p);
        }
      }
      double size = seeds.size();
      StringJoiner shape = new StringJoiner(" x ");
      for (Param p : axes) {
        size *= p.values().size();
        shape.add(p.path() + " " + p.values().size());
      }
      shape.add("seed " + seeds.size());
      if (size > MAX_RUNS) {
        error("(grid)", String.format(Locale.ROOT, "%,.0f runs", size), "the grid (" + shape
            + ") is larger than " + String.format(Locale.ROOT, "%,d", MAX_RUNS) + " runs: use fewer values or split "
            + "the sweep");
        return List.of();
      }
      Map<String, Object> point = new HashMap<>();
      for (Param p : params.values()) {
        point.put(p.path(), p.single());
      }
      int[] index = new int[axes.size()];
      Set<RunSpec> runs = new LinkedHashSet<>();
      while (true) {
        for (int a = 0; a < axes.size(); a++) {
          point.put(axes.get(a).path(), axes.get(a).values().get(index[a]));
        }
        for (long seed : seeds) {
          RunSpec run = run(point, seed);
          if (run != null) {
            runs.add(run);
            if (search != null) {
              templatePoints.putIfAbsent(run, new HashMap<>(point));
            }
          }
          if (errors.size() > MAX_ERRORS) {
            return List.of();
          }
        }
        int a = axes.size() - 1;
        while (a >= 0 && ++index[a] == axes.get(a).values().size()) {
          index[a] = 0;
          a--;
        }
        if (a < 0) {
          break;
        }
      }
      if (runs.isEmpty() && errors.isEmpty()) {
        error("(grid)", "0 runs", "the grid is empty");
      }
      return List.copyOf(runs);
    }

    /** The run at one grid point, or null after reporting why it is invalid. */
    private RunSpec run(Map<String, Object> v, long seed) {
      Map<String, Double> symbols = new HashMap<>();
      int n = (Integer) v.get("data.n");
      symbols.put("n", (double) n);
      DataSource source = (DataSource) v.get("data.source");
      int d = table == null ? (Integer) v.get("data.d") : table.columns() + (inputMap(v) == InputMap.ALLEN_ZHU ? 1 : 0);
      symbols.put("d", (double) d);
      symbols.put("depth", (double) (Integer) v.get("model.depth"));
      Integer nTest = intValue(v, "data.n_test", symbols);
      if (nTest == null) {
        return null;
      }
      symbols.put("n_test", (double) nTest);
      LabelKind labels = (LabelKind) v.get("data.labels");
      boolean teacher = labels == LabelKind.TEACHER || labels == LabelKind.TEACHER_SIGN;
      Integer teacherWidth = 0;
      if (params.containsKey("data.teacher_width")
          && (teacher || !axisContains("data.labels", LabelKind.TEACHER, LabelKind.TEACHER_SIGN))) {
        teacherWidth = intValue(v, "data.teacher_width", symbols);
      } else if (teacher) {
        error("data.teacher_width", null, "missing: required with labels " + Names.of(labels)
            + " (the teacher network's width, an integer >= 1)");
        return null;
      }
      Optimizer optimizer = (Optimizer) v.get("train.optimizer");
      Integer batch = 0;
      if (params.containsKey("train.batch_size")
          && (optimizer == Optimizer.SGD || !axisContains("train.optimizer", Optimizer.SGD))) {
        batch = intValue(v, "train.batch_size", symbols);
      } else if (optimizer == Optimizer.SGD) {
        error("train.batch_size", null, "missing: required with optimizer sgd (an integer from 1 to data.n)");
        return null;
      }
      Integer width = intValue(v, "model.width", symbols);
      if (width != null) {
        symbols.put("width", (double) width);
      }
      Integer lastWidth = params.containsKey("model.last_width") ? intValue(v, "model.last_width", symbols) : width;
      Double lr = doubleValue(v, "train.lr", symbols);
      Double targetValue = doubleValue(v, target.path(), symbols);
      Integer tw = teacherWidth;
      if (teacherWidth == null || batch == null || width == null || lr == null || targetValue == null
          || lastWidth == null) {
        return null;
      }
      Parameterization par = (Parameterization) v.get("model.parameterization");
      InputMap inputMap = inputMap(v);
      boolean trainOutput = v.containsKey("model.train_output") ? (Boolean) v.get("model.train_output")
          : par.trainOutputByDefault();
      TableSpec tableSpec = null;
      if (table != null) {
        @SuppressWarnings("unchecked")
        List<String> features = v.containsKey("data.features") ? (List<String>) v.get("data.features") : List.of();
        tableSpec = build(() -> TableSpec.of(table, (String) v.get("data.path"), features,
            (TableTask) v.get("data.task"), (Normalization) v.get("data.normalize")));
        if (tableSpec == null) {
          return null;
        }
      }
      TableSpec ts = tableSpec;
      DataSpec data = build(() -> new DataSpec(source, n, d, labels, (Boolean) v.get("data.random_labels"), tw, nTest,
          inputMap, ts));
      Arch arch = (Arch) v.get("model.arch");
      int depth = (Integer) v.get("model.depth");
      double tau = v.containsKey("model.residual_scale") ? (Double) v.get("model.residual_scale")
          : arch == Arch.RESNET ? ModelSpec.defaultResidualScale(width, depth) : Double.NaN;
      int patch = v.containsKey("model.patch") ? (Integer) v.get("model.patch") : arch == Arch.CNN ? 3 : 0;
      int channels = v.containsKey("model.channels") ? (Integer) v.get("model.channels") : arch == Arch.CNN ? 1 : 0;
      ModelSpec model = build(() -> new ModelSpec(arch, par, (Activation) v.get("model.activation"), width, depth,
          trainOutput, lastWidth, tau, patch, channels));
      Integer b = batch;
      Param lrParam = params.get("train.lr");
      String lrRule = lrParam.scale() != null && lrParam.scale().symbols().contains("width")
          ? fmt((Double) v.get("train.lr")) + " * (" + lrParam.scale() + ")" : null;
      TrainSpec train = build(() -> new TrainSpec(optimizer, lr, b, (Loss) v.get("train.loss"),
          (Integer) v.get("train.max_steps"), new TargetLoss(targetRelative, targetValue),
          (Double) v.get("train.divergence_factor"), lrRule));
      RecordSpec record = build(() -> new RecordSpec((Integer) v.get("record.curve_points"),
          (Boolean) v.get("record.ntk"), (Integer) v.get("record.ntk_max_n"), (Boolean) v.get("record.surrogate")));
      if (data == null || model == null || train == null || record == null) {
        return null;
      }
      return build(() -> new RunSpec(data, model, train, record, seed));
    }

    /** The input map: as configured, else the parameterization's (allen_zhu for allen_zhu, else none). */
    private static InputMap inputMap(Map<String, Object> v) {
      return v.containsKey("data.input_map") ? (InputMap) v.get("data.input_map")
          : v.get("model.parameterization") == Parameterization.ALLEN_ZHU ? InputMap.ALLEN_ZHU : InputMap.NONE;
    }

    private boolean axisContains(String path, Object... values) {
      Param p = params.get(path);
      return p != null && p.axis() && p.values().stream().anyMatch(x -> List.of(values).contains(x));
    }

    private Integer intValue(Map<String, Object> v, String path, Map<String, Double> symbols) {
      Param p = params.get(path);
      if (p.scale() == null) {
        return (Integer) v.get(path);
      }
      double factor = (Double) v.get(path);
      double x = factor * p.scale().eval(symbols);
      double r = Math.rint(x);
      if (!Double.isFinite(r) || r < p.key().min() || r > Integer.MAX_VALUE) {
        error(path, fmt(r), "round(" + fmt(factor) + " * (" + p.scale() + ")) with " + combination(p, symbols)
            + " gives " + fmt(r) + ": " + p.key().expected());
        return null;
      }
      return (int) r;
    }

    private Double doubleValue(Map<String, Object> v, String path, Map<String, Double> symbols) {
      Param p = params.get(path);
      if (p.scale() == null) {
        return (Double) v.get(path);
      }
      double factor = (Double) v.get(path);
      double x = factor * p.scale().eval(symbols);
      if (!Double.isFinite(x) || !(x > p.key().min())) {
        error(path, fmt(x), fmt(factor) + " * (" + p.scale() + ") with " + combination(p, symbols) + " gives "
            + fmt(x) + ": " + p.key().expected());
        return null;
      }
      return x;
    }

    private static String combination(Param p, Map<String, Double> symbols) {
      StringJoiner j = new StringJoiner(", ");
      for (String s : p.scale().symbols()) {
        j.add(s + "=" + fmt(symbols.get(s)));
      }
      return j.length() == 0 ? "no symbols" : j.toString();
    }

    /** Runs a core constructor, turning its IllegalArgumentException into a config error. */
    private <T> T build(java.util.function.Supplier<T> constructor) {
      try {
        return constructor.get();
      } catch (IllegalArgumentException e) {
        errors.add(fromCore(e.getMessage()));
        return null;
      }
    }
  }

  private static final Pattern CORE_VALUE = Pattern.compile("^([a-z_]+(?:\\.[a-z_]+)*) = (.*?): (.*)$",
      Pattern.DOTALL);
  private static final Pattern CORE_MISSING = Pattern.compile("^([a-z_]+(?:\\.[a-z_]+)*) is missing: (.*)$",
      Pattern.DOTALL);

  /** Maps a core message such as "model.width = 0: must be an integer >= 1" to a config error. */
  static ConfigError fromCore(String message) {
    String m = message == null ? "invalid run" : message;
    Matcher value = CORE_VALUE.matcher(m);
    if (value.matches()) {
      String v = value.group(2);
      if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
        v = v.substring(1, v.length() - 1);
      }
      return new ConfigError(value.group(1), v, value.group(3));
    }
    Matcher missing = CORE_MISSING.matcher(m);
    if (missing.matches()) {
      return new ConfigError(missing.group(1), null, "missing: " + missing.group(2));
    }
    return new ConfigError("(run)", null, m);
  }

  private static boolean isNull(Node node) {
    return node == null || (node instanceof Scalar s && s.kind() == Kind.NULL);
  }

  private static Long longValue(String text) {
    var v = YamlTree.parseInteger(text);
    return v == null || v.bitLength() >= 64 ? null : v.longValue();
  }

  /** A number as written in messages: integers without ".0", others in Java's shortest form. */
  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** Levenshtein distance, for "did you mean" suggestions. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
