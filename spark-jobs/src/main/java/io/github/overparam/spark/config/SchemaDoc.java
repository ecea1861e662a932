package io.github.overparam.spark.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The config keys as documentation, derived from {@link ConfigSchema}: the README's key tables
 * (a test compares them) and {@code overparam validate --keys}.
 */
public final class SchemaDoc {
  private SchemaDoc() {}

  /** The README's key tables, by the name of their marker {@code <!-- config-keys: NAME -->}. */
  public enum Table {
    /** The sweep's grid: sweep, seeds and the data, model, train and record keys of synthetic data. */
    GRID(k -> !k.userTable() && !k.section().equals("search") && !k.section().equals("execution")),
    /** The keys only a user table takes. */
    USER_TABLE(ConfigKey::userTable),
    /** The critical-width search. */
    SEARCH(k -> k.section().equals("search")),
    /** How the sweep is executed. */
    EXECUTION(k -> k.section().equals("execution"));

    private final Predicate<ConfigKey> keys;

    Table(Predicate<ConfigKey> keys) {
      this.keys = keys;
    }

    /** The marker's name, e.g. {@code user-table}. */
    public String marker() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public List<ConfigKey> keys() {
      return ConfigSchema.KEYS.stream().filter(keys).toList();
    }
  }

  /** One table in Markdown: a header and a row per key. */
  public static String markdown(Table table) {
    StringBuilder sb = new StringBuilder("| key | values | default | meaning |\n|---|---|---|---|\n");
    for (ConfigKey k : table.keys()) {
      sb.append("| `").append(k.path()).append("` | ").append(k.valuesDoc()).append(" | ").append(
          k.defaultText()).append(" | ").append(k.doc()).append(" |\n");
    }
    return sb.toString();
  }

  /** Every README key table between its markers, as {@code scripts/readme-tables.sh} writes them. */
  public static String markdownSections() {
    StringBuilder sb = new StringBuilder();
    for (Table table : Table.values()) {
      sb.append("<!-- config-keys: ").append(table.marker()).append(" -->\n").append(markdown(table)).append(
          "<!-- /config-keys -->\n");
    }
    return sb.toString();
  }

  /** The README's sentence naming the keys that may be relative. */
  public static String relativeKeysSentence() {
    return "**Relative values** for " + ConfigSchema.KEYS.stream().filter(ConfigKey::relative).map(k -> "`" + k.path()
        + "`").collect(Collectors.joining(", "));
  }

  /** Every key for a terminal: path, values and default on one line, the meaning indented below. */
  public static String text() {
    StringBuilder sb = new StringBuilder();
    for (Table table : Table.values()) {
      sb.append(table.marker()).append(" keys:\n");
      for (ConfigKey k : table.keys()) {
        sb.append(String.format(Locale.ROOT, "  %-28s %s; default: %s%n      %s%n", k.path(),
            k.valuesDoc().replace("`", ""), k.defaultText().replace("`", ""), k.doc()));
      }
    }
    return sb.toString();
  }
}
