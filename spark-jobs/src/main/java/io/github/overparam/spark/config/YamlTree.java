package io.github.overparam.spark.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * YAML text to a small tree of {@link Node}s and back (as YAML in a fixed, readable layout), with hard limits so that hostile input fails
 * with a {@link ConfigError} instead of exhausting memory: at most {@value #MAX_CHARS} characters,
 * {@value #MAX_DEPTH} levels of nesting, {@value #MAX_ALIASES} aliases and {@value #MAX_NODES} nodes
 * counting every alias as the size of what it stands for (a "billion laughs" file hits these).
 *
 * <p>Anchors ({@code &name}) may be put on maps and lists and referred to by aliases ({@code *name});
 * Jackson does not report anchors on single values, so an alias to one is an error.
 */
final class YamlTree {
  static final int MAX_CHARS = 1_000_000;
  static final int MAX_DEPTH = 20;
  static final int MAX_ALIASES = 50;
  static final int MAX_NODES = 100_000;

  private YamlTree() {}

  /** A node of a parsed document. */
  sealed interface Node permits Scalar, Seq, MapNode {}

  /** The type YAML gave a scalar (plain scalars that look like numbers or booleans are not strings). */
  enum Kind {
    STRING, INT, FLOAT, BOOL, NULL
  }

  /** A scalar with its source text ({@code true}/{@code false} for booleans). */
  record Scalar(Kind kind, String text) implements Node {
    static final Scalar NULL = new Scalar(Kind.NULL, "null");
  }

  /** A sequence. */
  record Seq(List<Node> items) implements Node {}

  /** A mapping, in document order (mutable, so that overrides can be applied). */
  record MapNode(LinkedHashMap<String, Node> entries) implements Node {
    MapNode() {
      this(new LinkedHashMap<>());
    }
  }

  /** A failure to read a document, already phrased as a config error. */
  static final class ReadException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ConfigError error;

    ReadException(ConfigError error) {
      super(error.toString());
      this.error = error;
    }

    ConfigError error() {
      return error;
    }
  }

  private static final YAMLFactory FACTORY = factory();

  private static YAMLFactory factory() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_DEPTH + 1);
    options.setCodePointLimit(MAX_CHARS + 1);
    options.setAllowDuplicateKeys(false);
    YAMLFactory f = YAMLFactory.builder().loaderOptions(options).streamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 10).build()).build();
    f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return f;
  }

  /**
   * Parses one YAML document; an empty document is a null scalar.
   *
   * @param where the error path for syntax errors: {@code (yaml)} or {@code (--set)}
   * @param prefix the key path of the document's root ("" for a whole config), for duplicate keys
   */
  static Node read(String text, String where, String prefix) throws ReadException {
    if (text.length() > MAX_CHARS) {
      throw new ReadException(new ConfigError(where, null, "input has " + text.length()
          + " characters: at most " + MAX_CHARS + " are allowed"));
    }
    Reader reader = new Reader(where);
    try (YAMLParser p = (YAMLParser) FACTORY.createParser(text)) {
      reader.parser = p;
      JsonToken t = p.nextToken();
      if (t == null) {
        return Scalar.NULL;
      }
      Node root = reader.value(t, prefix, 0);
      if (p.nextToken() != null) {
        throw new ReadException(new ConfigError(where, null, "more than one YAML document: use one"));
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new ReadException(reader.describe(e));
    } catch (IOException | RuntimeException e) {
      // SnakeYAML reports some limits as runtime exceptions (YAMLException and subclasses).
      throw new ReadException(new ConfigError(where, null, "cannot read the YAML: " + oneLine(e.getMessage())));
    }
  }

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

  /** Builds the tree from Jackson's token stream, resolving anchors and aliases under the limits. */
  private static final class Reader {
    private final String where;
    private final Map<String, Node> anchors = new HashMap<>();
    private final Map<String, Integer> anchorSizes = new HashMap<>();
    private YAMLParser parser;
    private int nodes;
    private int aliases;
    private String currentMap = "";

    Reader(String where) {
      this.where = where;
    }

    Node value(JsonToken t, String path, int depth) throws IOException, ReadException {
      if (depth > MAX_DEPTH) {
        throw fail("nesting deeper than " + MAX_DEPTH + " levels at " + location());
      }
      if (t == JsonToken.VALUE_STRING && parser.isCurrentAlias()) {
        String name = parser.getText();
        if (++aliases > MAX_ALIASES) {
          throw fail("more than " + MAX_ALIASES + " aliases (*name) at " + location() + ": not allowed");
        }
        Node target = anchors.get(name);
        if (target == null) {
          throw fail("alias *" + name + " at " + location() + " has no anchor &" + name
              + " on a map or list before it (anchors on single values are not supported)");
        }
        count(anchorSizes.get(name));
        return target;
      }
      String tag = parser.getTypeId();
      if (tag != null) {
        // Jackson never constructs objects from tags, but a config has no use for them: refuse
        // rather than silently read "!!java.net.URL http://..." as a plain string.
        throw fail("YAML tag !" + tag.replaceFirst("^tag:yaml.org,2002:", "!") + " at " + location()
            + ": tags are not allowed (a config holds plain values; nothing in it names a type or class)");
      }
      String anchor = parser.getCurrentAnchor();
      int before = nodes;
      count(1);
      Node node;
      switch (t) {
        case START_OBJECT -> {
          MapNode map = new MapNode();
          JsonToken k;
          while ((k = nextToken(path)) != JsonToken.END_OBJECT) {
            String key = parser.currentName();
            String child = path.isEmpty() ? key : path + "." + key;
            map.entries().put(key, value(nextToken(child), child, depth + 1));
          }
          node = map;
        }
        case START_ARRAY -> {
          List<Node> items = new ArrayList<>();
          JsonToken i;
          while ((i = nextToken(path)) != JsonToken.END_ARRAY) {
            items.add(value(i, path + "[" + items.size() + "]", depth + 1));
          }
          node = new Seq(items);
        }
        case VALUE_STRING -> node = new Scalar(Kind.STRING, parser.getText());
        case VALUE_NUMBER_INT -> node = new Scalar(Kind.INT, parser.getText());
        case VALUE_NUMBER_FLOAT -> node = new Scalar(Kind.FLOAT, parser.getText());
        case VALUE_TRUE -> node = new Scalar(Kind.BOOL, "true");
        case VALUE_FALSE -> node = new Scalar(Kind.BOOL, "false");
        case VALUE_NULL -> node = Scalar.NULL;
        default -> throw fail("unexpected " + t + " at " + location());
      }
      if (anchor != null) {
        anchors.put(anchor, node);
        anchorSizes.put(anchor, nodes - before);
      }
      return node;
    }

    private JsonToken nextToken(String path) throws IOException {
      currentMap = path;
      return parser.nextToken();
    }

    private void count(int n) throws ReadException {
      nodes += n;
      if (nodes > MAX_NODES) {
        throw fail("more than " + MAX_NODES + " values (counting what aliases stand for) at " + location()
            + ": not allowed");
      }
    }

    private String location() {
      var loc = parser.currentTokenLocation();
      return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private ReadException fail(String message) {
      return new ReadException(new ConfigError(where, null, message));
    }

    ConfigError describe(JsonProcessingException e) {
      var loc = e.getLocation();
      String at = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
      String original = e.getOriginalMessage();
      Matcher dup = DUPLICATE.matcher(original == null ? "" : original);
      if (dup.find()) {
        String key = currentMap.isEmpty() ? dup.group(1) : currentMap + "." + dup.group(1);
        return new ConfigError(key, null, "duplicate key at " + at.replaceAll(": $", "")
            + ": each key may appear once");
      }
      return new ConfigError(where, null, "syntax error at " + at + oneLine(original));
    }
  }

  /** A multi-line SnakeYAML message as one line: its sentences, without source excerpts and carets. */
  static String oneLine(String message) {
    if (message == null) {
      return "unknown problem";
    }
    List<String> parts = new ArrayList<>();
    for (String line : message.split("\\R")) {
      if (line.isBlank() || line.startsWith(" ") || line.startsWith("\t")) {
        continue;
      }
      parts.add(line.trim());
    }
    return parts.isEmpty() ? message.trim() : String.join("; ", parts);
  }

  /** A short flow-style rendering of a node for error messages (at most about 60 characters). */
  static String render(Node node) {
    String s = renderFull(node);
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  private static String renderFull(Node node) {
    if (node instanceof Scalar s) {
      return s.kind() == Kind.STRING && (s.text().isEmpty() || s.text().contains(" ")) ? "'" + s.text() + "'"
          : s.text();
    }
    if (node instanceof Seq q) {
      List<String> items = new ArrayList<>();
      for (Node n : q.items()) {
        items.add(renderFull(n));
      }
      return "[" + String.join(", ", items) + "]";
    }
    List<String> items = new ArrayList<>();
    for (Map.Entry<String, Node> e : ((MapNode) node).entries().entrySet()) {
      items.add(e.getKey() + ": " + renderFull(e.getValue()));
    }
    return "{" + String.join(", ", items) + "}";
  }

  /** The node as plain Java values for writing: maps, lists, Long, Double, Boolean, String, null. */
  static Object plain(Node node) {
    if (node instanceof Scalar s) {
      return switch (s.kind()) {
        case STRING -> s.text();
        case BOOL -> Boolean.parseBoolean(s.text());
        case NULL -> null;
        case INT -> {
          BigInteger v = parseInteger(s.text());
          yield v != null && v.bitLength() < 64 ? (Object) v.longValue() : s.text();
        }
        case FLOAT -> parseDouble(s.text());
      };
    }
    if (node instanceof Seq q) {
      List<Object> items = new ArrayList<>();
      for (Node n : q.items()) {
        items.add(plain(n));
      }
      return items;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : ((MapNode) node).entries().entrySet()) {
      map.put(e.getKey(), plain(e.getValue()));
    }
    return map;
  }

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  private static final Set<String> RESERVED = Set.of("y", "n", "yes", "no", "true", "false",
      "on", "off", "null");

  /**
   * Writes a config given as plain Java values (see {@link #plain}): top-level keys one per line,
   * sections as indented blocks of keys, and every value inside a section (lists, ranges, relative
   * values) in flow style, e.g. {@code n: [50, 100]} or {@code width: {from: 16, to: 64, factor: 2}}.
   */
  static String write(Map<String, Object> root) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : root.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> section && !section.isEmpty()) {
        sb.append(key(e.getKey())).append(":\n");
        block(section, "  ", sb);
      } else if (e.getValue() instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(
          i -> i instanceof Map<?, ?> m && !m.isEmpty() && m.values().stream().allMatch(v -> v instanceof Map<?, ?>))) {
        // A list of maps of sections (cases): each item a block of sections.
        sb.append(key(e.getKey())).append(":\n");
        for (Object item : list) {
          String first = "  - ";
          for (Map.Entry<?, ?> section : ((Map<?, ?>) item).entrySet()) {
            sb.append(first).append(key((String) section.getKey())).append(":\n");
            block((Map<?, ?>) section.getValue(), "      ", sb);
            first = "    ";
          }
        }
      } else {
        sb.append(key(e.getKey())).append(": ").append(flow(e.getValue())).append('\n');
      }
    }
    return sb.toString();
  }

  /** A section's keys, one per line at {@code indent}, each value in flow style. */
  private static void block(Map<?, ?> section, String indent, StringBuilder sb) {
    for (Map.Entry<?, ?> child : section.entrySet()) {
      sb.append(indent).append(key((String) child.getKey())).append(": ").append(flow(child.getValue())).append('\n');
    }
  }

  private static String key(String k) {
    return PLAIN.matcher(k).matches() && !RESERVED.contains(k.toLowerCase(Locale.ROOT)) || k.equals("n") ? k
        : quote(k);
  }

  private static String flow(Object v) {
    if (v instanceof Map<?, ?> map) {
      List<String> items = new ArrayList<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        items.add(key((String) e.getKey()) + ": " + flow(e.getValue()));
      }
      return "{" + String.join(", ", items) + "}";
    }
    if (v instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      for (Object o : list) {
        items.add(flow(o));
      }
      return "[" + String.join(", ", items) + "]";
    }
    if (v instanceof String str) {
      return PLAIN.matcher(str).matches() && !RESERVED.contains(str.toLowerCase(Locale.ROOT)) ? str : quote(str);
    }
    if (v instanceof Double d) {
      if (d.isNaN()) {
        return ".nan";
      }
      return d.isInfinite() ? (d > 0 ? ".inf" : "-.inf") : d.toString();
    }
    return String.valueOf(v == null ? "null" : v);
  }

  /** A double-quoted YAML string (JSON escapes are valid YAML). */
  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** A YAML integer (decimal, 0x hex, 0o octal, 0b binary, '_' separators), or null if malformed. */
  static BigInteger parseInteger(String text) {
    String t = text.replace("_", "").toLowerCase(Locale.ROOT);
    boolean negative = t.startsWith("-");
    if (t.startsWith("-") || t.startsWith("+")) {
      t = t.substring(1);
    }
    int radix = 10;
    if (t.startsWith("0x")) {
      radix = 16;
      t = t.substring(2);
    } else if (t.startsWith("0o")) {
      radix = 8;
      t = t.substring(2);
    } else if (t.startsWith("0b")) {
      radix = 2;
      t = t.substring(2);
    }
    try {
      BigInteger v = new BigInteger(t, radix);
      return negative ? v.negate() : v;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A YAML float, including .nan, .inf and -.inf; NaN if malformed (then rejected as not finite). */
  static double parseDouble(String text) {
    String t = text.replace("_", "").toLowerCase(Locale.ROOT);
    switch (t) {
      case ".nan" :
        return Double.NaN;
      case ".inf" :
      case "+.inf" :
        return Double.POSITIVE_INFINITY;
      case "-.inf" :
        return Double.NEGATIVE_INFINITY;
      default :
        try {
          return Double.parseDouble(t);
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
    }
  }
}
