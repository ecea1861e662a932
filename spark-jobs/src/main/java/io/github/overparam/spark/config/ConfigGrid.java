package io.github.overparam.spark.config;

import io.github.overparam.core.data.UserTable;
import io.github.overparam.core.data.UserTables;
import io.github.overparam.spark.data.TableReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A config's grid as a {@link RunGrid}: the resolved config text (a few kilobytes, whatever the
 * grid's size) and the hash of its user table; each executor JVM rebuilds the {@link SweepGrid}
 * once from the text (the user table from the tables the task registered) and decodes its runs
 * from their indices.
 *
 * @param resolvedYaml the config as run (overrides applied, defaults filled in)
 * @param size grid points, seeds included, before repeats are merged
 * @param seeds seeds per grid point (the innermost axis)
 * @param tableHash the sha256 of the user table the runs read, or null
 */
public record ConfigGrid(String resolvedYaml, long size, int seeds, String tableHash) implements RunGrid {
  private static final int CACHED = 4;
  /** Grids rebuilt in this JVM, by user table and config text (a few per JVM: one per sweep). */
  private static final Map<String, SweepGrid> BUILT = new LinkedHashMap<>(8, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SweepGrid> eldest) {
      return size() > CACHED;
    }
  };

  @Override
  public Decoder decoder(UserTables tables) {
    String key = tableHash + "\n" + resolvedYaml;
    SweepGrid grid;
    synchronized (BUILT) {
      grid = BUILT.get(key);
    }
    if (grid == null) {
      grid = rebuild(tables);
      synchronized (BUILT) {
        BUILT.put(key, grid);
      }
    }
    return grid::run;
  }

  private SweepGrid rebuild(UserTables tables) {
    TableReader reader = (source, path, label, features) -> {
      UserTable t = tableHash == null ? null : tables.find(tableHash);
      if (t == null) {
        throw new IllegalStateException("user table sha256 " + tableHash + " is not registered in this JVM");
      }
      return t;
    };
    try {
      SweepGrid grid = ConfigLoader.grid(resolvedYaml, reader);
      if (grid.size() != size) {
        throw new IllegalStateException("the config rebuilt on this executor has " + grid.size() + " grid points, the"
            + " driver's " + size);
      }
      return grid;
    } catch (ConfigException e) {
      throw new IllegalStateException("the resolved config does not load on this executor: " + e.errors(), e);
    }
  }
}
