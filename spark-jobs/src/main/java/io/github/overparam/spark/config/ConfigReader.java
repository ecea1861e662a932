package io.github.overparam.spark.config;

import io.github.overparam.core.Names;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.spark.config.YamlTree.Kind;
import io.github.overparam.spark.config.YamlTree.MapNode;
import io.github.overparam.spark.config.YamlTree.Node;
import io.github.overparam.spark.config.YamlTree.Scalar;
import io.github.overparam.spark.config.YamlTree.Seq;
import io.github.overparam.spark.sweep.SearchOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the document's structure against {@link ConfigSchema}: unknown keys, the sweep name, the
 * sections' leaves (through {@link ValueParser}), the target loss, seeds, execution and search
 * options, and the resolved config with its defaults.
 */
final class ConfigReader {
  private static final Pattern SWEEP_NAME = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final List<String> TOP = ConfigSchema.sections();
  /** The sections whose leaves may be grid axes; their defaults are written into the resolved config. */
  private static final List<String> GRID_SECTIONS = List.of("data", "model", "train", "record");

  private final ConfigErrors errors;
  private final ValueParser values;
  private final ParsedConfig parsed = new ParsedConfig();

  ConfigReader(ConfigErrors errors) {
    this.errors = errors;
    this.values = new ValueParser(errors);
  }

  /** Reads the whole document. */
  ParsedConfig read(MapNode root) {
    Node searchNode = root.entries().get("search");
    if (searchNode != null && !ConfigLoader.isNull(searchNode)) {
      parsed.search = search(searchNode);
      // The search chooses the widths: the grid carries one template per group, at min_width.
      if (root.entries().get("model") instanceof MapNode model && parsed.search != null) {
        if (model.entries().containsKey("width")) {
          errors.error("model.width", YamlTree.render(model.entries().get("width")), "not allowed with search: the"
              + " search chooses the widths between search.min_width and search.max_width");
        } else {
          model.entries().put("width", new Scalar(Kind.INT, Integer.toString(parsed.search.minWidth())));
        }
      }
    }
    Set<String> seen = new LinkedHashSet<>();
    for (Map.Entry<String, Node> e : root.entries().entrySet()) {
      String key = e.getKey();
      if (!TOP.contains(key)) {
        errors.unknown(key, key, e.getValue(), TOP);
        continue;
      }
      seen.add(key);
      topLevel(key, e.getValue());
    }
    for (String key : TOP) {
      if (!seen.contains(key)) {
        topLevel(key, null);
      }
    }
    dependentDefaults();
    if (parsed.targetPath == null) {
      errors.block();
    }
    return parsed;
  }

  /** Validates one top-level key (node null when absent) and puts its resolved form. */
  private void topLevel(String key, Node node) {
    Node n = ConfigLoader.isNull(node) ? null : node;
    Object value = switch (key) {
      case "sweep" -> sweepName(n);
      case "seeds" -> seeds(n);
      case "execution" -> execution(n);
      case "search" -> n == null ? null : YamlTree.plain(n);
      case Cases.KEY -> null; // split off before (Cases): a case's document has none
      default -> section(key, n);
    };
    if (value != null) {
      parsed.resolved.put(key, value);
    }
  }

  private Object sweepName(Node node) {
    if (node == null) {
      errors.fail("sweep", null, "missing: a sweep name is required ([a-z0-9_-], 1..64 characters; "
          + "it names the output sub-folder)");
      return null;
    }
    if (!(node instanceof Scalar s) || s.kind() == Kind.BOOL) {
      errors.fail("sweep", YamlTree.render(node), "must be a single name of 1..64 characters a-z, 0-9, _ and -");
      return null;
    }
    if (!SWEEP_NAME.matcher(s.text()).matches()) {
      errors.fail("sweep", "'" + s.text() + "'", "must be 1..64 characters a-z, 0-9, _ and - (it names the output "
          + "sub-folder, so no '/', '.' or '..')");
      return null;
    }
    parsed.sweep = s.text();
    return parsed.sweep;
  }

  private Map<String, Object> section(String name, Node node) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> known = ConfigSchema.names(name);
    if (node != null && !(node instanceof MapNode)) {
      errors.fail(name, YamlTree.render(node), "must be a map of keys (" + String.join(", ", known) + ")");
      return out;
    }
    MapNode map = node == null ? new MapNode() : (MapNode) node;
    Set<String> given = new LinkedHashSet<>();
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      String path = name + "." + e.getKey();
      Node value = e.getValue();
      if (!known.contains(e.getKey())) {
        errors.unknown(path, e.getKey(), value, known);
        continue;
      }
      if (ConfigLoader.isNull(value)) {
        continue;
      }
      given.add(e.getKey());
      parsed.given.add(path);
      out.put(e.getKey(), YamlTree.plain(value));
      if (path.equals("train.target_loss")) {
        targetLoss(path, value);
      } else {
        Param p = values.leaf(path, ConfigSchema.key(path), value);
        if (p != null) {
          parsed.params.put(path, p);
        }
      }
    }
    for (ConfigKey key : ConfigSchema.leaves(name)) {
      if (given.contains(key.name())) {
        continue;
      }
      if (key.isRequired() && !(key.requiredUnless() != null && isOneOf(map, key))) {
        errors.fail(key.path(), null, "missing: a value is required (" + key.expected() + ")");
      } else if (key.dflt() != null) {
        parsed.params.put(key.path(), Param.single(key.path(), key, key.dflt()));
        out.put(key.name(), key.yamlDefault());
      }
    }
    if (name.equals("train") && !given.contains("target_loss")) {
      ConfigKey relative = ConfigSchema.key("train.target_loss.relative");
      parsed.targetPath = relative.path();
      parsed.params.put(relative.path(), Param.single(relative.path(), relative, RunAssembly.DEFAULT_TARGET));
      out.put("target_loss", new LinkedHashMap<>(Map.of("relative", RunAssembly.DEFAULT_TARGET)));
    }
    return out;
  }

  /** Whether the sibling key that lifts {@code key}'s requirement is given as one of its values. */
  private static boolean isOneOf(MapNode section, ConfigKey key) {
    String sibling = key.requiredUnless().substring(key.requiredUnless().lastIndexOf('.') + 1);
    return section.entries().get(sibling) instanceof Scalar s && s.kind() == Kind.STRING
        && key.unlessValues().stream().anyMatch(v -> v.equalsIgnoreCase(s.text().trim()));
  }

  /**
   * Writes the defaults that depend on the parameterization into the resolved config when it is a
   * single value (they are computed by {@link RunAssembly} at every grid point either way).
   */
  @SuppressWarnings("unchecked")
  private void dependentDefaults() {
    Param par = parsed.params.get("model.parameterization");
    if (par == null || par.axis()) {
      return;
    }
    Parameterization p = (Parameterization) par.single();
    if (!parsed.params.containsKey("data.input_map") && parsed.resolved.get("data") instanceof Map<?, ?> data) {
      ((Map<String, Object>) data).put("input_map", Names.of(RunAssembly.inputMap(p)));
    }
    if (!parsed.params.containsKey("model.train_output") && parsed.resolved.get("model") instanceof Map<?, ?> model) {
      ((Map<String, Object>) model).put("train_output", RunAssembly.trainOutput(p));
    }
  }

  private void targetLoss(String path, Node node) {
    if (!(node instanceof MapNode map)) {
      errors.fail(path, YamlTree.render(node), "must be a map with exactly one of relative or absolute, e.g. "
          + "{relative: 1.0e-4}");
      return;
    }
    List<String> names = ConfigSchema.names(path);
    String chosen = null;
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      if (!names.contains(e.getKey())) {
        errors.unknown(path + "." + e.getKey(), e.getKey(), e.getValue(), names);
      } else if (chosen != null) {
        errors.fail(path, YamlTree.render(node), "give exactly one of relative (times the initial loss) or absolute,"
            + " not both");
        return;
      } else {
        chosen = e.getKey();
      }
    }
    if (chosen == null) {
      errors.fail(path, YamlTree.render(node), "give exactly one of relative (times the initial loss) or absolute");
      return;
    }
    parsed.targetRelative = chosen.equals("relative");
    String leaf = path + "." + chosen;
    Param target = values.leaf(leaf, ConfigSchema.key(leaf), map.entries().get(chosen));
    if (target != null) {
      parsed.targetPath = leaf;
      parsed.params.put(leaf, target);
    }
  }

  private Object seeds(Node node) {
    if (node == null) {
      return ConfigSchema.key("seeds").dflt();
    }
    String expected = ConfigSchema.key("seeds").expected();
    if (node instanceof Scalar s) {
      Long count = s.kind() == Kind.INT ? longValue(s.text()) : null;
      if (count == null || count < 1) {
        errors.fail("seeds", YamlTree.render(node), expected);
      } else if (count > ConfigLoader.MAX_RUNS) {
        errors.fail("seeds", s.text(), "more than " + ConfigLoader.MAX_RUNS + " seeds are not allowed");
      } else {
        List<Long> list = new ArrayList<>();
        for (long i = 0; i < count; i++) {
          list.add(i);
        }
        parsed.seeds = list;
        parsed.seedsAxis = count > 1;
      }
    } else if (node instanceof Seq q) {
      if (q.items().isEmpty()) {
        errors.fail("seeds", "[]", "an empty list: give at least one seed");
        return YamlTree.plain(node);
      }
      Set<Long> list = new LinkedHashSet<>();
      for (int i = 0; i < q.items().size(); i++) {
        Node item = q.items().get(i);
        Long seed = item instanceof Scalar s && s.kind() == Kind.INT ? longValue(s.text()) : null;
        if (seed == null || seed < 0) {
          errors.fail("seeds[" + i + "]", YamlTree.render(item), "a seed must be an integer >= 0");
        } else {
          list.add(seed);
        }
      }
      parsed.seeds = List.copyOf(list);
      parsed.seedsAxis = true;
    } else {
      errors.fail("seeds", YamlTree.render(node), expected);
    }
    return YamlTree.plain(node);
  }

  /** The {@code search:} block, or null (with errors recorded) when it is invalid. */
  private SearchOptions search(Node node) {
    List<String> names = ConfigSchema.names("search");
    if (!(node instanceof MapNode map)) {
      errors.error("search", YamlTree.render(node), "must be a map of keys (" + String.join(", ", names) + ")");
      return null;
    }
    Map<String, Double> given = new HashMap<>();
    boolean ok = true;
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      String path = "search." + e.getKey();
      if (!names.contains(e.getKey())) {
        errors.unknown(path, e.getKey(), e.getValue(), names);
        ok = false;
        continue;
      }
      boolean number = e.getValue() instanceof Scalar sc && (sc.kind() == Kind.INT || sc.kind() == Kind.FLOAT);
      if (!number) {
        errors.error(path, YamlTree.render(e.getValue()), "must be a single number (search options are not grid"
            + " axes)");
        ok = false;
        continue;
      }
      given.put(e.getKey(), YamlTree.parseDouble(((Scalar) e.getValue()).text()));
    }
    for (ConfigKey key : ConfigSchema.leaves("search")) {
      if (ok && key.isRequired() && !given.containsKey(key.name())) {
        errors.fail(key.path(), null, "missing: a value is required");
        ok = false;
      }
    }
    if (!ok) {
      errors.block();
      return null;
    }
    for (ConfigKey key : ConfigSchema.leaves("search")) {
      double v = given.containsKey(key.name()) ? given.get(key.name()) : ((Number) key.dflt()).doubleValue();
      Node written = map.entries().get(key.name());
      String shown = written == null ? ConfigLoader.fmt(v) : YamlTree.render(written);
      boolean bad = key.type() == ConfigKey.Type.INT ? v != Math.rint(v) || v < key.min() || v > Integer.MAX_VALUE
          : !(v > key.min()) || !Double.isFinite(v) || v > key.max();
      if (bad) {
        errors.fail(key.path(), shown, key.expected());
        return null;
      }
      if (key.name().equals("max_width") && v <= given.get("min_width")) {
        errors.fail(key.path(), shown, "must be larger than search.min_width = " + ConfigLoader.fmt(
            given.get("min_width")));
        return null;
      }
    }
    return new SearchOptions(given.get("min_width").intValue(), given.get("max_width").intValue(),
        given.get("resolution"), given.getOrDefault("threshold", (Double) ConfigSchema.key("search.threshold").dflt()));
  }

  private Object execution(Node node) {
    if (node == null) {
      return null;
    }
    List<String> names = ConfigSchema.names("execution");
    if (!(node instanceof MapNode map)) {
      errors.error("execution", YamlTree.render(node), "must be a map of keys (" + String.join(", ", names) + ")");
      return null;
    }
    Map<String, Integer> options = new HashMap<>();
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      String path = "execution." + e.getKey();
      if (!names.contains(e.getKey())) {
        errors.unknown(path, e.getKey(), e.getValue(), names);
        continue;
      }
      if (ConfigLoader.isNull(e.getValue())) {
        continue;
      }
      Long v = e.getValue() instanceof Scalar s && s.kind() == Kind.INT ? longValue(s.text()) : null;
      if (v == null || v < ConfigSchema.key(path).min() || v > Integer.MAX_VALUE) {
        errors.error(path, YamlTree.render(e.getValue()), "must be a single integer >= 1 (execution options are not "
            + "grid axes), or unset for automatic");
      } else {
        options.put(e.getKey(), v.intValue());
      }
    }
    parsed.execution = new ExecutionOptions(options.get("wave_size"), options.get("partitions"));
    return YamlTree.plain(node);
  }

  private static Long longValue(String text) {
    var v = YamlTree.parseInteger(text);
    return v == null || v.bitLength() >= 64 ? null : v.longValue();
  }
}
