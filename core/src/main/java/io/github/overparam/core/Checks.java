package io.github.overparam.core;

/**
 * Argument checks that throw a {@link SpecException} naming the field, the value and what is
 * allowed, so that a bad spec fails at construction with an error a user can act on (and a caller
 * can read part by part).
 */
public final class Checks {
  private Checks() {}

  public static int atLeast(String field, int value, int min) {
    if (value < min) {
      throw new SpecException(field, Integer.toString(value), "must be an integer >= " + min);
    }
    return value;
  }

  public static double positiveFinite(String field, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new SpecException(field, Double.toString(value), "must be a finite number > 0");
    }
    return value;
  }

  public static <T> T notNull(String field, T value) {
    if (value == null) {
      throw new SpecException(field, null, "a value is required");
    }
    return value;
  }

  /** Fails with {@code field = value: reason} unless {@code condition} holds. */
  public static void require(boolean condition, String field, Object value, String reason) {
    if (!condition) {
      throw new SpecException(field, show(value), reason);
    }
  }

  /** Fails with {@code field = 'text': reason} (the text quoted) unless {@code condition} holds. */
  public static void requireText(boolean condition, String field, String text, String reason) {
    if (!condition) {
      throw SpecException.text(field, text, reason);
    }
  }

  /** A value as a message shows it: enum constants in their config spelling. */
  public static String show(Object value) {
    return value instanceof Enum<?> e ? Names.of(e) : String.valueOf(value);
  }
}
