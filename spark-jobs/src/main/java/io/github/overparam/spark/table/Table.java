package io.github.overparam.spark.table;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The tables of a sweep folder (docs/design.md section 4): each one's folder name, columns, key and
 * whether it is written in waves. Names are a contract.
 */
public enum Table {
  RUNS("one row per training run", RunsColumns.COLUMNS, List.of("run_id"), true), CURVES(
      "one row per (run, recorded step)", SweepColumns.CURVES, List.of("run_id", "step"), true), DATASETS(
          "one row per data set", SweepColumns.DATASETS, List.of("dataset_id"), true), CRITICAL(
              "one row per group of runs that share everything but width and seed", AnalysisColumns.CRITICAL,
              List.of("group_key"), false), FITS("one row per fitted scaling law", AnalysisColumns.FITS, List.of(
                  "quantity", "against", "group_key"), false), VERDICTS("one row per claim the sweep can speak to",
                      AnalysisColumns.VERDICTS, List.of("claim"), false);

  /** The partition column of the tables written in waves. */
  public static final String WAVE = "wave";

  /** {@code DESCRIBE}'s comment for {@link #WAVE}. */
  public static final String WAVE_COMMENT = "the wave that wrote the row (its folder wave=N; a column of the files once the folder is compacted)";

  private final String description;
  private final List<? extends TableColumn<?>> columns;
  private final List<String> keys;
  private final boolean waved;
  private final StructType schema;

  Table(String description, List<? extends TableColumn<?>> columns, List<String> keys, boolean waved) {
    this.description = description;
    this.columns = columns;
    this.keys = keys;
    this.waved = waved;
    this.schema = new StructType(columns.stream().map(TableColumn::field).toArray(StructField[]::new));
  }

  /** The folder and Spark SQL view name: runs, curves, ... */
  public String dir() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What one row is. */
  public String description() {
    return description;
  }

  /** The columns, in table order. */
  public List<? extends TableColumn<?>> columns() {
    return columns;
  }

  /** The explicit Spark schema, each field's description as its comment. */
  public StructType schema() {
    return schema;
  }

  /** The columns that identify a row. */
  public List<String> keys() {
    return keys;
  }

  /** Whether the table is written in {@code wave=N} folders, each committed on its own. */
  public boolean waved() {
    return waved;
  }

  /** The declared column of this name, if any. */
  public Optional<TableColumn<?>> column(String name) {
    for (TableColumn<?> c : columns) {
      if (c.name().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The table whose folder is {@code dir}, if any. */
  public static Optional<Table> named(String dir) {
    for (Table t : values()) {
      if (t.dir().equals(dir)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The tables written in waves. */
  public static List<Table> waveTables() {
    return List.of(values()).stream().filter(Table::waved).toList();
  }
}
