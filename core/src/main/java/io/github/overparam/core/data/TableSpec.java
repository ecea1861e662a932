package io.github.overparam.core.data;

import static io.github.overparam.core.Checks.atLeast;
import static io.github.overparam.core.Checks.notNull;
import static io.github.overparam.core.Checks.require;
import static io.github.overparam.core.Checks.requireText;

import io.github.overparam.core.Names;
import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A user table as a data spec refers to it: where it was read, which columns, how the label is
 * learned, how the rows are normalized, and the content hash of what was read. The numbers
 * themselves ({@link UserTable}) are found by that hash in the per-JVM registry {@link UserTables}.
 * The path and the hash are both part of the data spec's canonical form, so a changed file gives
 * new run ids and data set ids, and the same file always gives the same ones.
 *
 * @param path the table's location as written in the config (any Hadoop path)
 * @param label the label column
 * @param features the feature columns as configured; empty means every numeric column but the label
 * @param task how the label is learned
 * @param normalize what is done to the feature rows
 * @param hash {@link UserTable#hash()} of the table read, 64 hex characters
 * @param rows rows of the table
 * @param columns feature columns of the table (the input dimension before an input map)
 * @param classes the label values in class order (binary: the values mapped to -1 and +1), empty
 *     for regression
 */
public record TableSpec(String path, String label, List<String> features, TableTask task, Normalization normalize,
    String hash, int rows, int columns, List<String> classes) implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public TableSpec {
    notNull("data.path", path);
    notNull("data.label", label);
    notNull("data.task", task);
    notNull("data.normalize", normalize);
    features = List.copyOf(notNull("data.features", features));
    classes = List.copyOf(notNull("data.task", classes));
    requireText(!path.isBlank(), "data.path", path, "must be a file or folder path");
    requireText(!label.isBlank(), "data.label", label, "must be a column name");
    requireText(hash != null && HEX64.matcher(hash).matches(), "data.path", path, "content hash '" + hash
        + "' is not 64 hex characters");
    atLeast("data.rows", rows, 1);
    atLeast("data.features", columns, 1);
    switch (task) {
      case REGRESSION -> require(classes.isEmpty(), "data.task", task, "takes no classes");
      case BINARY -> require(classes.size() == 2, "data.task", task, "the label " + label + " has "
          + classes.size() + " distinct values, binary needs exactly 2");
      case CLASSES -> require(classes.size() >= 2, "data.task", task, "the label " + label + " has "
          + classes.size() + " distinct values, classes needs at least 2");
      default -> throw new IllegalStateException(task.toString());
    }
  }

  /** The spec of {@code table} read from {@code path} (the table's own label and task check apply). */
  public static TableSpec of(UserTable table, String path, List<String> features, TableTask task,
      Normalization normalize) {
    table.checkTask(task);
    return new TableSpec(path, table.labelName(), features, task, normalize, table.hash(), table.rows(),
        table.columns(), task == TableTask.REGRESSION ? List.of() : table.levels());
  }

  /** Number of outputs the labels need: k for classes, else 1. */
  public int outputs() {
    return task == TableTask.CLASSES ? classes.size() : 1;
  }

  /** A stable text form, part of the data spec's canonical form: never change a spelling. */
  public String canonical() {
    return "path=" + quote(path) + ";label=" + quote(label) + ";features="
        + (features.isEmpty() ? "*" : String.join(",", features.stream().map(TableSpec::quote).toList()))
        + ";task=" + Names.of(task) + ";normalize=" + Names.of(normalize) + ";sha256=" + hash;
  }

  /** What the run's record says about these inputs and labels. */
  public String note(DataSource source) {
    String labels = switch (task) {
      case REGRESSION -> "regression on its values as they are";
      case BINARY -> "binary, " + classes.get(0) + " -> -1, " + classes.get(1) + " -> +1";
      case CLASSES -> classes.size() + " classes, one output each, in the order "
          + (classes.size() <= 10 ? String.join(", ", classes) : String.join(", ", classes.subList(0, 10)) + ", ...");
    };
    // Recorded in runs.data_note, a group column: kept word for word as earlier versions wrote it, so
    // that a sweep resumed across versions stays one group.
    String inputs = normalize == Normalization.SPHERE
        ? "each feature centred by its mean over the table, then each row scaled to unit norm (normalize: sphere)"
        : "features as in the file, not normalised (normalize: none)";
    return Names.of(source) + " " + path + " (sha256 " + hash.substring(0, 16) + ", " + rows + " rows x " + columns
        + " features), label " + label + ": " + labels + "; " + inputs;
  }

  /** Quotes a name so that separators inside it cannot make two specs read alike. */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
