package io.github.overparam.spark.data;

import io.github.overparam.core.Names;
import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.UserTable;
import java.util.List;

/** Reads the user table a config names (on the driver, before the grid is expanded). */
@FunctionalInterface
public interface TableReader {

  /**
   * Reads a table.
   *
   * @param source csv or parquet
   * @param path any Hadoop path (a file, a folder or a glob)
   * @param label the label column
   * @param features the feature columns, or empty for every numeric column but the label
   * @throws TableReadException naming the config key to blame
   * @throws IllegalArgumentException from {@link UserTable#of}, in core's "key = value: message" form
   */
  UserTable read(DataSource source, String path, String label, List<String> features) throws TableReadException;

  /** For loading a config without Spark: every user table is an error that says so. */
  TableReader NONE = (source, path, label, features) -> {
    throw new TableReadException("data.source", Names.of(source), "a " + Names.of(source) + " table is read with"
        + " Spark: load this config through overparam validate, plan or run");
  };
}
