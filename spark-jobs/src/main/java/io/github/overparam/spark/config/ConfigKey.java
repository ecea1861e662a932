package io.github.overparam.spark.config;

import io.github.overparam.core.Names;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One config key, declared once in {@link ConfigSchema}: its path, type, allowed values, default,
 * whether it may be a grid axis or relative to n, and a one-line description. Validation, the
 * "did you mean" suggestions, {@code overparam validate --keys} and the README's key tables are
 * derived from these declarations. Immutable; the fluent methods return modified copies.
 *
 * @param path the full key path, e.g. {@code model.width}
 * @param type how the value is read
 * @param enumType the allowed constants of an {@link Type#ENUM} key (in their config spelling), else null
 * @param min the smallest allowed number (inclusive for {@link Type#INT}, exclusive for {@link Type#NUMBER})
 * @param max the largest allowed number (inclusive), or NaN for none
 * @param isRequired whether the key must be given (see {@link #requiredUnless})
 * @param requiredUnless with {@code isRequired}: the key must not be given (nor is needed) when this other
 *     key takes one of {@link #unlessValues}, e.g. {@code data.d} with a user table; null otherwise
 * @param unlessValues the values of {@code requiredUnless} that lift the requirement
 * @param dflt the fixed default (Integer, Double, Boolean or an enum constant), or null
 * @param dependentDefault the default as the README says it when it depends on other keys, else null
 * @param axis whether a list or range makes the key a grid axis
 * @param symbols the symbols a relative value {@code {scale, factors}} may use (n, d, depth, ...); empty
 *     when the key cannot be relative
 * @param hint a parenthesis added to the allowed-values text of errors, or null
 * @param userTable whether only a user table ({@code data.source: csv | parquet}) takes the key
 * @param doc what the key means, one line
 */
public record ConfigKey(String path, Type type, Class<? extends Enum<?>> enumType, double min, double max,
    boolean isRequired, String requiredUnless, List<String> unlessValues, Object dflt, String dependentDefault,
    boolean axis,
    List<String> symbols, String hint, boolean userTable, String doc) {

  /** How a key's value is read. */
  public enum Type {
    /** An integer, at least {@code min}; a list or range is an axis. */
    INT,
    /** A finite number above {@code min} (and at most {@code max} when set). */
    NUMBER,
    /** true or false. */
    BOOL,
    /** One constant of {@code enumType}, in lower snake case. */
    ENUM,
    /** One text value (a path, a column name); never an axis. */
    TEXT,
    /** A list of column names; never an axis. */
    TEXT_LIST,
    /** The sweep's name. */
    NAME,
    /** A number of seeds N (seeds 0..N-1) or a list of seeds. */
    SEEDS
  }

  public ConfigKey {
    unlessValues = List.copyOf(unlessValues);
    symbols = List.copyOf(symbols);
  }

  private static ConfigKey of(String path, Type type, Class<? extends Enum<?>> enumType, double min, String doc) {
    boolean axis = type == Type.INT || type == Type.NUMBER || type == Type.BOOL || type == Type.ENUM;
    return new ConfigKey(path, type, enumType, min, Double.NaN, false, null, List.of(), null, null, axis, List.of(),
        null, false, doc);
  }

  /** An integer key, at least {@code min}. */
  public static ConfigKey integer(String path, int min, String doc) {
    return of(path, Type.INT, null, min, doc);
  }

  /** A finite number above {@code exclusiveMin}. */
  public static ConfigKey number(String path, double exclusiveMin, String doc) {
    return of(path, Type.NUMBER, null, exclusiveMin, doc);
  }

  public static ConfigKey bool(String path, String doc) {
    return of(path, Type.BOOL, null, 0, doc);
  }

  /** One of the constants of {@code type}, spelled as {@link Names#of} spells them. */
  public static ConfigKey choice(String path, Class<? extends Enum<?>> type, String doc) {
    return of(path, Type.ENUM, type, 0, doc);
  }

  public static ConfigKey text(String path, String doc) {
    return of(path, Type.TEXT, null, 0, doc);
  }

  public static ConfigKey columns(String path, String doc) {
    return of(path, Type.TEXT_LIST, null, 0, doc);
  }

  static ConfigKey special(String path, Type type, String doc) {
    return of(path, type, null, 0, doc);
  }

  /** The key must be given. */
  public ConfigKey required() {
    return new ConfigKey(path, type, enumType, min, max, true, requiredUnless, unlessValues, dflt, dependentDefault,
        axis, symbols, hint, userTable, doc);
  }

  /** The key must be given unless {@code other} is one of {@code values}; then it must not be given. */
  public ConfigKey requiredUnless(String other, String... values) {
    return new ConfigKey(path, type, enumType, min, max, true, other, List.of(values), dflt, dependentDefault, axis,
        symbols, hint, userTable, doc);
  }

  /** A fixed default. */
  public ConfigKey dflt(Object value) {
    return new ConfigKey(path, type, enumType, min, max, isRequired, requiredUnless, unlessValues, value,
        dependentDefault, axis, symbols, hint, userTable, doc);
  }

  /** A default that depends on other keys, computed in {@link RunAssembly}; {@code doc} says what it is. */
  public ConfigKey dependentDefault(String text) {
    return new ConfigKey(path, type, enumType, min, max, isRequired, requiredUnless, unlessValues, dflt, text, axis,
        symbols, hint, userTable, doc);
  }

  /**
   * The value may be relative, {@code {scale: "n^2 * depth", factors: [...]}}, to the symbols given
   * (each evaluated before this key at every grid point).
   */
  public ConfigKey relative(String... symbolNames) {
    return new ConfigKey(path, type, enumType, min, max, isRequired, requiredUnless, unlessValues, dflt,
        dependentDefault, axis, List.of(symbolNames), hint, userTable, doc);
  }

  /** Whether a relative value {@code {scale, factors}} is allowed. */
  public boolean relative() {
    return !symbols.isEmpty();
  }

  /** A single value only: a list is an error, not a grid axis. */
  public ConfigKey single() {
    return new ConfigKey(path, type, enumType, min, max, isRequired, requiredUnless, unlessValues, dflt,
        dependentDefault, false, symbols, hint, userTable, doc);
  }

  /** Only a user table takes the key. */
  public ConfigKey userTableOnly() {
    return new ConfigKey(path, type, enumType, min, max, isRequired, requiredUnless, unlessValues, dflt,
        dependentDefault, axis, symbols, hint, true, doc);
  }

  /** The largest allowed number (inclusive). */
  public ConfigKey max(double value) {
    return new ConfigKey(path, type, enumType, min, value, isRequired, requiredUnless, unlessValues, dflt,
        dependentDefault, axis, symbols, hint, userTable, doc);
  }

  /** A parenthesis for the allowed-values text of errors. */
  public ConfigKey hint(String text) {
    return new ConfigKey(path, type, enumType, min, max, isRequired, requiredUnless, unlessValues, dflt,
        dependentDefault, axis, symbols, text, userTable, doc);
  }

  /** The section, e.g. {@code model}; the key itself for a top-level key. */
  public String section() {
    int dot = path.indexOf('.');
    return dot < 0 ? path : path.substring(0, dot);
  }

  /** The last part of the path, e.g. {@code width}. */
  public String name() {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  /** What is allowed, as errors say it, e.g. {@code must be an integer >= 1}. */
  public String expected() {
    String text = switch (type) {
      case INT -> "must be an integer >= " + ConfigLoader.fmt(min);
      case NUMBER -> Double.isNaN(max) ? "must be a finite number > " + ConfigLoader.fmt(min)
          : "must be in (" + ConfigLoader.fmt(min) + ", " + ConfigLoader.fmt(max) + "]";
      case BOOL -> "must be true or false";
      case ENUM -> "allowed values are " + allowed();
      case TEXT -> "must be a single text value";
      case TEXT_LIST -> "must be a list of column names";
      case NAME -> "must be 1..64 characters a-z, 0-9, _ and -";
      case SEEDS -> "must be a number of seeds >= 1 (meaning seeds 0..N-1) or a list of seeds (integers >= 0)";
    };
    return hint == null ? text : text + " (" + hint + ")";
  }

  /** The allowed constants of an enum key, comma separated. */
  public String allowed() {
    return Arrays.stream(enumType.getEnumConstants()).map(Names::of).collect(Collectors.joining(", "));
  }

  /** The constant of an enum key spelled {@code text} (trimmed, any case), or null. */
  public Enum<?> constant(String text) {
    for (Enum<?> e : enumType.getEnumConstants()) {
      if (Names.of(e).equals(text.trim().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    return null;
  }

  /** The allowed values as the README's key tables write them. */
  public String valuesDoc() {
    String values = switch (type) {
      case INT -> "integer >= " + ConfigLoader.fmt(min);
      case NUMBER -> Double.isNaN(max) ? "number > " + ConfigLoader.fmt(min)
          : "number in (" + ConfigLoader.fmt(min) + ", " + ConfigLoader.fmt(max) + "]";
      case BOOL -> "`true`, `false`";
      case ENUM -> Arrays.stream(enumType.getEnumConstants()).map(e -> "`" + Names.of(e) + "`")
          .collect(Collectors.joining(", "));
      case TEXT -> "text";
      case TEXT_LIST -> "list of column names";
      case NAME -> "`[a-z0-9_-]`, 1..64 characters";
      case SEEDS -> "integer N >= 1 (seeds 0..N-1) or a list of seeds";
    };
    return values + (relative() ? "; may be relative to " + String.join(", ", symbols) : "")
        + (axis ? "" : "; not a grid axis");
  }

  /** The default as the README's key tables write it. */
  public String defaultText() {
    if (isRequired) {
      return requiredUnless == null ? "required" : "required (not with " + requiredUnless + " "
          + String.join(", ", unlessValues) + ")";
    }
    if (dependentDefault != null) {
      return dependentDefault;
    }
    if (dflt == null) {
      return "unset";
    }
    return "`" + (dflt instanceof Enum<?> e ? Names.of(e) : dflt instanceof Double d ? ConfigLoader.fmt(d)
        : String.valueOf(dflt)) + "`";
  }

  /** The value as the resolved YAML writes a default. */
  Object yamlDefault() {
    return dflt instanceof Enum<?> e ? Names.of(e) : dflt;
  }
}
