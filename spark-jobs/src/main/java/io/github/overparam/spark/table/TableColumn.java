package io.github.overparam.spark.table;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

/**
 * One column of one table, declared once: the Spark schema, the rows, the analysis' groups, the
 * report's facets, {@code DESCRIBE}, {@code overparam schema} and the README's data dictionary all
 * derive from these declarations.
 *
 * @param name snake_case column name, with the unit in the name where it has one ({@code wall_ms})
 * @param type Spark SQL type
 * @param nullable whether the column may be null (missing numbers are null, never NaN)
 * @param role what the column holds
 * @param grouping how a spec column takes part in the analysis' groups ({@link Grouping#NONE} for
 *     the other roles)
 * @param unit the unit of a number, or "" where it has none
 * @param description one line: what the value means, for users of the table
 * @param canonicalKeys the fields of {@code RunSpec.canonical()} this column records (spec columns)
 * @param value reads the column's value from the row's source, as a Spark external value (null for
 *     missing); null for tables whose rows are built elsewhere
 * @param <S> what a row is built from
 */
public record TableColumn<S>(String name, DataType type, boolean nullable, Role role, Grouping grouping, String unit,
    String description, List<String> canonicalKeys, Function<S, Object> value) {

  /** Spark's key for a column comment: {@code DESCRIBE} shows it. */
  public static final String COMMENT = "comment";

  public TableColumn {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("column name '" + name + "': must be snake_case");
    }
    if (description == null || description.isBlank()) {
      throw new IllegalArgumentException("column " + name + ": needs a description");
    }
    canonicalKeys = List.copyOf(canonicalKeys);
  }

  /** The Spark field, with the description as its comment. */
  public StructField field() {
    return new StructField(name, type, nullable, new MetadataBuilder().putString(COMMENT, comment()).build());
  }

  /** The description with its unit, as {@code DESCRIBE} shows it. */
  public String comment() {
    return unit.isEmpty() ? description : description + " [" + unit + "]";
  }

  /** The same declaration read from another source (critical/ repeats the runs' group columns). */
  public <T> TableColumn<T> retarget(Function<T, Object> newValue) {
    return new TableColumn<>(name, type, nullable, role, grouping, unit, description, canonicalKeys, newValue);
  }
}
