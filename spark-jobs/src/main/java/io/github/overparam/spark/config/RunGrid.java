package io.github.overparam.spark.config;

import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.run.RunSpec;
import java.io.Serializable;

/**
 * The runs of a sweep as a function of their index, small enough to travel with every task: a
 * config's grid ({@link ConfigGrid}, rebuilt on the executor from the resolved config) or an
 * explicit, short list ({@link ListGrid}: search probes, tests).
 */
public interface RunGrid extends Serializable {
  /** Indices 0 .. size() - 1; some give no run (a repeat of an earlier one). */
  long size();

  /** A decoder of this grid for one task, reading user tables from {@code tables}. */
  Decoder decoder(UserTables tables);

  /** Decodes runs by index; not thread-safe, one per task. */
  @FunctionalInterface
  interface Decoder {
    /** Run k, or null when index k gives no run of its own. */
    RunSpec run(long k);
  }
}
