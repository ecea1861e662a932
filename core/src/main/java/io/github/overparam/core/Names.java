package io.github.overparam.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The config spelling of an enum constant (lower snake case) and its inverse, with a clear error. */
public final class Names {
  private Names() {}

  public static String of(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  public static <E extends Enum<E>> E parse(Class<E> type, String field, String text) {
    if (text != null) {
      for (E e : type.getEnumConstants()) {
        if (of(e).equals(text.trim().toLowerCase(Locale.ROOT))) {
          return e;
        }
      }
    }
    throw new IllegalArgumentException(
        field + " = " + (text == null ? "null" : "'" + text + "'") + ": allowed values are " + allowed(type));
  }

  public static <E extends Enum<E>> String allowed(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Names::of).collect(Collectors.joining(", "));
  }
}
