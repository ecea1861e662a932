package io.github.overparam.spark.config;

import io.github.overparam.core.Names;
import io.github.overparam.core.SpecException;
import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.data.Normalization;
import io.github.overparam.core.data.TableTask;
import io.github.overparam.spark.data.TableReadException;
import io.github.overparam.spark.data.TableReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user-table step ({@code data.source: csv | parquet}): checks the table keys, reads the table
 * through a {@link TableReader}, registers it in this JVM, and fills in the labels, the task and the
 * normalization; for any other source it rejects the table keys.
 */
final class UserTableStep {
  /** The data keys that only a user table takes. */
  private static final List<String> TABLE_KEYS = ConfigSchema.KEYS.stream().filter(ConfigKey::userTable).map(
      ConfigKey::path).toList();

  private final ConfigErrors errors;
  private final TableReader tables;

  UserTableStep(ConfigErrors errors, TableReader tables) {
    this.errors = errors;
    this.tables = tables;
  }

  @SuppressWarnings("unchecked")
  void apply(ParsedConfig parsed) {
    Map<String, Param> params = parsed.params;
    Param source = params.get("data.source");
    boolean user = source != null && source.values().stream().anyMatch(v -> ((DataSource) v).userTable());
    if (!user) {
      for (String k : TABLE_KEYS) {
        Param p = params.get(k);
        if (p != null) {
          errors.fail(p.path(), render(p.single()), "only with data.source csv or parquet (a user table)");
        }
      }
      return;
    }
    if (source.axis()) {
      errors.fail("data.source", render(source.values()), "csv and parquet cannot be values of a grid axis: a sweep"
          + " reads one user table");
      return;
    }
    DataSource src = (DataSource) source.single();
    Map<String, Object> data = parsed.resolved.get("data") instanceof Map<?, ?> m ? (Map<String, Object>) m
        : new LinkedHashMap<>();
    if (parsed.given.contains("data.d")) {
      errors.fail("data.d", render(params.get("data.d") == null ? null : params.get("data.d").values()),
          "not allowed with source " + Names.of(src) + ": d is the table's number of feature columns");
    }
    Param labels = params.get("data.labels");
    if (parsed.given.contains("data.labels")) {
      if (labels != null && !labels.values().equals(List.of(LabelKind.COLUMN))) {
        errors.fail("data.labels", render(labels.values()), "with source " + Names.of(src) + " the labels are the"
            + " column data.label: leave data.labels out (or write column)");
      }
    } else {
      params.put("data.labels", Param.single("data.labels", labels.key(), RunAssembly.tableLabels()));
      data.put("labels", Names.of(RunAssembly.tableLabels()));
    }
    for (String required : List.of("path", "label")) {
      if (!params.containsKey("data." + required)) {
        errors.fail("data." + required, null, "missing: required with source " + Names.of(src) + " ("
            + (required.equals("path") ? "the table's file or folder, any Hadoop path" : "the label column") + ")");
      }
    }
    if (!params.containsKey("data.path") || !params.containsKey("data.label")) {
      return;
    }
    String path = (String) params.get("data.path").single();
    String label = (String) params.get("data.label").single();
    List<String> features = params.containsKey("data.features")
        ? (List<String>) params.get("data.features").single() : List.of();
    try {
      parsed.table = tables.read(src, path, label, features);
    } catch (TableReadException e) {
      errors.fail(e.key(), e.value(), e.getMessage());
      return;
    } catch (SpecException e) {
      errors.add(ConfigErrors.of(e));
      errors.block();
      return;
    }
    if (!params.containsKey("data.task")) {
      TableTask task = RunAssembly.tableTask(parsed.table);
      params.put("data.task", Param.single("data.task", ConfigSchema.key("data.task"), task));
      data.put("task", Names.of(task));
    }
    for (Object task : params.get("data.task").values()) {
      try {
        parsed.table.checkTask((TableTask) task);
      } catch (SpecException e) {
        errors.add(ConfigErrors.of(e));
        errors.block();
      }
    }
    if (!params.containsKey("data.normalize")) {
      Normalization normalize = RunAssembly.tableNormalization();
      params.put("data.normalize", Param.single("data.normalize", ConfigSchema.key("data.normalize"), normalize));
      data.put("normalize", Names.of(normalize));
    }
    for (Object normalize : params.get("data.normalize").values()) {
      try {
        parsed.table.inputs((Normalization) normalize);
      } catch (SpecException e) {
        errors.add(ConfigErrors.of(e));
        errors.block();
      }
    }
  }

  /** A value or values as messages show them: enum constants in their config spelling. */
  static String render(Object value) {
    if (value instanceof List<?> list) {
      return list.size() == 1 ? render(list.get(0))
          : "[" + String.join(", ", list.stream().map(UserTableStep::render).toList()) + "]";
    }
    return value instanceof Enum<?> e ? Names.of(e) : String.valueOf(value);
  }
}
