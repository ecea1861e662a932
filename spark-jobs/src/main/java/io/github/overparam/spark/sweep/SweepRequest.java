package io.github.overparam.spark.sweep;

import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.random.Seeds;
import io.github.overparam.core.run.RunSpec;
import java.util.List;
import java.util.function.BiFunction;

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
 * @param atWidth a search template at another width (relative values re-evaluated); default: the
 *     model's width replaced, nothing else
 * @param tables the user tables the runs read, broadcast to the executors (empty by default)
 */
public record SweepRequest(String sweep, List<RunSpec> runs, String resolvedConfig, Integer waveSize,
    Integer partitions, SearchOptions search, BiFunction<RunSpec, Integer, RunSpec> atWidth, UserTables tables) {

  public SweepRequest {
    runs = List.copyOf(runs);
    if (atWidth == null) {
      atWidth = SweepRequest::withWidth;
    }
    if (tables == null) {
      tables = new UserTables();
    }
  }

  public SweepRequest(String sweep, List<RunSpec> runs, String resolvedConfig, Integer waveSize,
      Integer partitions, SearchOptions search) {
    this(sweep, runs, resolvedConfig, waveSize, partitions, search, null, null);
  }

  /** The run with only the model's width replaced. */
  public static RunSpec withWidth(RunSpec t, int width) {
    return new RunSpec(t.data(), t.model().withWidth(width), t.train(), t.record(), t.seed());
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
