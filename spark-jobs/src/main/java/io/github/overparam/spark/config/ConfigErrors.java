package io.github.overparam.spark.config;

import io.github.overparam.core.SpecException;
import io.github.overparam.spark.config.YamlTree.Node;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The problems found while loading one config, each once, in the order found; and whether the
 * grid can still be expanded ({@link #blocked()} once a needed value is missing or invalid).
 */
final class ConfigErrors {
  private final Set<ConfigError> errors = new LinkedHashSet<>();
  private boolean blocked;

  /** Records a problem that leaves the grid expandable. */
  void error(String path, String value, String message) {
    errors.add(new ConfigError(path, value, message));
  }

  /** Records a problem after which the grid cannot be expanded. */
  void fail(String path, String value, String message) {
    error(path, value, message);
    blocked = true;
  }

  void add(ConfigError error) {
    errors.add(error);
  }

  /** A core spec's typed error as a config error: its field, value and reason. */
  static ConfigError of(SpecException e) {
    return e.value() == null ? new ConfigError(e.field(), null, "missing: " + e.reason())
        : new ConfigError(e.field(), e.value(), e.reason());
  }

  /** An unknown key, with the nearest known key as a suggestion. */
  void unknown(String path, String key, Node value, List<String> known) {
    errors.add(Suggestions.unknownKey(path, key, value == null ? null : YamlTree.render(value), known));
  }

  void block() {
    blocked = true;
  }

  boolean blocked() {
    return blocked;
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  int size() {
    return errors.size();
  }

  /** Every problem, in the order found. */
  List<ConfigError> list() {
    return List.copyOf(errors);
  }

  /** Every problem, the first {@link ConfigLoader#MAX_ERRORS} and a line that says how many more. */
  List<ConfigError> capped() {
    List<ConfigError> list = new ArrayList<>(errors);
    if (list.size() <= ConfigLoader.MAX_ERRORS) {
      return list;
    }
    List<ConfigError> head = new ArrayList<>(list.subList(0, ConfigLoader.MAX_ERRORS));
    head.add(new ConfigError("(errors)", null, (list.size() - ConfigLoader.MAX_ERRORS) + " more errors not shown"));
    return head;
  }
}
