package io.github.overparam.spark.config;

import java.util.List;

/** A sweep config that cannot be run, with every problem found (not just the first). */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigError> errors;

  /**
   * @param errors every problem found, at least one; {@link #getMessage()} lists each on its own line
   */
  public ConfigException(List<ConfigError> errors) {
    super(format(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** Every problem, in the order found (document order, then grid order). */
  public List<ConfigError> errors() {
    return errors;
  }

  private static String format(List<ConfigError> errors) {
    StringBuilder sb = new StringBuilder("invalid sweep config (" + errors.size()
        + (errors.size() == 1 ? " error):" : " errors):"));
    for (ConfigError e : errors) {
      sb.append(System.lineSeparator()).append("  ").append(e);
    }
    return sb.toString();
  }
}
