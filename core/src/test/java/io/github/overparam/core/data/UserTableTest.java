package io.github.overparam.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunContext;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** User tables in core: canonical order and hash, normalization, splits, labels, validation. */
class UserTableTest {

  /** 4 rows x 2 features, text labels: rows (3, 0) no, (0, 4) yes, (1, 1) no, (2, 2) yes. */
  static UserTable small() {
    return UserTable.of(List.of("a", "b"), "y", new double[] {3, 0, 0, 4, 1, 1, 2, 2}, null,
        new String[] {"no", "yes", "no", "yes"});
  }

  static DataSpec spec(UserTable t, int n, int nTest, TableTask task, Normalization norm, InputMap map) {
    TableSpec ts = TableSpec.of(t, "mem://small.csv", List.of(), task, norm);
    return new DataSpec(DataSource.CSV, n, t.columns() + (map == InputMap.ALLEN_ZHU ? 1 : 0), LabelKind.COLUMN, false,
        0, nTest, map, ts);
  }

  @Test
  void rowsAreSortedAndTheHashIgnoresFileOrder() {
    UserTable t = small();
    // Sorted by features: (0, 4), (1, 1), (2, 2), (3, 0).
    assertEquals(0.0, t.feature(0, 0));
    assertEquals(4.0, t.feature(0, 1));
    assertEquals(3.0, t.feature(3, 0));
    assertEquals(List.of("no", "yes"), t.levels());
    assertEquals(1, t.classIndex(0));
    assertEquals(0, t.classIndex(1));
    assertEquals(64, t.hash().length());
    UserTable shuffled = UserTable.of(List.of("a", "b"), "y", new double[] {2, 2, 1, 1, 0, 4, 3, 0}, null,
        new String[] {"yes", "no", "yes", "no"});
    assertEquals(t.hash(), shuffled.hash());
    UserTable changed = UserTable.of(List.of("a", "b"), "y", new double[] {3, 0, 0, 4, 1, 1, 2, 2.5}, null,
        new String[] {"no", "yes", "no", "yes"});
    assertNotEquals(t.hash(), changed.hash());
    UserTable renamed = UserTable.of(List.of("a", "c"), "y", new double[] {3, 0, 0, 4, 1, 1, 2, 2}, null,
        new String[] {"no", "yes", "no", "yes"});
    assertNotEquals(t.hash(), renamed.hash());
    UserTable relabeled = UserTable.of(List.of("a", "b"), "y", new double[] {3, 0, 0, 4, 1, 1, 2, 2}, null,
        new String[] {"no", "yes", "yes", "yes"});
    assertNotEquals(t.hash(), relabeled.hash());
  }

  @Test
  void sphereNormalizationCentersByTheTableMeansThenScalesRows() {
    UserTable t = small();
    double[] x = t.inputs(Normalization.SPHERE);
    // Means (1.5, 1.75); sorted rows centered: (-1.5, 2.25), (-0.5, -0.75), (0.5, 0.25), (1.5, -1.75).
    double[][] centered = {{-1.5, 2.25}, {-0.5, -0.75}, {0.5, 0.25}, {1.5, -1.75}};
    for (int i = 0; i < 4; i++) {
      double norm = Math.sqrt(centered[i][0] * centered[i][0] + centered[i][1] * centered[i][1]);
      // One division and one sqrt per row: within 2 ulps of the exact quotient.
      assertEquals(centered[i][0] / norm, x[2 * i], 1e-15);
      assertEquals(centered[i][1] / norm, x[2 * i + 1], 1e-15);
    }
    assertArrayEquals(new double[] {0, 4, 1, 1, 2, 2, 3, 0}, t.inputs(Normalization.NONE));
    UserTable flat = UserTable.of(List.of("a"), "y", new double[] {1, 2, 3}, new double[] {0, 1, 2}, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> flat.inputs(Normalization.SPHERE));
    assertTrue(e.getMessage().startsWith("data.normalize = sphere: 1 of 3 rows equal the column means"),
        e.getMessage());
  }

  @Test
  void tasksFromTheLabelColumn() {
    assertEquals(TableTask.BINARY, small().defaultTask());
    UserTable numeric = UserTable.of(List.of("a"), "y", new double[] {1, 2, 3}, new double[] {0.5, 1, 2}, null);
    assertEquals(TableTask.REGRESSION, numeric.defaultTask());
    assertEquals(List.of("0.5", "1", "2"), numeric.levels());
    UserTable text3 = UserTable.of(List.of("a"), "y", new double[] {1, 2, 3}, null, new String[] {"x", "y", "z"});
    assertEquals(TableTask.CLASSES, text3.defaultTask());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> text3.checkTask(TableTask.BINARY));
    assertTrue(e.getMessage().startsWith("data.task = binary: the label column y has 3 distinct values"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> text3.checkTask(TableTask.REGRESSION));
    assertTrue(e.getMessage().startsWith("data.task = regression: the label column y is not numeric"),
        e.getMessage());
  }

  @Test
  void badNumbersNameTheColumn() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserTable.of(List.of("a", "b"),
        "y", new double[] {1, 2, 3, Double.NaN}, new double[] {0, 1}, null));
    assertTrue(e.getMessage().startsWith("data.features = b: value NaN in row 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> UserTable.of(List.of("a"), "y", new double[] {1, 2},
        new double[] {0, Double.POSITIVE_INFINITY}, null));
    assertTrue(e.getMessage().startsWith("data.label = y: value Infinity in row 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> UserTable.checkSize(200_001, 1));
    assertTrue(e.getMessage().startsWith("data.path = (200001 rows x 1 features): too large"), e.getMessage());
  }

  @Test
  void splitsNestInNAndLabelsAreSigned() {
    // 40 rows on a line through the origin; label = the sign of the first feature.
    int rows = 40;
    double[] x = new double[rows * 3];
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      x[3 * i] = i - 19.5;
      x[3 * i + 1] = Math.sqrt(i + 1.0);
      x[3 * i + 2] = 1.0;
      y[i] = i < 20 ? 0 : 1;
    }
    UserTable t = UserTable.of(List.of("u", "v", "w"), "cls", x, y, null);
    UserTables tables = new UserTables();
    tables.register(t);
    Dataset big = Datasets.generate(spec(t, 30, 10, TableTask.BINARY, Normalization.SPHERE, InputMap.NONE), 3, tables);
    Dataset small = Datasets.generate(spec(t, 12, 10, TableTask.BINARY, Normalization.SPHERE, InputMap.NONE), 3,
        tables);
    assertArrayEquals(Arrays.copyOf(big.xTrain().data, 12 * 3), small.xTrain().data);
    assertArrayEquals(big.xTest().data, small.xTest().data);
    assertTrue(big.classes());
    // Train and test are disjoint and together are the whole table: every row once.
    Set<String> seen = new HashSet<>();
    double[] all = t.inputs(Normalization.SPHERE);
    List<double[]> parts = List.of(big.xTrain().data, big.xTest().data);
    List<double[]> labels = List.of(big.yTrain().data, big.yTest().data);
    for (int p = 0; p < 2; p++) {
      for (int i = 0; i < parts.get(p).length / 3; i++) {
        double u = parts.get(p)[3 * i];
        double norm2 = u * u + parts.get(p)[3 * i + 1] * parts.get(p)[3 * i + 1]
            + parts.get(p)[3 * i + 2] * parts.get(p)[3 * i + 2];
        assertEquals(1.0, norm2, 1e-12);
        int row = rowOf(all, parts.get(p), i);
        assertTrue(seen.add("row" + row), "row " + row + " drawn twice");
        // Sorted rows: rows 0..19 have class 0 (label -1), rows 20..39 class 1 (+1).
        assertEquals(row < 20 ? -1.0 : 1.0, labels.get(p)[i]);
      }
    }
    assertEquals(rows, seen.size());
    Dataset otherSeed = Datasets.generate(spec(t, 30, 10, TableTask.BINARY, Normalization.SPHERE, InputMap.NONE), 4,
        tables);
    assertFalse(Arrays.equals(big.xTrain().data, otherSeed.xTrain().data));

    // random_labels permutes the training labels across the same inputs (Zhang et al.).
    Dataset random = Datasets.generate(spec(t, 30, 10, TableTask.BINARY, Normalization.SPHERE,
        InputMap.NONE).withRandomLabels(true), 3, tables);
    assertArrayEquals(big.xTrain().data, random.xTrain().data);
    assertArrayEquals(big.yTest().data, random.yTest().data);
    double[] sortedTrue = big.yTrain().data.clone();
    double[] sortedRandom = random.yTrain().data.clone();
    Arrays.sort(sortedTrue);
    Arrays.sort(sortedRandom);
    assertArrayEquals(sortedTrue, sortedRandom);
    assertFalse(Arrays.equals(big.yTrain().data, random.yTrain().data));

    Dataset regression = Datasets.generate(spec(t, 40, 0, TableTask.REGRESSION, Normalization.NONE, InputMap.NONE), 3,
        tables);
    assertFalse(regression.classes());
    for (int i = 0; i < 40; i++) {
      int row = rowOf(t.inputs(Normalization.NONE), regression.xTrain().data, i);
      assertEquals(t.numericLabel(row), regression.yTrain().get(i, 0));
      assertEquals(t.feature(row, 0), regression.xTrain().get(i, 0));
    }

    // x / sqrt 2 is computed as x * (1 / sqrt 2): two roundings, within 2 ulps (< 1e-15 for |x| <= 1).
    Dataset az = Datasets.generate(spec(t, 30, 10, TableTask.BINARY, Normalization.SPHERE, InputMap.ALLEN_ZHU), 3,
        tables);
    assertEquals(4, az.d());
    for (int i = 0; i < 30; i++) {
      assertEquals(1 / Math.sqrt(2), az.xTrain().get(i, 3), 1e-15);
      for (int j = 0; j < 3; j++) {
        assertEquals(big.xTrain().get(i, j) / Math.sqrt(2), az.xTrain().get(i, j), 1e-15);
      }
    }
  }

  private static int rowOf(double[] table, double[] part, int i) {
    for (int r = 0; r < table.length / 3; r++) {
      if (table[3 * r] == part[3 * i] && table[3 * r + 1] == part[3 * i + 1] && table[3 * r + 2] == part[3 * i + 2]) {
        return r;
      }
    }
    throw new AssertionError("row not in the table");
  }

  @Test
  void specValidationNamesTheKey() {
    UserTable t = small();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> spec(t, 3, 2, TableTask.BINARY, Normalization.SPHERE, InputMap.NONE));
    assertTrue(e.getMessage().startsWith("data.n = 3: n + n_test = 5 but the table mem://small.csv has 4 rows"),
        e.getMessage());
    TableSpec ts = TableSpec.of(t, "x.csv", List.of(), TableTask.BINARY, Normalization.SPHERE);
    e = assertThrows(IllegalArgumentException.class, () -> new DataSpec(DataSource.CSV, 2, 2, LabelKind.GAUSSIAN,
        false, 0, 0, InputMap.NONE, ts));
    assertTrue(e.getMessage().startsWith("data.labels = gaussian"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new DataSpec(DataSource.CSV, 2, 5, LabelKind.COLUMN,
        false, 0, 0, InputMap.NONE, ts));
    assertTrue(e.getMessage().startsWith("data.d = 5: the table has 2 feature columns"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new DataSpec(DataSource.CSV, 2, 2, LabelKind.COLUMN,
        false, 0, 0, InputMap.NONE, null));
    assertTrue(e.getMessage().startsWith("data.path is missing"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new DataSpec(DataSource.SPHERE, 2, 2, LabelKind.GAUSSIAN,
        false, 0, 0, InputMap.NONE, ts));
    assertTrue(e.getMessage().contains("only with data.source csv or parquet"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TableSpec.of(t, "x.csv", List.of(), TableTask.REGRESSION, Normalization.SPHERE));
    assertTrue(e.getMessage().startsWith("data.task = regression"), e.getMessage());
  }

  @Test
  void idsFollowPathAndContentAndRunsTrain() {
    UserTable t = small();
    UserTables tables = new UserTables();
    tables.register(t);
    DataSpec a = spec(t, 3, 1, TableTask.BINARY, Normalization.SPHERE, InputMap.NONE);
    DataSpec same = spec(small(), 3, 1, TableTask.BINARY, Normalization.SPHERE, InputMap.NONE);
    assertEquals(a.canonical(), same.canonical());
    assertEquals(Datasets.id(0, a), Datasets.id(0, same));
    assertTrue(a.canonical().contains("sha256=" + t.hash()), a.canonical());
    UserTable changed = UserTable.of(List.of("a", "b"), "y", new double[] {3, 0, 0, 4, 1, 1, 2, 2.5}, null,
        new String[] {"no", "yes", "no", "yes"});
    assertNotEquals(Datasets.id(0, a), Datasets.id(0, spec(changed, 3, 1, TableTask.BINARY, Normalization.SPHERE,
        InputMap.NONE)));
    DataSpec moved = new DataSpec(DataSource.CSV, 3, 2, LabelKind.COLUMN, false, 0, 1, InputMap.NONE,
        TableSpec.of(t, "elsewhere.csv", List.of(), TableTask.BINARY, Normalization.SPHERE));
    assertNotEquals(Datasets.id(0, a), Datasets.id(0, moved));
    assertTrue(a.note().contains("label y: binary, no -> -1, yes -> +1"), a.note());
    assertTrue(a.note().contains("scaled to unit norm (normalize: sphere)"), a.note());

    RunSpec run = new RunSpec(a, ModelSpec.du(64), TrainSpec.gd(0.5, Loss.LOGISTIC, 200, TargetLoss.relative(1e-3)),
        new RecordSpec(10, true, 100), 0);
    RunResult r = Runs.execute(run, new RunContext(tables));
    assertNotEquals(Status.FAILED, r.status(), r.outcome().error());
    assertFalse(Double.isNaN(r.generalization().trainAccuracy()));
    assertFalse(Double.isNaN(r.generalization().testAccuracy()));
  }

  @Test
  void classesAreOneHotAndTrainByCrossEntropy() {
    // 30 points in 2-D, three classes by angle sector; text labels.
    double[] x = new double[60];
    String[] kinds = new String[30];
    for (int i = 0; i < 30; i++) {
      double angle = 2 * Math.PI * (i + 0.5) / 30;
      x[2 * i] = Math.cos(angle) * (1 + 0.1 * (i % 3));
      x[2 * i + 1] = Math.sin(angle) * (1 + 0.1 * (i % 3));
      kinds[i] = i < 10 ? "cat" : i < 20 ? "dog" : "emu";
    }
    UserTable t = UserTable.of(List.of("p", "q"), "kind", x, null, kinds);
    UserTables tables = new UserTables();
    tables.register(t);
    assertEquals(TableTask.CLASSES, t.defaultTask());
    DataSpec s = spec(t, 20, 10, TableTask.CLASSES, Normalization.SPHERE, InputMap.NONE);
    assertEquals(3, s.outputs());
    assertTrue(s.note().contains("label kind: 3 classes, one output each, in the order cat, dog, emu"), s.note());
    Dataset ds = Datasets.generate(s, 1, tables);
    for (int i = 0; i < 20; i++) {
      double sum = 0;
      for (int k = 0; k < 3; k++) {
        double v = ds.yTrain().get(i, k);
        assertTrue(v == 0.0 || v == 1.0);
        sum += v;
      }
      assertEquals(1.0, sum, "one-hot row");
    }
    ModelSpec model = new ModelSpec(Arch.TWO_LAYER,
        Parameterization.STANDARD, Activation.RELU, 64,
        1, true);
    RunResult r = Runs.execute(new RunSpec(s, model, TrainSpec.gd(0.5, Loss.CROSS_ENTROPY, 2000,
        TargetLoss.absolute(0.05)), new RecordSpec(10, false, 0), 1), new RunContext(tables));
    assertNotEquals(Status.FAILED, r.status(), r.outcome().error());
    assertTrue(r.generalization().trainAccuracy() > 0.9, "train accuracy " + r.generalization().trainAccuracy());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunSpec(s, model,
        TrainSpec.gd(0.5, Loss.LOGISTIC, 10, TargetLoss.absolute(0.05)), new RecordSpec(10, false, 0), 1));
    assertTrue(e.getMessage().contains("not data.task classes"), e.getMessage());
  }

  @Test
  void anUnregisteredTableIsAFailedRunNamingIt() {
    UserTable never = UserTable.of(List.of("q"), "y", new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4.25}, null);
    DataSpec d = new DataSpec(DataSource.PARQUET, 3, 1, LabelKind.COLUMN, false, 0, 0, InputMap.NONE,
        TableSpec.of(never, "hdfs:///t.parquet", List.of(), TableTask.REGRESSION, Normalization.SPHERE));
    RunResult r = Runs.execute(new RunSpec(d, ModelSpec.du(8),
        TrainSpec.gd(0.5, Loss.HALF_SUM_SQUARED, 10, TargetLoss.relative(1e-3)), new RecordSpec(10, false, 100), 0));
    assertEquals(Status.FAILED, r.status());
    assertTrue(r.outcome().error().contains("user table sha256 " + never.hash() + " is not loaded in this JVM"),
        r.outcome().error());
  }
}
