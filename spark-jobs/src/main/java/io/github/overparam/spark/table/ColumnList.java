package io.github.overparam.spark.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.github.overparam.core.Names;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.config.ConfigKey;
import io.github.overparam.spark.config.ConfigKey.Recorded;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.types.DataType;

/** Builds a table's column declarations in order, one call per column. */
final class ColumnList<S> {
  private final List<TableColumn<S>> columns = new ArrayList<>();

  /** An identifier, never null. */
  ColumnList<S> id(String name, DataType type, String description, Function<S, Object> value) {
    return add(new TableColumn<>(name, type, false, Role.ID, Grouping.NONE, "", description, List.of(), value));
  }

  /** A spec column. */
  ColumnList<S> spec(String name, DataType type, Grouping grouping, String unit, String description,
      Function<S, Object> value) {
    return add(new TableColumn<>(name, type, true, Role.SPEC, grouping, unit, description, List.of(), value));
  }

  /** A measured value. */
  ColumnList<S> metric(String name, DataType type, String unit, String description, Function<S, Object> value) {
    return add(new TableColumn<>(name, type, true, Role.METRIC, Grouping.NONE, unit, description, List.of(), value));
  }

  /** Provenance. */
  ColumnList<S> provenance(String name, DataType type, String unit, String description, Function<S, Object> value) {
    return add(new TableColumn<>(name, type, true, Role.PROVENANCE, Grouping.NONE, unit, description, List.of(),
        value));
  }

  /** Marks the last column as never null. */
  ColumnList<S> required() {
    TableColumn<S> c = last();
    columns.set(columns.size() - 1, new TableColumn<>(c.name(), c.type(), false, c.role(), c.grouping(), c.unit(),
        c.description(), c.canonicalKeys(), c.value()));
    return this;
  }

  /** Names the fields of {@code RunSpec.canonical()} the last column records. */
  ColumnList<S> records(String... canonicalKeys) {
    TableColumn<S> c = last();
    columns.set(columns.size() - 1, new TableColumn<>(c.name(), c.type(), c.nullable(), c.role(), c.grouping(),
        c.unit(),
        c.description(), List.of(canonicalKeys), c.value()));
    return this;
  }

  /**
   * A spec column for each config key recorded as a column of its own ({@link ConfigKey#recordedAs}):
   * declared with its key, typed by the key's type, described by the key's doc, a group column.
   */
  ColumnList<S> configKeys(List<ConfigKey> keys, Function<S, RunSpec> spec) {
    for (ConfigKey k : keys) {
      Recorded r = k.recorded();
      DataType type = switch (k.type()) {
        case INT -> IntegerType;
        case NUMBER -> DoubleType;
        case BOOL -> BooleanType;
        case ENUM, TEXT -> StringType;
        default -> throw new IllegalStateException("config key " + k.path() + " of type " + k.type()
            + " cannot be recorded as a column");
      };
      spec(r.column(), type, Grouping.GROUP, "", k.doc() + " (config key " + k.path() + ")", s -> {
        Object v = r.value().apply(spec.apply(s));
        return v instanceof Enum<?> e ? Names.of(e) : v;
      });
      records(r.canonicalKey());
    }
    return this;
  }

  /** Adds already declared columns (the runs' group columns in critical/). */
  ColumnList<S> addAll(List<TableColumn<S>> more) {
    more.forEach(this::add);
    return this;
  }

  List<TableColumn<S>> build() {
    return Collections.unmodifiableList(new ArrayList<>(columns));
  }

  private ColumnList<S> add(TableColumn<S> c) {
    for (TableColumn<S> existing : columns) {
      if (existing.name().equals(c.name())) {
        throw new IllegalStateException("column " + c.name() + " declared twice");
      }
    }
    columns.add(c);
    return this;
  }

  private TableColumn<S> last() {
    return columns.get(columns.size() - 1);
  }
}
