package io.github.overparam.spark.table;

import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;

/**
 * What a {@code runs/} row is built from.
 *
 * @param sweep the sweep's name
 * @param result what the run measured
 * @param host the executor host that ran it
 * @param searchRound the critical-width search round, null in a grid
 * @param driverSession the driver session that wrote the row (manifest.json sessions[].session_id)
 * @param warmUpMs the JIT warm-up the executor did for the run's shape just before it, outside its wall time
 */
public record RunRecord(String sweep, RunResult result, String host, Integer searchRound, String driverSession,
    long warmUpMs) {
  RunSpec spec() {
    return result.spec();
  }

  ModelSpec model() {
    return result.spec().model();
  }
}
