package io.github.overparam.spark.config;

import io.github.overparam.core.data.UserTable;
import io.github.overparam.spark.sweep.SearchOptions;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@link ConfigReader} and {@link UserTableStep} make of a config's document, before the grid. */
final class ParsedConfig {
  /** The leaves by path ("data.n"), in document order. */
  final Map<String, Param> params = new LinkedHashMap<>();
  /** The keys given in the config (after overrides), e.g. "data.labels". */
  final Set<String> given = new LinkedHashSet<>();
  /** The config as run: overrides applied, defaults filled in. */
  final Map<String, Object> resolved = new LinkedHashMap<>();
  String sweep;
  /** The path of the target loss leaf, train.target_loss.relative or .absolute; null if invalid. */
  String targetPath;
  boolean targetRelative = true;
  List<Long> seeds = List.of(0L);
  boolean seedsAxis;
  ExecutionOptions execution = ExecutionOptions.auto();
  /** The critical-width search, or null for a plain grid. */
  SearchOptions search;
  /** The user table of source csv or parquet, or null. */
  UserTable table;
  /** Whether this is one case of a config with {@code cases:}. */
  boolean fromCase;
  /** With {@code cases:}, the keys this case sets (e.g. model.depth). */
  Set<String> caseKeys = Set.of();

  /** The leaves that are grid axes, in grid order. */
  List<Param> axes() {
    return params.values().stream().filter(Param::axis).toList();
  }
}
