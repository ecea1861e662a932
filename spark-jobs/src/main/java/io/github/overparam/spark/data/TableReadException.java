package io.github.overparam.spark.data;

/**
 * A user table that cannot be used, with the config key to blame: {@code data.path} (missing,
 * unreadable, empty or too large), {@code data.label} or {@code data.features}.
 */
public final class TableReadException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;

  /**
   * @param key the config key path, e.g. {@code data.label}
   * @param value the offending value as written, or null
   * @param message what is wrong and what is allowed
   */
  public TableReadException(String key, String value, String message) {
    super(message);
    this.key = key;
    this.value = value;
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }
}
