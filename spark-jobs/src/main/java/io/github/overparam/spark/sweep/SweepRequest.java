package io.github.overparam.spark.sweep;

import io.github.overparam.core.random.Seeds;
import io.github.overparam.core.run.RunSpec;
import java.util.List;

/**
 * A sweep to run: its name, its full grid of runs, the resolved config text stored beside the
 * tables, and execution options (null = chosen from the cluster's parallelism).
 *
 * @param sweep the sweep's name, also its output sub-folder
 * @param runs every run of the grid
 * @param resolvedConfig the config as run (written to sweep.yaml)
 * @param waveSize runs per committed wave, or null
 * @param partitions Spark tasks per wave, or null
 * @param search the critical-width search, or null for a plain grid (then {@code runs} are the
 *     search's templates: one per group and seed)
 */
public record SweepRequest(String sweep, List<RunSpec> runs, String resolvedConfig, Integer waveSize,
    Integer partitions, SearchOptions search) {

  public SweepRequest {
    runs = List.copyOf(runs);
  }

  /** A plain grid. */
  public SweepRequest(String sweep, List<RunSpec> runs, String resolvedConfig, Integer waveSize, Integer partitions) {
    this(sweep, runs, resolvedConfig, waveSize, partitions, null);
  }

  /**
   * A digest of the sorted run ids (and the search options): the sweep's identity, independent of
   * execution options.
   */
  public String gridFingerprint() {
    String[] ids = runs.stream().map(RunSpec::runId).sorted().toArray(String[]::new);
    return search == null ? Seeds.hexId(32, ids) : Seeds.hexId(32, Seeds.hexId(64, ids), search.canonical());
  }
}
