package io.github.overparam.spark.config;

import io.github.overparam.core.Names;
import io.github.overparam.core.run.RunSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
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
 * @param bounds the allowed range of a number
 * @param requirement whether the key must be given
 * @param defaults the key's default, fixed or depending on other keys
 * @param axis whether a list or range makes the key a grid axis
 * @param symbols the symbols a relative value {@code {scale, factors}} may use (n, d, depth, ...); empty
 *     when the key cannot be relative
 * @param hint a parenthesis added to the allowed-values text of errors, or null
 * @param userTable whether only a user table ({@code data.source: csv | parquet}) takes the key
 * @param doc what the key means, one line
 * @param recorded the key's spec column in {@code runs/}, or null when the key is not recorded as a
 *     column of its own (keys older than this declaration have their columns in the column registry)
 */
public record ConfigKey(String path, Type type, Class<? extends Enum<?>> enumType, Bounds bounds,
    Requirement requirement, Defaults defaults, boolean axis, List<String> symbols, String hint, boolean userTable,
    String doc, Recorded recorded) {

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
    SEEDS,
    /** A list of partial configs laid over the rest of the document ({@link Cases}). */
    CASES
  }

  /**
   * The allowed range of a number.
   *
   * @param min the smallest allowed number (inclusive for {@link Type#INT}, exclusive for {@link Type#NUMBER})
   * @param max the largest allowed number (inclusive), or NaN for none
   */
  public record Bounds(double min, double max) {}

  /**
   * Whether a key must be given.
   *
   * @param required whether the key must be given (see {@code unless})
   * @param unless with {@code required}: the key must not be given (nor is needed) when this other key
   *     takes one of {@code unlessValues}, e.g. {@code data.d} with a user table; null otherwise
   * @param unlessValues the values of {@code unless} that lift the requirement
   */
  public record Requirement(boolean required, String unless, List<String> unlessValues) {
    public Requirement {
      unlessValues = List.copyOf(unlessValues);
    }

    static final Requirement OPTIONAL = new Requirement(false, null, List.of());
  }

  /**
   * A key's default.
   *
   * @param value the fixed default (Integer, Double, Boolean or an enum constant), or null
   * @param dependent the default as the README says it when it depends on other keys, else null
   */
  public record Defaults(Object value, String dependent) {
    static final Defaults NONE = new Defaults(null, null);
  }

  /**
   * A key's spec column in {@code runs/}: its type follows the key's (integer, double, boolean, or the
   * constant's config spelling for a choice), its description is the key's doc, and it is a group
   * column, so runs that differ in the key are never pooled by the analysis.
   *
   * @param column the column name
   * @param canonicalKey the field of {@code RunSpec.canonical()} the value is part of
   * @param value reads the value from a run's spec (null where the key does not apply)
   */
  public record Recorded(String column, String canonicalKey, Function<RunSpec, Object> value) {}

  public ConfigKey {
    symbols = List.copyOf(symbols);
  }

  private static ConfigKey of(String path, Type type, Class<? extends Enum<?>> enumType, double min, String doc) {
    boolean axis = type == Type.INT || type == Type.NUMBER || type == Type.BOOL || type == Type.ENUM;
    return new ConfigKey(path, type, enumType, new Bounds(min, Double.NaN), Requirement.OPTIONAL, Defaults.NONE,
        axis, List.of(), null, false, doc, null);
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

  private ConfigKey with(Bounds b, Requirement r, Defaults d, boolean isAxis, List<String> syms, String h,
      boolean onlyUserTable) {
    return new ConfigKey(path, type, enumType, b, r, d, isAxis, syms, h, onlyUserTable, doc, recorded);
  }

  /**
   * Records the key in {@code runs/} as the spec column {@code column}, read from each run's spec by
   * {@code value}; the key's field in {@code RunSpec.canonical()} is called {@code column} too.
   */
  public ConfigKey recordedAs(String column, Function<RunSpec, Object> value) {
    return new ConfigKey(path, type, enumType, bounds, requirement, defaults, axis, symbols, hint, userTable, doc,
        new Recorded(column, column, value));
  }

  /** The key must be given. */
  public ConfigKey required() {
    return with(bounds, new Requirement(true, requirement.unless(), requirement.unlessValues()), defaults, axis,
        symbols, hint, userTable);
  }

  /** The key must be given unless {@code other} is one of {@code values}; then it must not be given. */
  public ConfigKey requiredUnless(String other, String... values) {
    return with(bounds, new Requirement(true, other, List.of(values)), defaults, axis, symbols, hint, userTable);
  }

  /** A fixed default. */
  public ConfigKey dflt(Object value) {
    return with(bounds, requirement, new Defaults(value, defaults.dependent()), axis, symbols, hint, userTable);
  }

  /** A default that depends on other keys, computed in {@link RunAssembly}; {@code doc} says what it is. */
  public ConfigKey dependentDefault(String text) {
    return with(bounds, requirement, new Defaults(defaults.value(), text), axis, symbols, hint, userTable);
  }

  /**
   * The value may be relative, {@code {scale: "n^2 * depth", factors: [...]}}, to the symbols given
   * (each evaluated before this key at every grid point).
   */
  public ConfigKey relative(String... symbolNames) {
    return with(bounds, requirement, defaults, axis, List.of(symbolNames), hint, userTable);
  }

  /** Whether a relative value {@code {scale, factors}} is allowed. */
  public boolean relative() {
    return !symbols.isEmpty();
  }

  /** A single value only: a list is an error, not a grid axis. */
  public ConfigKey single() {
    return with(bounds, requirement, defaults, false, symbols, hint, userTable);
  }

  /** Only a user table takes the key. */
  public ConfigKey userTableOnly() {
    return with(bounds, requirement, defaults, axis, symbols, hint, true);
  }

  /** The largest allowed number (inclusive). */
  public ConfigKey max(double value) {
    return with(new Bounds(bounds.min(), value), requirement, defaults, axis, symbols, hint, userTable);
  }

  /** A parenthesis for the allowed-values text of errors. */
  public ConfigKey hint(String text) {
    return with(bounds, requirement, defaults, axis, symbols, text, userTable);
  }

  /** The smallest allowed number (inclusive for {@link Type#INT}, exclusive for {@link Type#NUMBER}). */
  public double min() {
    return bounds.min();
  }

  /** The largest allowed number (inclusive), or NaN for none. */
  public double max() {
    return bounds.max();
  }

  /** Whether the key must be given (see {@link #requiredUnless()}). */
  public boolean isRequired() {
    return requirement.required();
  }

  /** The other key whose values in {@link #unlessValues()} lift the requirement, or null. */
  public String requiredUnless() {
    return requirement.unless();
  }

  public List<String> unlessValues() {
    return requirement.unlessValues();
  }

  /** The fixed default, or null. */
  public Object dflt() {
    return defaults.value();
  }

  /** The default as the README says it when it depends on other keys, or null. */
  public String dependentDefault() {
    return defaults.dependent();
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
      case INT -> "must be an integer >= " + ConfigLoader.fmt(min());
      case NUMBER -> Double.isNaN(max()) ? "must be a finite number > " + ConfigLoader.fmt(min())
          : "must be in (" + ConfigLoader.fmt(min()) + ", " + ConfigLoader.fmt(max()) + "]";
      case BOOL -> "must be true or false";
      case ENUM -> "allowed values are " + allowed();
      case TEXT -> "must be a single text value";
      case TEXT_LIST -> "must be a list of column names";
      case NAME -> "must be 1..64 characters a-z, 0-9, _ and -";
      case SEEDS -> "must be a number of seeds >= 1 (meaning seeds 0..N-1) or a list of seeds (integers >= 0)";
      case CASES -> "must be a list of maps of the sections data, model, train and record";
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
      case INT -> "integer >= " + ConfigLoader.fmt(min());
      case NUMBER -> Double.isNaN(max()) ? "number > " + ConfigLoader.fmt(min())
          : "number in (" + ConfigLoader.fmt(min()) + ", " + ConfigLoader.fmt(max()) + "]";
      case BOOL -> "`true`, `false`";
      case ENUM -> Arrays.stream(enumType.getEnumConstants()).map(e -> "`" + Names.of(e) + "`").collect(
          Collectors.joining(", "));
      case TEXT -> "text";
      case TEXT_LIST -> "list of column names";
      case NAME -> "`[a-z0-9_-]`, 1..64 characters";
      case SEEDS -> "integer N >= 1 (seeds 0..N-1) or a list of seeds";
      case CASES -> "list of 1 to " + Cases.MAX_CASES + " maps of data, model, train and record keys";
    };
    return values + (relative() ? "; may be relative to " + String.join(", ", symbols) : "")
        + (axis ? "" : "; not a grid axis");
  }

  /** The default as the README's key tables write it. */
  public String defaultText() {
    if (isRequired()) {
      return requiredUnless() == null ? "required" : "required (not with " + requiredUnless() + " "
          + String.join(", ", unlessValues()) + ")";
    }
    if (dependentDefault() != null) {
      return dependentDefault();
    }
    if (dflt() == null) {
      return "unset";
    }
    return "`" + (dflt() instanceof Enum<?> e ? Names.of(e) : dflt() instanceof Double d ? ConfigLoader.fmt(d)
        : String.valueOf(dflt())) + "`";
  }

  /** The value as the resolved YAML writes a default. */
  Object yamlDefault() {
    return dflt() instanceof Enum<?> e ? Names.of(e) : dflt();
  }
}
