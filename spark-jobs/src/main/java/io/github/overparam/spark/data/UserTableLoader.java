package io.github.overparam.spark.data;

import io.github.overparam.core.Names;
import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.UserTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Reads a user table with Spark on the driver: CSV with a header row (column types inferred) or
 * Parquet, from any Hadoop path. The rows are streamed to the driver one partition at a time into
 * primitive arrays; tables above {@link UserTable#MAX_ROWS} rows or {@link UserTable#MAX_CELLS}
 * numbers are refused before anything is collected. Every problem names its config key.
 */
public final class UserTableLoader implements TableReader {
  private final Supplier<SparkSession> spark;

  /** @param spark the session, started on first use (only configs with a user table need one) */
  public UserTableLoader(Supplier<SparkSession> spark) {
    this.spark = spark;
  }

  @Override
  public UserTable read(DataSource source, String path, String label, List<String> features)
      throws TableReadException {
    return load(spark.get(), source, path, label, features);
  }

  /** Reads the table (see {@link TableReader#read}). */
  public static UserTable load(SparkSession spark, DataSource source, String path, String label,
      List<String> features) throws TableReadException {
    if (!source.userTable()) {
      throw new IllegalArgumentException("not a table source: " + Names.of(source));
    }
    checkExists(spark, path);
    Dataset<Row> df;
    try {
      df = source == DataSource.CSV
          ? spark.read().option("header", "true").option("inferSchema", "true").option("mode", "FAILFAST").csv(path)
          : spark.read().parquet(path);
    } catch (Exception e) { // Spark's own exceptions are checked in Scala's sense only
      throw new TableReadException("data.path", path, "cannot be read as " + Names.of(source) + ": "
          + firstLine(e));
    }
    StructField[] fields = df.schema().fields();
    List<String> names = Arrays.stream(fields).map(StructField::name).toList();
    int labelIndex = names.indexOf(label);
    if (labelIndex < 0) {
      throw new TableReadException("data.label", label, "no such column in " + path + "; its columns are "
          + list(names));
    }
    List<String> chosen = features(path, fields, names, label, features);
    if (chosen.size() > UserTable.MAX_FEATURES) {
      throw new TableReadException("data.features", chosen.size() + " columns", "at most " + UserTable.MAX_FEATURES
          + " feature columns are allowed");
    }
    boolean numericLabel = fields[labelIndex].dataType() instanceof NumericType;
    List<Column> columns = new ArrayList<>();
    for (String f : chosen) {
      columns.add(functions.col(quoted(f)).cast("double"));
    }
    columns.add(functions.col(quoted(label)).cast(numericLabel ? "double" : "string"));
    Dataset<Row> selected = df.select(columns.toArray(Column[]::new));

    int d = chosen.size();
    try {
      long rows = selected.count();
      if (rows == 0) {
        throw new TableReadException("data.path", path, "the table has no rows");
      }
      UserTable.checkSize(rows, d);
      double[] x = new double[Math.toIntExact(rows * d)];
      double[] numeric = numericLabel ? new double[(int) rows] : null;
      String[] text = numericLabel ? null : new String[(int) rows];
      Iterator<Row> it = selected.toLocalIterator();
      int i = 0;
      while (it.hasNext()) {
        Row r = it.next();
        if (i == rows) {
          throw new TableReadException("data.path", path, "the table changed while it was read");
        }
        for (int j = 0; j < d; j++) {
          if (r.isNullAt(j)) {
            throw new TableReadException("data.features", chosen.get(j), "row " + (i + 1) + " has no number in this"
                + " column (an empty cell, or text where a number is expected): every feature must be a number");
          }
          double v = r.getDouble(j);
          if (!Double.isFinite(v)) {
            throw new TableReadException("data.features", chosen.get(j), "row " + (i + 1) + " holds " + v
                + ": every feature must be a finite number");
          }
          x[i * d + j] = v;
        }
        if (r.isNullAt(d)) {
          throw new TableReadException("data.label", label, "row " + (i + 1) + " has no label (an empty cell)");
        }
        if (numericLabel) {
          numeric[i] = r.getDouble(d);
          if (!Double.isFinite(numeric[i])) {
            throw new TableReadException("data.label", label, "row " + (i + 1) + " holds " + numeric[i]
                + ": a numeric label must be a finite number");
          }
        } else {
          text[i] = r.getString(d);
        }
        i++;
      }
      if (i != rows) {
        throw new TableReadException("data.path", path, "the table changed while it was read");
      }
      return UserTable.of(chosen, label, x, numeric, text);
    } catch (TableReadException | IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new TableReadException("data.path", path, "cannot be read as " + Names.of(source) + ": " + firstLine(e));
    }
  }

  private static void checkExists(SparkSession spark, String path) throws TableReadException {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new TableReadException("data.path", path, "no such file or folder (" + fs.makeQualified(p) + ")");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new TableReadException("data.path", path, "cannot be read: " + firstLine(e));
    }
  }

  /** The feature columns: the ones named, each checked, or every numeric column but the label. */
  private static List<String> features(String path, StructField[] fields, List<String> names, String label,
      List<String> requested) throws TableReadException {
    if (requested.isEmpty()) {
      List<String> all = new ArrayList<>();
      for (StructField f : fields) {
        if (!f.name().equals(label) && f.dataType() instanceof NumericType) {
          all.add(f.name());
        }
      }
      if (all.isEmpty()) {
        throw new TableReadException("data.features", null, "the table " + path + " has no numeric column besides"
            + " the label " + label + " (its columns: " + list(names) + ")");
      }
      return all;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String f : requested) {
      int index = names.indexOf(f);
      if (index < 0) {
        throw new TableReadException("data.features", f, "no such column in " + path + "; its columns are "
            + list(names));
      }
      if (f.equals(label)) {
        throw new TableReadException("data.features", f, "is the label column data.label; a feature cannot be the"
            + " label");
      }
      if (!(fields[index].dataType() instanceof NumericType)) {
        throw new TableReadException("data.features", f, "is not numeric (read as "
            + fields[index].dataType().simpleString() + "): features must be numbers");
      }
      if (!seen.add(f)) {
        throw new TableReadException("data.features", f, "is listed twice");
      }
    }
    return List.copyOf(seen);
  }

  private static String quoted(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  private static String list(List<String> names) {
    return names.size() <= 20 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 20)) + ", ... (" + names.size() + " in all)";
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
