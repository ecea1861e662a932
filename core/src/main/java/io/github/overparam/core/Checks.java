package io.github.overparam.core;

/**
 * Argument checks whose messages name the field, the value and what is allowed, so that a bad spec
 * fails at construction with a message a user can act on.
 */
public final class Checks {
  private Checks() {}

  public static int atLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " = " + value + ": must be an integer >= " + min);
    }
    return value;
  }

  public static double positiveFinite(String field, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " = " + value + ": must be a finite number > 0");
    }
    return value;
  }

  public static <T> T notNull(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing: a value is required");
    }
    return value;
  }

  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
