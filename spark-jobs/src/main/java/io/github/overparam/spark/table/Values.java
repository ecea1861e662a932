package io.github.overparam.spark.table;

/** Core's values as Spark external values: NaN becomes null, so that SQL aggregates skip it. */
final class Values {
  private Values() {}

  static Double num(double v) {
    return Double.isNaN(v) ? null : v;
  }

  /** An array column: Spark rows take Java object arrays on every Spark and Scala line. */
  static Double[] doubles(double[] values) {
    Double[] out = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = num(values[i]);
    }
    return out;
  }

  static Integer[] ints(int[] values) {
    Integer[] out = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /** A count that is -1 when absent. */
  static Integer count(int v) {
    return v < 0 ? null : v;
  }

  /** An optional size that is 0 when it does not apply. */
  static Integer positive(int v) {
    return v == 0 ? null : v;
  }
}
