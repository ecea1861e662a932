package io.github.overparam.spark.config;

import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.sweep.SearchOptions;
import io.github.overparam.spark.sweep.SweepRequest;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A validated sweep: the expanded grid of runs and everything needed to execute and record it.
 * Built by {@link ConfigLoader#load(String, List)}.
 *
 * @param sweep the sweep's name ({@code sweep:}), also its output sub-folder
 * @param runs every run of the grid, de-duplicated, in grid order: the axes in document order, the
 *     last varying fastest, seeds innermost
 * @param execution execution options ({@code execution:})
 * @param resolvedYaml the config as run (after {@code --set} overrides, with defaults filled in), as
 *     YAML; loading it again gives the same runs in the same order
 * @param axes the keys that are grid axes, in grid order, e.g. {@code data.n}, {@code model.width},
 *     {@code seed} ({@code search} first when the width is searched)
 * @param search the critical-width search ({@code search:}), or null for a plain grid; with a search,
 *     {@code runs} holds one template per group and seed, at {@code search.min_width}
 * @param atWidth a template at another width with every relative value (e.g. an lr relative to the
 *     width) re-evaluated there; for a grid, the model's width replaced
 * @param tables the user tables the runs read (source csv or parquet), read on the driver
 */
public record SweepConfig(String sweep, List<RunSpec> runs, ExecutionOptions execution, String resolvedYaml,
    List<String> axes, SearchOptions search, BiFunction<RunSpec, Integer, RunSpec> atWidth, UserTables tables) {

  public SweepConfig {
    runs = List.copyOf(runs);
    axes = List.copyOf(axes);
    if (atWidth == null) {
      atWidth = SweepRequest::withWidth;
    }
    if (tables == null) {
      tables = new UserTables();
    }
  }

  public SweepConfig(String sweep, List<RunSpec> runs, ExecutionOptions execution, String resolvedYaml,
      List<String> axes, SearchOptions search) {
    this(sweep, runs, execution, resolvedYaml, axes, search, null, null);
  }

  /** A plain grid, without search. */
  public SweepConfig(String sweep, List<RunSpec> runs, ExecutionOptions execution, String resolvedYaml,
      List<String> axes) {
    this(sweep, runs, execution, resolvedYaml, axes, null);
  }
}
