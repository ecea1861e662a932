package io.github.overparam.spark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.data.Normalization;
import io.github.overparam.core.data.TableTask;
import io.github.overparam.core.data.UserTable;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.LocalSpark;
import io.github.overparam.spark.config.ConfigError;
import io.github.overparam.spark.config.ConfigException;
import io.github.overparam.spark.config.ConfigLoader;
import io.github.overparam.spark.config.SweepConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * User tables read with a real local Spark from real CSV and Parquet files: exact values after
 * loading and normalization, run ids that follow the file's content, and every bad input named by
 * its config key.
 */
class UserTableLoaderTest {
  @RegisterExtension
  static final LocalSpark LOCAL = new LocalSpark(1);
  private static SparkSession spark;
  @TempDir
  static Path tmp;

  /** Rows (3, 0) no, (0, 4) yes, (1, 1) no, (2, 2) yes, with a text id column that is not a feature. */
  static final String CSV = """
      name,a,b,y
      r1,3,0,no
      r2,0,4,yes
      r3,1,1,no
      r4,2,2,yes
      """;

  @BeforeAll
  static void start() {
    spark = LOCAL.session();
  }

  private static Path write(String name, String text) throws Exception {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static SweepConfig load(String data, String... overrides) throws ConfigException {
    String yaml = "sweep: user\ndata: " + data + "\n"
        + "model: {arch: two_layer, parameterization: du, width: [8, 16]}\n"
        + "train: {lr: 0.5, loss: half_sum_squared, max_steps: 10}\nseeds: 2\n";
    return ConfigLoader.load(yaml, List.of(overrides), new UserTableLoader(() -> spark));
  }

  private static List<ConfigError> errors(String data, String... overrides) {
    return assertThrows(ConfigException.class, () -> load(data, overrides)).errors();
  }

  private static void assertError(List<ConfigError> errors, String path, String fragment) {
    assertTrue(errors.stream().anyMatch(e -> e.path().equals(path) && e.toString().contains(fragment)),
        "expected an error at " + path + " saying '" + fragment + "', got " + errors);
  }

  @Test
  void csvAndParquetGiveTheSameTableWithExactValues() throws Exception {
    Path csv = write("small.csv", CSV);
    UserTable fromCsv = UserTableLoader.load(spark, DataSource.CSV, csv.toString(), "y", List.of());
    assertEquals(List.of("a", "b"), fromCsv.featureNames(), "the text column is not a feature");
    assertEquals(4, fromCsv.rows());
    assertEquals(List.of("no", "yes"), fromCsv.levels());
    assertEquals(TableTask.BINARY, fromCsv.defaultTask());
    UserTable direct = UserTable.of(List.of("a", "b"), "y", new double[] {3, 0, 0, 4, 1, 1, 2, 2}, null,
        new String[] {"no", "yes", "no", "yes"});
    assertEquals(direct.hash(), fromCsv.hash(), "the same numbers give the same content hash");

    StructType schema = new StructType().add("b", DataTypes.DoubleType).add("y", DataTypes.StringType).add("a",
        DataTypes.DoubleType);
    List<Row> rows = List.of(RowFactory.create(2.0, "yes", 2.0), RowFactory.create(0.0, "no", 3.0),
        RowFactory.create(4.0, "yes", 0.0), RowFactory.create(1.0, "no", 1.0));
    String parquet = tmp.resolve("small.parquet").toString();
    spark.createDataFrame(rows, schema).repartition(2).write().parquet(parquet);
    UserTable fromParquet = UserTableLoader.load(spark, DataSource.PARQUET, parquet, "y", List.of("a", "b"));
    assertEquals(direct.hash(), fromParquet.hash(), "row order, column order and partitioning do not matter");

    // The whole table as the training set, normalized: centered by the means (1.5, 1.75), unit rows.
    SweepConfig c = load("{source: csv, path: '" + csv + "', label: y, n: 4}");
    DataSpec spec = c.runs().get(0).data();
    assertEquals(2, spec.d());
    assertEquals(LabelKind.COLUMN, spec.labels());
    assertEquals(TableTask.BINARY, spec.table().task());
    assertEquals(Normalization.SPHERE, spec.table().normalize());
    Dataset ds = Datasets.generate(spec, 0, c.tables());
    Set<String> got = new TreeSet<>();
    for (int i = 0; i < 4; i++) {
      got.add(String.format("%.15f %.15f %+.0f", ds.xTrain().get(i, 0), ds.xTrain().get(i, 1), ds.yTrain().get(i, 0)));
    }
    Set<String> expected = new TreeSet<>();
    double[][] centered = {{1.5, -1.75, -1}, {-1.5, 2.25, 1}, {-0.5, -0.75, -1}, {0.5, 0.25, 1}};
    for (double[] r : centered) {
      double norm = Math.hypot(r[0], r[1]);
      expected.add(String.format("%.15f %.15f %+.0f", r[0] / norm, r[1] / norm, r[2]));
    }
    assertEquals(expected, got, "rows after centering and scaling to unit norm (15 decimals), labels no -1 / yes +1");
    assertTrue(spec.note().startsWith("csv " + csv + " (sha256 " + direct.hash().substring(0, 16)), spec.note());
  }

  @Test
  void runIdsFollowTheFileContentNotItsRowOrder() throws Exception {
    Path csv = write("ids.csv", CSV);
    String data = "{source: csv, path: '" + csv + "', label: y, n: [2, 3], n_test: 1}";
    List<String> first = load(data).runs().stream().map(RunSpec::runId).toList();
    assertEquals(2 * 2 * 2, first.size());
    assertEquals(first, load(data).runs().stream().map(RunSpec::runId).toList(), "the same file, the same ids");
    Files.writeString(csv, "name,a,b,y\nr4,2,2,yes\nr3,1,1,no\nr2,0,4,yes\nr1,3,0,no\n");
    assertEquals(first, load(data).runs().stream().map(RunSpec::runId).toList(), "rows reordered, the same ids");
    String firstDataset = Datasets.id(0, load(data).runs().get(0).data());
    Files.writeString(csv, CSV.replace("r4,2,2,yes", "r4,2,2.5,yes"));
    SweepConfig changed = load(data);
    List<String> after = changed.runs().stream().map(RunSpec::runId).toList();
    assertEquals(first.size(), after.size());
    assertTrue(after.stream().noneMatch(first::contains), "a changed file gives new run ids");
    assertNotEquals(firstDataset, Datasets.id(0, changed.runs().get(0).data()), "and new data set ids");
    // The resolved config names the task and normalization it used, and loads again to the same runs.
    assertTrue(changed.resolvedYaml().contains("task: binary"), changed.resolvedYaml());
    SweepConfig again = ConfigLoader.load(changed.resolvedYaml(), List.of(), new UserTableLoader(() -> spark));
    assertEquals(after, again.runs().stream().map(RunSpec::runId).toList());
  }

  @Test
  void badTablesNameTheirKey() throws Exception {
    Path csv = write("bad.csv", CSV);
    String ok = "{source: csv, path: '" + csv + "', label: y, n: 3}";
    assertError(errors(ok.replace(csv.toString(), tmp.resolve("nope.csv").toString())), "data.path",
        "no such file or folder");
    assertError(errors(ok.replace("label: y", "label: z")), "data.label", "no such column");
    assertError(errors(ok.replace("label: y", "label: y, features: [a, name]")), "data.features",
        "value name: is not numeric");
    assertError(errors(ok.replace("label: y", "label: y, features: [a, c]")), "data.features", "no such column");
    assertError(errors(ok.replace("label: y", "label: y, features: []")), "data.features", "an empty list");
    assertError(errors(ok.replace("n: 3", "n: 3, n_test: 2")), "data.n", "the table " + csv + " has 4 rows");
    assertError(errors(ok.replace("label: y", "label: y, task: regression")), "data.task", "is not numeric");
    assertError(errors(ok.replace("label: y", "label: y, task: classes"), "train.loss=logistic"), "train.loss",
        "or data.task binary), not data.task classes");
    assertError(errors(ok, "train.loss=cross_entropy"), "train.loss", "or data.task classes), not data.task binary");
    assertEquals(2, load(ok.replace("label: y", "label: y, task: classes"), "train.loss=cross_entropy").runs().get(
        0).data().outputs(), "two classes one-hot");
    assertError(errors(ok.replace("label: y", "label: a, features: [b], task: binary")), "data.task",
        "has 4 distinct values, binary needs exactly 2");
    assertError(errors(ok.replace("n: 3", "n: 3, d: 2")), "data.d", "not allowed with source csv");
    assertError(errors(ok.replace("n: 3", "n: 3, labels: sign")), "data.labels", "the labels are the column");
    assertError(errors(ok.replace(", path: '" + csv + "'", "")), "data.path", "missing");
    assertError(errors(ok.replace("source: csv", "source: [csv, sphere]")), "data.source", "one user table");
    assertError(errors("{n: 3, d: 2, label: y}"), "data.label", "only with data.source csv or parquet");
    assertError(errors(ok.replace("source: csv", "source: parquet")), "data.path", "cannot be read as parquet");

    Path empty = write("empty-cell.csv", "a,b,y\n1,2,0\n3,,1\n5,6,0\n");
    assertError(errors(ok.replace(csv.toString(), empty.toString())), "data.features",
        "value b: row 2 has no number in this column");
    Path noLabel = write("no-label.csv", "a,b,y\n1,2,0\n3,4,\n5,6,1\n");
    assertError(errors(ok.replace(csv.toString(), noLabel.toString())), "data.label", "row 2 has no label");
    Path flat = write("flat.csv", "a,y\n1,0\n2,1\n3,0\n");
    assertError(errors(ok.replace(csv.toString(), flat.toString())), "data.normalize",
        "1 of 3 rows equal the column means");
    assertEquals(3, load(ok.replace(csv.toString(), flat.toString()).replace("n: 3",
        "n: 3, normalize: none")).runs().get(0).data().n());

    String nan = tmp.resolve("nan.parquet").toString();
    spark.createDataFrame(List.of(RowFactory.create(1.0, 0), RowFactory.create(Double.NaN, 1),
        RowFactory.create(2.0, 1)), new StructType().add("a", DataTypes.DoubleType).add("y",
            DataTypes.IntegerType)).coalesce(1).write().parquet(nan);
    assertError(errors("{source: parquet, path: '" + nan + "', label: y, n: 2}"), "data.features",
        "value a: row 2 holds NaN");

    StringBuilder big = new StringBuilder("a,y\n");
    for (int i = 0; i <= UserTable.MAX_ROWS; i++) {
      big.append(i).append(',').append(i % 2).append('\n');
    }
    Path tooBig = write("big.csv", big.toString());
    assertError(errors(ok.replace(csv.toString(), tooBig.toString())), "data.path",
        "200001 rows x 1 features): too large");
  }

  @Test
  void withoutSparkAUserTableIsAClearError() {
    List<ConfigError> errors = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        "sweep: s\ndata: {source: csv, path: x.csv, label: y, n: 3}\n"
            + "model: {arch: two_layer, parameterization: du, width: 8}\n"
            + "train: {lr: 0.5, loss: half_sum_squared, max_steps: 10}\n", List.of())).errors();
    assertError(errors, "data.source", "is read with Spark");
  }
}
