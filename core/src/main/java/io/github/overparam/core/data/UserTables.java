package io.github.overparam.core.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user tables this JVM knows, by {@link UserTable#hash()}. The driver registers a table when it
 * reads it; a Spark task registers the tables it was shipped before it runs anything, so that
 * {@link Datasets#generate} finds them by the hash in the data spec. Registering is idempotent; the
 * normalised inputs are computed once per table and normalisation.
 */
public final class UserTables {
  private static final Map<String, UserTable> TABLES = new ConcurrentHashMap<>();
  private static final Map<String, double[]> INPUTS = new ConcurrentHashMap<>();

  private UserTables() {}

  /** Makes {@code table} known in this JVM (a no-op when it already is). */
  public static void register(UserTable table) {
    TABLES.putIfAbsent(table.hash(), table);
  }

  /** The table with this hash, or null when this JVM does not know it. */
  public static UserTable find(String hash) {
    return TABLES.get(hash);
  }

  /**
   * The table with this hash.
   *
   * @throws IllegalStateException when it was not registered in this JVM
   */
  public static UserTable get(String hash) {
    UserTable t = TABLES.get(hash);
    if (t == null) {
      throw new IllegalStateException("user table sha256 " + hash + " is not loaded in this JVM: the driver reads"
          + " the table and ships it to the tasks (UserTables.register) before any run that uses it");
    }
    return t;
  }

  /** {@link UserTable#inputs} of the registered table, computed once (shared: do not modify). */
  public static double[] inputs(UserTable table, Normalization normalization) {
    return INPUTS.computeIfAbsent(table.hash() + "|" + normalization, k -> table.inputs(normalization));
  }
}
