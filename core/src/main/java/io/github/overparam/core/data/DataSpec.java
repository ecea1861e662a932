package io.github.overparam.core.data;

import static io.github.overparam.core.Checks.atLeast;
import static io.github.overparam.core.Checks.notNull;
import static io.github.overparam.core.Checks.require;
import static io.github.overparam.core.Checks.requireText;

import io.github.overparam.core.Names;
import java.io.Serializable;

/**
 * Everything that defines a data set apart from the seed. Together with a seed it determines every
 * input and label bit for bit.
 *
 * @param source where inputs come from
 * @param n number of training points, at least 1
 * @param d input dimension, at least 1 (at least 2 with the Allen-Zhu input map)
 * @param labels the labeling rule
 * @param randomLabels if true, the training labels are randomly permuted across inputs (Zhang et
 *     al. 2017): same marginal, no relation to x. Test labels keep the true rule.
 * @param teacherWidth width of the teacher network for teacher labels (ignored otherwise, kept 0)
 * @param nTest number of held-out test points drawn by the same rule, at least 0
 * @param inputMap map applied to the inputs
 * @param table the user table with source csv or parquet (then d is its feature count, plus 1 with
 *     the Allen-Zhu map, and labels are {@code column}); null otherwise
 */
public record DataSpec(
    DataSource source,
    int n,
    int d,
    LabelKind labels,
    boolean randomLabels,
    int teacherWidth,
    int nTest,
    InputMap inputMap,
    TableSpec table) implements Serializable {

  public DataSpec {
    notNull("data.source", source);
    notNull("data.labels", labels);
    notNull("data.input_map", inputMap);
    atLeast("data.n", n, 1);
    atLeast("data.d", d, inputMap == InputMap.ALLEN_ZHU ? 2 : 1);
    atLeast("data.n_test", nTest, 0);
    if (source == DataSource.DIGITS) {
      require(d == Digits.DIMENSION, "data.d", d, "the digits are 8 x 8 images, d must be " + Digits.DIMENSION);
      require(labels.digitsOnly(), "data.labels", labels,
          "with source digits the labels are digit_parity (even +1, odd -1) or digit (10 one-hot classes)");
      require(inputMap == InputMap.NONE, "data.input_map", inputMap, "with source digits only none is allowed");
      require((long) n + nTest <= Digits.SIZE, "data.n + data.n_test", (long) n + nTest,
          "the digits data set has " + Digits.SIZE + " images");
    } else if (!source.userTable()) {
      require(!labels.digitsOnly(), "data.labels", labels, "needs data.source digits");
    }
    if (source.userTable()) {
      notNull("data.path", table);
      require(labels == LabelKind.COLUMN, "data.labels", labels, "with source "
          + Names.of(source) + " the labels are the table's column data.label (labels: column)");
      int expected = table.columns() + (inputMap == InputMap.ALLEN_ZHU ? 1 : 0);
      require(d == expected, "data.d", d, "the table has " + table.columns() + " feature columns, so d is "
          + expected + (inputMap == InputMap.ALLEN_ZHU ? " with the Allen-Zhu map's extra coordinate" : ""));
      require((long) n + nTest <= table.rows(), "data.n", n, "n + n_test = " + ((long) n + nTest)
          + " but the table " + table.path() + " has " + table.rows() + " rows");
      require(inputMap == InputMap.NONE || table.normalize() == Normalization.SPHERE,
          "data.input_map", inputMap, "needs unit-norm rows, data.normalize sphere");
    } else {
      requireText(table == null, "data.path", table == null ? "" : table.path(), "only with data.source csv"
          + " or parquet");
      require(labels != LabelKind.COLUMN, "data.labels", labels, "needs data.source csv or parquet");
    }
    boolean teacher = labels == LabelKind.TEACHER || labels == LabelKind.TEACHER_SIGN;
    if (teacher) {
      atLeast("data.teacher_width", teacherWidth, 1);
    } else {
      require(teacherWidth == 0, "data.teacher_width", teacherWidth,
          "only allowed with labels teacher or teacher_sign");
    }
  }

  /** A spec without a user table (any source but csv and parquet). */
  public DataSpec(DataSource source, int n, int d, LabelKind labels, boolean randomLabels, int teacherWidth, int nTest,
      InputMap inputMap) {
    this(source, n, d, labels, randomLabels, teacherWidth, nTest, inputMap, null);
  }

  /** Unit-sphere inputs with the given labels, no test set, no input map. */
  public static DataSpec sphere(int n, int d, LabelKind labels) {
    return new DataSpec(DataSource.SPHERE, n, d, labels, false, 0, 0, InputMap.NONE);
  }

  public DataSpec withN(int newN) {
    return new DataSpec(source, newN, d, labels, randomLabels, teacherWidth, nTest, inputMap, table);
  }

  public DataSpec withTest(int newNTest) {
    return new DataSpec(source, n, d, labels, randomLabels, teacherWidth, newNTest, inputMap, table);
  }

  public DataSpec withRandomLabels(boolean random) {
    return new DataSpec(source, n, d, labels, random, teacherWidth, nTest, inputMap, table);
  }

  public DataSpec withInputMap(InputMap map) {
    return new DataSpec(source, n, table == null ? d : table.columns() + (map == InputMap.ALLEN_ZHU ? 1 : 0), labels,
        randomLabels, teacherWidth, nTest, map, table);
  }

  public static DataSpec teacher(int n, int d, int teacherWidth, boolean sign) {
    return new DataSpec(DataSource.SPHERE, n, d, sign ? LabelKind.TEACHER_SIGN : LabelKind.TEACHER,
        false, teacherWidth, 0, InputMap.NONE);
  }

  /** A stable text form: part of run ids and seeds, so never change the spelling of a field. */
  public String canonical() {
    return "source=" + Names.of(source) + ";n=" + n + ";d=" + d + ";labels=" + Names.of(labels)
        + ";random_labels=" + randomLabels + ";teacher_width=" + teacherWidth + ";n_test=" + nTest
        + ";input_map=" + Names.of(inputMap) + (table == null ? "" : ";table{" + table.canonical() + "}");
  }

  /** Whether the labels are classes (+-1 or one-hot), so that accuracy and class separation apply. */
  public boolean classes() {
    return table == null ? labels.classes() : table.task() != TableTask.REGRESSION;
  }

  /** Number of label columns k (the network's outputs): k classes one-hot, else 1. */
  public int outputs() {
    return table == null ? labels.outputs() : table.outputs();
  }

  /**
   * What the run's record says about where the inputs come from and how they were transformed; null
   * for synthetic data, whose canonical form says it all.
   */
  public String note() {
    if (table == null) {
      return null;
    }
    return table.note(source) + (inputMap == InputMap.ALLEN_ZHU
        ? "; then the Allen-Zhu map x = (u / sqrt 2, 1 / sqrt 2)" : "");
  }

  /** The canonical form without n and n_test: the identity of the input stream, so data sets nest in n. */
  String streamIdentity() {
    return "source=" + Names.of(source) + ";d=" + d + ";input_map=" + Names.of(inputMap);
  }
}
