package io.github.overparam.core.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User tables by {@link UserTable#hash()}: the tables that runs of source csv or parquet may read,
 * passed to {@link Datasets#generate(DataSpec, long, UserTables)} (through a run context), never
 * found in static state. The normalized inputs are computed once per table and normalization.
 * Thread-safe; registering is idempotent.
 */
public final class UserTables {
  private final Map<String, UserTable> tables = new ConcurrentHashMap<>();
  private final Map<String, double[]> inputs = new ConcurrentHashMap<>();

  /** Makes {@code table} known here (a no-op when it already is). */
  public void register(UserTable table) {
    tables.putIfAbsent(table.hash(), table);
  }

  /** The table with this hash, or null when it is not registered. */
  public UserTable find(String hash) {
    return tables.get(hash);
  }

  /**
   * The table with this hash.
   *
   * @throws IllegalStateException when it was not registered
   */
  public UserTable get(String hash) {
    UserTable t = tables.get(hash);
    if (t == null) {
      throw new IllegalStateException("user table sha256 " + hash + " is not loaded in this JVM: the driver reads"
          + " the table and ships it to the tasks, which register it in their run context before any run that"
          + " uses it");
    }
    return t;
  }

  /** {@link UserTable#inputs} of a registered table, computed once (shared: do not modify). */
  public double[] inputs(UserTable table, Normalization normalization) {
    return inputs.computeIfAbsent(table.hash() + "|" + normalization, k -> table.inputs(normalization));
  }
}
