package io.github.overparam.spark.table;

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
