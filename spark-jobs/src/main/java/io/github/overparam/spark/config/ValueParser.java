package io.github.overparam.spark.config;

import static io.github.overparam.spark.config.ConfigLoader.fmt;

import io.github.overparam.spark.config.ConfigKey.Type;
import io.github.overparam.spark.config.YamlTree.Kind;
import io.github.overparam.spark.config.YamlTree.MapNode;
import io.github.overparam.spark.config.YamlTree.Node;
import io.github.overparam.spark.config.YamlTree.Scalar;
import io.github.overparam.spark.config.YamlTree.Seq;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one leaf's value against its {@link ConfigKey}: a single value, a list (a grid axis), a
 * range {@code {from, to, factor | step}} or a relative value {@code {scale, factors}}. Problems go
 * to {@link ConfigErrors}; a leaf that cannot be read is null and blocks the grid.
 */
final class ValueParser {
  private static final List<String> RANGE_NAMES = List.of("from", "to", "factor", "step");
  private static final List<String> RELATIVE_NAMES = List.of("scale", "factors");

  private final ConfigErrors errors;

  ValueParser(ConfigErrors errors) {
    this.errors = errors;
  }

  /** One value read from a scalar, a list item or a range, with where it came from. */
  private record Num(double value, String path, String text) {}

  /** Validates one leaf: a single value, a list (an axis), a range or a relative value. */
  Param leaf(String path, ConfigKey key, Node node) {
    if (key.type() == Type.TEXT || key.type() == Type.TEXT_LIST) {
      return textLeaf(path, key, node);
    }
    boolean numeric = key.type() == Type.INT || key.type() == Type.NUMBER;
    if (node instanceof MapNode map) {
      if (!numeric) {
        errors.fail(path, YamlTree.render(node), "must be a single value or a list of values, not a map ("
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
      errors.block();
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
      errors.block();
      return null;
    }
    return new Param(path, key, values, !(node instanceof Scalar), null);
  }

  /** A text key (a path, a column) or a list of column names; never a grid axis. */
  private Param textLeaf(String path, ConfigKey key, Node node) {
    List<Node> items = key.type() == Type.TEXT_LIST && node instanceof Seq q ? q.items() : List.of(node);
    if (key.type() == Type.TEXT_LIST && items.isEmpty()) {
      errors.fail(path, "[]", "an empty list: leave " + path + " out for every numeric column but the label");
      return null;
    }
    List<String> texts = new ArrayList<>();
    for (Node item : items) {
      if (!(item instanceof Scalar s) || s.kind() == Kind.NULL || s.text().isBlank()) {
        errors.fail(path, YamlTree.render(node), key.type() == Type.TEXT
            ? "must be a single text value (" + path + " is not a grid axis)"
            : "must be a column name or a list of column names");
        return null;
      }
      texts.add(s.text());
    }
    Object value = key.type() == Type.TEXT ? texts.get(0) : List.copyOf(texts);
    return Param.single(path, key, value);
  }

  /** A boolean or enum leaf: a single value or a list. */
  private Param plainLeaf(String path, ConfigKey key, Node node) {
    List<Node> items;
    List<String> paths = new ArrayList<>();
    if (node instanceof Seq q) {
      if (q.items().isEmpty()) {
        errors.fail(path, "[]", "an empty list: a grid axis needs at least one value");
        return null;
      }
      items = q.items();
      for (int i = 0; i < items.size(); i++) {
        paths.add(path + "[" + i + "]");
      }
    } else {
      items = List.of(node);
      paths.add(path);
    }
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object v = plainValue(paths.get(i), key, items.get(i));
      if (v == null) {
        errors.block();
        return null;
      }
      values.add(v);
    }
    return new Param(path, key, values, node instanceof Seq, null);
  }

  private Object plainValue(String path, ConfigKey key, Node node) {
    if (!(node instanceof Scalar s)) {
      errors.error(path, YamlTree.render(node), "must be a single value (" + key.expected() + ")");
      return null;
    }
    if (key.type() == Type.BOOL) {
      if (s.kind() != Kind.BOOL) {
        errors.error(path, YamlTree.render(s), key.expected());
        return null;
      }
      return Boolean.parseBoolean(s.text());
    }
    Enum<?> constant = s.kind() == Kind.STRING ? key.constant(s.text()) : null;
    if (constant == null) {
      errors.error(path, YamlTree.render(s), key.expected());
    }
    return constant;
  }

  /** Checks a number against its key's type and bounds; returns Integer or Double, or null. */
  private Object checkNumber(ConfigKey key, Num num) {
    if (key.type() == Type.INT) {
      double v = num.value();
      if (!Double.isFinite(v) || v != Math.rint(v) || v < key.min() || v > Integer.MAX_VALUE) {
        errors.error(num.path(), num.text(), key.expected() + (v > Integer.MAX_VALUE && Double.isFinite(v)
            ? " and at most " + Integer.MAX_VALUE : ""));
        return null;
      }
      return (int) v;
    }
    if (!Double.isFinite(num.value()) || !(num.value() > key.min())) {
      errors.error(num.path(), num.text(), key.expected());
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
        errors.error(path, "[]", "an empty list: a grid axis needs at least one value");
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
            errors.error(itemPath, YamlTree.render(item), "a list item must be a single number (" + expected + ")");
          }
          ok = false;
        } else {
          list.add(n);
        }
      }
      return ok ? list : null;
    }
    return range(path, (MapNode) node, integer);
  }

  private Num number(String path, Scalar s, String expected) {
    if (s.kind() == Kind.INT) {
      var v = YamlTree.parseInteger(s.text());
      if (v == null) {
        errors.error(path, s.text(), expected);
        return null;
      }
      return new Num(v.doubleValue(), path, s.text());
    }
    if (s.kind() == Kind.FLOAT) {
      return new Num(YamlTree.parseDouble(s.text()), path, s.text());
    }
    errors.error(path, YamlTree.render(s), expected + (s.kind() == Kind.STRING ? ", not a string" : ""));
    return null;
  }

  private List<Num> range(String path, MapNode map, boolean integer) {
    boolean ok = true;
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      if (!RANGE_NAMES.contains(e.getKey())) {
        errors.unknown(path + "." + e.getKey(), e.getKey(), e.getValue(), RANGE_NAMES);
        ok = false;
      }
    }
    Double from = rangeNumber(path, map, "from");
    Double to = rangeNumber(path, map, "to");
    boolean geometric = map.entries().containsKey("factor");
    boolean arithmetic = map.entries().containsKey("step");
    if (geometric == arithmetic) {
      errors.error(path, YamlTree.render(map), "a range is {from, to, factor} (geometric) or {from, to, step} "
          + "(arithmetic): give exactly one of factor or step" + (ok ? "" : "; or a relative value {scale, factors}"));
      return null;
    }
    Double by = rangeNumber(path, map, geometric ? "factor" : "step");
    if (!ok || from == null || to == null || by == null) {
      return null;
    }
    if (geometric && !(from > 0)) {
      errors.error(path + ".from", fmt(from), "a geometric range must start above 0");
      return null;
    }
    if (geometric && !(by > 1)) {
      errors.error(path + ".factor", fmt(by), "must be a number > 1");
      return null;
    }
    if (arithmetic && !(by > 0)) {
      errors.error(path + ".step", fmt(by), "must be a number > 0");
      return null;
    }
    if (to < from) {
      errors.error(path + ".to", fmt(to), "must be >= from (" + fmt(from) + ")");
      return null;
    }
    double count = geometric ? Math.floor(Math.log(to / from) / Math.log(by) + 1e-9) + 1
        : Math.floor((to - from) / by + 1e-9) + 1;
    if (count > ConfigLoader.MAX_RUNS) {
      errors.error(path, YamlTree.render(map), "the range has " + (long) count + " values: at most "
          + ConfigLoader.MAX_RUNS);
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
    if (node == null || ConfigLoader.isNull(node)) {
      errors.error(p, null, "missing: a range needs from, to and one of factor or step");
      return null;
    }
    if (!(node instanceof Scalar s)) {
      errors.error(p, YamlTree.render(node), "must be a single number");
      return null;
    }
    Num n = number(p, s, "must be a finite number");
    if (n == null) {
      return null;
    }
    if (!Double.isFinite(n.value())) {
      errors.error(p, s.text(), "must be a finite number");
      return null;
    }
    return n.value();
  }

  /** A relative value {@code {scale, factors}}: the expression and its factors (an axis if a list). */
  private Param relative(String path, ConfigKey key, MapNode map) {
    if (!key.relative()) {
      errors.fail(path, YamlTree.render(map), "a relative value {scale, factors} is allowed only for "
          + ConfigSchema.relativeKeys());
      return null;
    }
    boolean ok = true;
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      if (!RELATIVE_NAMES.contains(e.getKey())) {
        errors.unknown(path + "." + e.getKey(), e.getKey(), e.getValue(), RELATIVE_NAMES);
        ok = false;
      }
    }
    Node scaleNode = map.entries().get("scale");
    ScaleExpression scale = null;
    if (!(scaleNode instanceof Scalar s) || s.kind() == Kind.NULL || s.kind() == Kind.BOOL) {
      errors.error(path + ".scale", YamlTree.render(scaleNode), "must be an expression like \"n^2 * depth\"");
      ok = false;
    } else {
      try {
        scale = ScaleExpression.parse(s.text(), Set.copyOf(key.symbols()));
      } catch (ScaleExpression.SyntaxException e) {
        errors.error(path + ".scale", "'" + s.text() + "'", e.getMessage());
        ok = false;
      }
    }
    Node factorsNode = map.entries().get("factors");
    List<Num> factors = factorsNode == null || ConfigLoader.isNull(factorsNode)
        ? List.of(new Num(1.0, path + ".factors", "1"))
        : numbers(path + ".factors", factorsNode, "must be a finite number > 0", false);
    List<Object> values = new ArrayList<>();
    if (factors == null) {
      ok = false;
    } else {
      for (Num f : factors) {
        if (!Double.isFinite(f.value()) || !(f.value() > 0)) {
          errors.error(f.path(), f.text(), "a factor must be a finite number > 0");
          ok = false;
        } else {
          values.add(f.value());
        }
      }
    }
    if (!ok) {
      errors.block();
      return null;
    }
    boolean axis = factorsNode != null && !(factorsNode instanceof Scalar);
    return new Param(path, key, values, axis, scale);
  }
}
