package io.github.overparam.spark.config;

import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.run.RunSpec;
import java.util.List;

/** An explicit list of runs as a {@link RunGrid}: for short lists only (it travels with the tasks). */
public record ListGrid(List<RunSpec> runs) implements RunGrid {
  public ListGrid {
    runs = List.copyOf(runs);
  }

  @Override
  public long size() {
    return runs.size();
  }

  @Override
  public Decoder decoder(UserTables tables) {
    return k -> runs.get((int) k);
  }
}
