package io.github.overparam.spark.config;

/**
 * One problem found in a sweep config.
 *
 * @param path the key path, e.g. {@code model.width}, {@code data.n[2]}, {@code model.width.factors};
 *     {@code (yaml)} for a syntax error, {@code (--set)} for a malformed override, {@code (grid)} for
 *     a problem of the grid as a whole
 * @param value the offending value as written (or computed), or null when there is none (a missing key)
 * @param message what is wrong and what is allowed
 */
public record ConfigError(String path, String value, String message) {

  /** Reads like {@code model.width: value -3: must be an integer >= 1}. */
  @Override
  public String toString() {
    return value == null ? path + ": " + message : path + ": value " + value + ": " + message;
  }
}
