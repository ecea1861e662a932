package io.github.overparam.spark.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * YAML text to a small tree of {@link Node}s and back, with hard limits so that hostile input fails
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
  enum Kind { STRING, INT, FLOAT, BOOL, NULL }

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
    YAMLFactory f = YAMLFactory.builder().loaderOptions(options)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build())
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
        .build();
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
        return new ConfigError(key, null, "duplicate key at " + at.replaceAll(": $", "") + ": each key may appear once");
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

  /** Writes plain Java values (see {@link #plain}) as block-style YAML. */
  static String write(Object plain) {
    try {
      return new ObjectMapper(FACTORY).writeValueAsString(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML: " + e.getOriginalMessage(), e);
    }
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
      case ".nan":
        return Double.NaN;
      case ".inf":
      case "+.inf":
        return Double.POSITIVE_INFINITY;
      case "-.inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(t);
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
    }
  }
}
