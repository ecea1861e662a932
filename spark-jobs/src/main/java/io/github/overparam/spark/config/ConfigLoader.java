package io.github.overparam.spark.config;

import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.random.Seeds;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.config.YamlTree.Kind;
import io.github.overparam.spark.config.YamlTree.MapNode;
import io.github.overparam.spark.config.YamlTree.Node;
import io.github.overparam.spark.config.YamlTree.ReadException;
import io.github.overparam.spark.config.YamlTree.Scalar;
import io.github.overparam.spark.data.TableReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads a YAML sweep config, applies {@code --set} overrides, validates every key and expands the
 * grid into core {@link RunSpec}s. Every problem is collected and reported at once in a
 * {@link ConfigException}; nothing is run before the whole config is valid.
 *
 * <p>The steps, each in its own class: the YAML tree ({@link YamlTree}) and its {@link Overrides};
 * the document's structure against the keys of {@link ConfigSchema} ({@link ConfigReader}), each
 * leaf's value, list, range or relative value ({@link ValueParser}); the user table
 * ({@link UserTableStep}); the grid ({@link Grid}); and each grid point's {@link RunSpec}
 * ({@link RunAssembly}, the one home of the defaults that depend on other keys).
 *
 * <h2>Grids</h2>
 *
 * <p>Any single value under data, model, train and record (and the values of target_loss) may be a
 * list instead: that key becomes a grid axis, and the runs are the Cartesian product of all axes, in
 * document order with the last axis varying fastest and the seeds innermost. Numeric keys also take
 * ranges: {@code {from: 16, to: 4096, factor: 2}} (geometric, includes {@code to} when it is hit)
 * and {@code {from: 0.1, to: 0.5, step: 0.1}} (arithmetic); integer keys round the values and drop
 * repeats. The keys of {@link ConfigSchema#relativeKeys()} may be relative:
 * {@code {scale: "n^2 * depth", factors: [0.01, 0.1, 1]}} means factor times the expression at each
 * grid point (rounded for integers); the expression uses numbers, the key's symbols (n, d, depth,
 * n_test, and width in train.lr and model.last_width), {@code * / ^} (numeric exponent) and
 * parentheses. Grid points that give an identical run are kept once (decided from the run's index
 * alone: {@link SweepGrid}).
 */
public final class ConfigLoader {
  /** The most values one axis (or the seeds) may have. */
  public static final int MAX_RUNS = 1_000_000;

  /**
   * The largest grid accepted, in points (seeds included, before repeats are merged): 2^62, so
   * that every index is a long. What a grid produces is checked by the plan (rows and bytes per
   * table), not by a cap on its size.
   */
  static final long MAX_POINTS = 1L << 62;

  /**
   * The most grid points (seeds not counted) of a config with cases: the loader holds the run id of
   * each point's first run to check that no two cases give the same run.
   */
  static final long MAX_CASE_POINTS = 1_000_000;

  /** A critical-width search keeps its templates (one per group and seed) on the driver: at most this many. */
  static final long MAX_SEARCH_TEMPLATES = 1_000_000;

  /** Errors reported at most (distinct); more are summarized in one line. */
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
   * read by {@code tables} once the rest of the data section is valid. The grid is kept as data
   * ({@link SweepGrid}): every grid point is checked (one run assembly per point and seed-free
   * combination, in constant memory), the runs themselves are decoded where they run.
   */
  public static SweepConfig load(String yamlText, List<String> overrides, TableReader tables)
      throws ConfigException {
    ConfigErrors errors = new ConfigErrors();
    List<ParsedConfig> cases = parse(yamlText, overrides, tables, errors);
    ParsedConfig parsed = cases.get(0);
    SweepGrid sweepGrid = new SweepGrid(cases);
    String tableHash = tableHash(cases, errors);
    long[] kept = {0};
    List<RunSpec> templates = new ArrayList<>();
    Map<RunSpec, Long> templateIndex = parsed.search == null ? null : new HashMap<>();
    if (!errors.blocked()) {
      ConfigError tooLarge = sweepGrid.tooLarge(MAX_POINTS);
      if (tooLarge != null) {
        errors.add(tooLarge);
      } else if (parsed.search != null && sweepGrid.sizeEstimate() > MAX_SEARCH_TEMPLATES) {
        errors.add(sweepGrid.tooLarge(MAX_SEARCH_TEMPLATES));
      } else if (sweepGrid.cases() > 1 && sweepGrid.sizeEstimate() / sweepGrid.seeds() > MAX_CASE_POINTS) {
        errors.error(Cases.KEY, String.format(Locale.ROOT, "%,d grid points", sweepGrid.points()), "a config with cases"
            + " may have at most " + String.format(Locale.ROOT, "%,d", MAX_CASE_POINTS) + " grid points besides the"
            + " seeds (the loader checks that no two cases give the same run): split the sweep");
      } else {
        Map<String, Integer> caseOfRun = sweepGrid.cases() > 1 ? new HashMap<>() : null;
        List<ConfigErrors> perCase = new ArrayList<>();
        cases.forEach(c -> perCase.add(new ConfigErrors()));
        sweepGrid.forEachPoint(perCase::get, (point, first) -> {
          kept[0]++;
          if (caseOfRun != null) {
            int c = sweepGrid.caseOf(point * sweepGrid.seeds());
            Integer earlier = caseOfRun.putIfAbsent(first.runId(), c);
            if (earlier != null && earlier != c) {
              errors.error(Cases.KEY + "[" + c + "]", null, "gives the same run as cases[" + earlier + "] ("
                  + first.canonical() + "): cases must not overlap; remove the repeated values from one of them");
            }
          }
        });
        Cases.report(cases, perCase, errors);
        if (kept[0] == 0 && errors.isEmpty()) {
          errors.error("(grid)", "0 runs", "the grid is empty");
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors.capped());
    }
    List<String> axes = new ArrayList<>();
    if (cases.size() > 1) {
      // The case, then the keys the cases set: what the runs of different cases differ in.
      axes.add("case");
      cases.forEach(c -> c.caseKeys.stream().filter(a -> !axes.contains(a)).forEach(axes::add));
    }
    for (ParsedConfig c : cases) {
      c.axes().stream().map(Param::path).filter(a -> !axes.contains(a)).forEach(axes::add);
    }
    if (parsed.seedsAxis) {
      axes.add("seed");
    }
    Map<String, Object> resolved = resolved(cases);
    String yaml = "# sweep config as run: overrides applied, defaults filled in\n" + YamlTree.write(resolved);
    Map<String, Object> described = new LinkedHashMap<>(resolved);
    described.remove("execution");
    // The config names a user table by its path; its content is part of the grid (run ids carry its hash).
    String fingerprint = tableHash == null ? Seeds.hexId(32, "grid", YamlTree.write(described))
        : Seeds.hexId(32, "grid", YamlTree.write(described), tableHash);
    UserTables read = new UserTables();
    cases.stream().filter(c -> c.table != null).findFirst().ifPresent(c -> read.register(c.table));
    long runs = kept[0] * sweepGrid.seeds();
    if (parsed.search == null) {
      RunGrid runGrid = new ConfigGrid(yaml, sweepGrid.size(), sweepGrid.seeds(), tableHash);
      return new SweepConfig(parsed.sweep, runGrid, runs, fingerprint, parsed.execution, yaml, axes, null, null, read);
    }
    for (long k = 0; k < sweepGrid.size(); k++) {
      RunSpec t = sweepGrid.run(k);
      if (t != null) {
        templates.add(t);
        templateIndex.put(t, k);
      }
    }
    axes.add(0, "search");
    return new SweepConfig(parsed.sweep, new ListGrid(templates), runs, fingerprint, parsed.execution, yaml, axes,
        parsed.search, atWidth(sweepGrid, templateIndex), read);
  }

  /** The sha256 of the user table the cases read, or null; an error when cases read different tables. */
  private static String tableHash(List<ParsedConfig> cases, ConfigErrors errors) {
    String hash = null;
    for (int c = 0; c < cases.size(); c++) {
      String h = cases.get(c).table == null ? null : cases.get(c).table.hash();
      if (hash != null && h != null && !h.equals(hash)) {
        errors.fail(Cases.KEY + "[" + c + "].data.path", "sha256 " + h, "every case must read the same user table (or"
            + " none), here sha256 " + hash + ": give data.path outside the cases");
      }
      hash = hash == null ? h : hash;
    }
    return hash;
  }

  /**
   * The config as run: without cases, the one case's resolved config; with them, the shared keys
   * and each case's sections in full, so that reading it again gives every case unchanged.
   */
  private static Map<String, Object> resolved(List<ParsedConfig> cases) {
    if (cases.size() == 1 && !cases.get(0).fromCase) {
      return cases.get(0).resolved;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    cases.get(0).resolved.forEach((k, v) -> {
      if (!Cases.SECTIONS.contains(k)) {
        out.put(k, v);
      }
    });
    List<Object> list = new ArrayList<>();
    for (ParsedConfig c : cases) {
      Map<String, Object> sections = new LinkedHashMap<>();
      c.resolved.forEach((k, v) -> {
        if (Cases.SECTIONS.contains(k)) {
          sections.put(k, v);
        }
      });
      list.add(sections);
    }
    out.put(Cases.KEY, list);
    return out;
  }

  /**
   * The grid of an already validated config (the resolved config of a loaded sweep), without the
   * walk over its points: what an executor rebuilds to decode runs from their indices.
   */
  static SweepGrid grid(String yamlText, TableReader tables) throws ConfigException {
    ConfigErrors errors = new ConfigErrors();
    List<ParsedConfig> cases = parse(yamlText, List.of(), tables, errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors.capped());
    }
    return new SweepGrid(cases);
  }

  /**
   * The document read, overridden and checked key by key, with its user table: one parsed config
   * per case ({@link Cases}; one without {@code cases:}); errors go to {@code errors}.
   */
  private static List<ParsedConfig> parse(String yamlText, List<String> overrides, TableReader tables,
      ConfigErrors errors) throws ConfigException {
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
      errors.error("(yaml)", YamlTree.render(root), "the config must be a map of keys ("
          + String.join(", ", ConfigSchema.sections()) + ")");
      root = null;
    }
    for (String override : overrides) {
      Overrides.apply((MapNode) root, override, errors);
    }
    if (root == null) {
      throw new ConfigException(errors.capped());
    }
    Cases cases = Cases.split((MapNode) root, errors);
    if (cases == null) {
      throw new ConfigException(errors.capped());
    }
    List<ParsedConfig> out = new ArrayList<>();
    List<ConfigErrors> perCase = new ArrayList<>();
    for (int c = 0; c < cases.documents().size(); c++) {
      ConfigErrors caseErrors = new ConfigErrors();
      ParsedConfig parsed = new ConfigReader(caseErrors).read(cases.documents().get(c));
      new UserTableStep(caseErrors, tables).apply(parsed);
      if (parsed.search != null && parsed.resolved.get("model") instanceof Map<?, ?> model) {
        model.remove("width");
      }
      parsed.fromCase = cases.present();
      parsed.caseKeys = cases.keys(c);
      out.add(parsed);
      perCase.add(caseErrors);
    }
    Cases.report(out, perCase, errors);
    return out;
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

  /**
   * A search template at another width, rebuilt from its grid index with every relative value
   * re-evaluated there (so an lr given relative to the width follows the probe). Driver side only.
   */
  private static BiFunction<RunSpec, Integer, RunSpec> atWidth(SweepGrid grid, Map<RunSpec, Long> templates) {
    Map<RunSpec, Long> index = Map.copyOf(templates);
    return (template, width) -> {
      Long k = index.get(template);
      if (k == null) {
        throw new IllegalArgumentException("not a template of this sweep: " + template.canonical());
      }
      Map<String, Object> point = grid.values(k);
      point.put("model.width", width);
      ConfigErrors errors = new ConfigErrors();
      RunSpec run = grid.assemble(point, grid.seed(k), errors);
      if (run == null) {
        String why = errors.isEmpty() ? "invalid run" : errors.capped().get(0).toString();
        throw new IllegalArgumentException("search probe at model.width = " + width + ": " + why);
      }
      return run;
    };
  }

  static boolean isNull(Node node) {
    return node == null || (node instanceof Scalar s && s.kind() == Kind.NULL);
  }

  /** A number as written in messages: integers without ".0", others in Java's shortest form. */
  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
