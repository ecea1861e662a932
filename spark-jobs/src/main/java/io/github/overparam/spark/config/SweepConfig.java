package io.github.overparam.spark.config;

import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.random.Seeds;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.sweep.SearchOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * A validated sweep: its grid as data and everything needed to execute and record it. Built by
 * {@link ConfigLoader#load(String, List)}, or from an explicit list of runs with {@link #of}.
 *
 * @param sweep the sweep's name ({@code sweep:}), also its output sub-folder
 * @param grid the runs as a function of their index, in grid order: the axes in document order,
 *     the last varying fastest, seeds innermost; identical runs once (at their first index)
 * @param runCount the runs of the grid, identical runs once
 * @param fingerprint the grid's identity, independent of execution options; a folder may be resumed
 *     only by a sweep of the same fingerprint
 * @param execution execution options ({@code execution:})
 * @param resolvedYaml the config as run (after {@code --set} overrides, with defaults filled in), as
 *     YAML; loading it again gives the same runs in the same order
 * @param axes the keys that are grid axes, in grid order, e.g. {@code data.n}, {@code model.width},
 *     {@code seed} ({@code search} first when the width is searched)
 * @param search the critical-width search ({@code search:}), or null for a plain grid; with a search,
 *     {@code grid} holds one template per group and seed, at {@code search.min_width}
 * @param atWidth a template at another width with every relative value (e.g. an lr relative to the
 *     width) re-evaluated there; for a grid, the model's width replaced
 * @param tables the user tables the runs read (source csv or parquet), read on the driver
 */
public record SweepConfig(String sweep, RunGrid grid, long runCount, String fingerprint, ExecutionOptions execution,
    String resolvedYaml, List<String> axes, SearchOptions search, BiFunction<RunSpec, Integer, RunSpec> atWidth,
    UserTables tables) {
  /** The most runs {@link #runs()} lists. */
  public static final long MAX_LISTED = 10_000_000;

  public SweepConfig {
    axes = List.copyOf(axes);
    if (atWidth == null) {
      atWidth = SweepConfig::withWidth;
    }
    if (tables == null) {
      tables = new UserTables();
    }
  }

  /** A sweep of an explicit list of runs (a plain grid when {@code search} is null). */
  public static SweepConfig of(String sweep, List<RunSpec> runs, String resolvedYaml, Integer waveSize,
      Integer partitions, SearchOptions search) {
    return new SweepConfig(sweep, new ListGrid(runs), runs.size(), listFingerprint(runs, search),
        new ExecutionOptions(waveSize, partitions), resolvedYaml, List.of(), search, null, null);
  }

  /** A plain grid of an explicit list of runs. */
  public static SweepConfig of(String sweep, List<RunSpec> runs, String resolvedYaml, Integer waveSize,
      Integer partitions) {
    return of(sweep, runs, resolvedYaml, waveSize, partitions, null);
  }

  /** The run with only the model's width replaced. */
  public static RunSpec withWidth(RunSpec t, int width) {
    return new RunSpec(t.data(), t.model().withWidth(width), t.train(), t.record(), t.seed());
  }

  /**
   * Every run of the grid (with a search: every template), in grid order, decoded on the driver:
   * for small grids, tests and the templates of a search; at most {@value #MAX_LISTED}.
   */
  public List<RunSpec> runs() {
    if (grid.size() > MAX_LISTED) {
      throw new IllegalStateException("the grid of sweep " + sweep + " has " + grid.size() + " points: too many to"
          + " list on the driver; decode them from their indices");
    }
    RunGrid.Decoder decoder = grid.decoder(tables);
    List<RunSpec> out = new ArrayList<>();
    for (long k = 0; k < grid.size(); k++) {
      RunSpec r = decoder.run(k);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The fingerprint of a folder written by an earlier version (a digest of the sorted run ids),
   * which the resume of a grid of up to {@value #MAX_LISTED} points also accepts.
   */
  public String legacyFingerprint() {
    return listFingerprint(runs(), search);
  }

  private static String listFingerprint(List<RunSpec> runs, SearchOptions search) {
    String[] ids = runs.stream().map(RunSpec::runId).sorted().toArray(String[]::new);
    return search == null ? Seeds.hexId(32, ids) : Seeds.hexId(32, Seeds.hexId(64, ids), search.canonical());
  }

  /**
   * Walks the runs on the driver one grid point at a time, in constant memory: {@code consumer}
   * gets each point's first run and how many runs (seeds) it stands for; runs of one point differ
   * only in their seed, so they cost the same. With a search: each template, once.
   */
  public void forEachPoint(BiConsumer<RunSpec, Long> consumer) {
    RunGrid.Decoder decoder = grid.decoder(tables);
    long step = grid instanceof ConfigGrid g && search == null ? g.seeds() : 1;
    for (long k = 0; k < grid.size(); k += step) {
      RunSpec r = decoder.run(k);
      if (r != null) {
        consumer.accept(r, step);
      }
    }
  }

  /** Runs per committed wave, or null (automatic). */
  public Integer waveSize() {
    return execution.waveSize();
  }

  /** Spark tasks per wave, or null (automatic). */
  public Integer partitions() {
    return execution.partitions();
  }
}
