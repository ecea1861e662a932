package io.github.overparam.core;

/**
 * An invalid spec, as a typed error: the config field to blame, the offending value and why it is
 * not allowed. Thrown by the spec records' constructors (through {@link Checks}), so that callers
 * (the config loader) read the three parts instead of parsing message text.
 *
 * <p>{@link #getMessage()} reads {@code field = value: reason}, or {@code field is missing: reason}
 * when there is no value.
 */
public final class SpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;
  private final String reason;

  /**
   * @param field the config key path, e.g. {@code model.width}
   * @param value the offending value as it is shown, or null when the value is missing
   * @param reason what is wrong and what is allowed, e.g. {@code must be an integer >= 1}
   */
  public SpecException(String field, String value, String reason) {
    this(field, value, reason, false);
  }

  private SpecException(String field, String value, String reason, boolean quoted) {
    super(value == null ? field + " is missing: " + reason
        : field + " = " + (quoted ? "'" + value + "'" : value) + ": " + reason);
    this.field = field;
    this.value = value;
    this.reason = reason;
  }

  /** A text value, quoted in the message ({@code data.path = 'x.csv': ...}) but not in {@link #value()}. */
  public static SpecException text(String field, String value, String reason) {
    return new SpecException(field, value, reason, true);
  }

  /** The config key path to blame. */
  public String field() {
    return field;
  }

  /** The offending value as written, unquoted; null when the value is missing. */
  public String value() {
    return value;
  }

  /** What is wrong and what is allowed. */
  public String reason() {
    return reason;
  }
}
