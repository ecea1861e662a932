package io.github.overparam.spark.config;

import java.util.List;

/**
 * One leaf after validation: its single value or its axis values. Values are Integer, Double,
 * Boolean, String, a list of strings or an enum constant; for a relative key they are the factors
 * (Double) of {@code scale}.
 *
 * @param path the key path, e.g. {@code data.n}
 * @param key the key's declaration
 * @param values one value, or the values of a grid axis
 * @param axis whether the key is a grid axis (given as a list, a range or a list of factors)
 * @param scale the expression of a relative value, or null
 */
record Param(String path, ConfigKey key, List<Object> values, boolean axis, ScaleExpression scale) {
  Param {
    values = List.copyOf(values);
  }

  /** A single value that is not an axis. */
  static Param single(String path, ConfigKey key, Object value) {
    return new Param(path, key, List.of(value), false, null);
  }

  Object single() {
    return values.get(0);
  }
}
