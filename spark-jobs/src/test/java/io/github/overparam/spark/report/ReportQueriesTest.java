package io.github.overparam.spark.report;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.overparam.spark.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's aggregates on small hand-made runs/ and curves/ tables: the cells it counts once per
 * report (facets, labels, grid line, statuses, success, target), and the median loss curves with a
 * run that stopped early and one that starts late.
 */
class ReportQueriesTest {
  @RegisterExtension
  static final LocalSpark LOCAL = new LocalSpark(2);
  private static SparkSession spark;
  @TempDir
  static Path tmp;
  private Report report;

  private static final StructType RUNS = new StructType(new StructField[] {
      createStructField("run_id", StringType, false), createStructField("sweep", StringType, true),
      createStructField("seed", IntegerType, true), createStructField("n", IntegerType, true),
      createStructField("width", IntegerType, true), createStructField("depth", IntegerType, true),
      createStructField("lr", DoubleType, true), createStructField("status", StringType, true),
      createStructField("initial_loss", DoubleType, true), createStructField("target_kind", StringType, true),
      createStructField("target_value", DoubleType, true)});
  private static final StructType CURVES = new StructType(new StructField[] {
      createStructField("run_id", StringType, false), createStructField("step", IntegerType, false),
      createStructField("loss", DoubleType, true)});

  @BeforeAll
  static void start() {
    spark = LOCAL.session();
  }

  @AfterEach
  void dropViews() {
    report.dropViews();
  }

  /** A report on the given rows, its views registered as {@link Report#registerViews} would. */
  private Report report(List<Row> runs, List<Row> curves) throws Exception {
    report = new Report(spark, tmp.toString());
    spark.createDataFrame(runs, RUNS).createOrReplaceTempView(report.view("runs"));
    report.present.put("runs", true);
    if (curves != null) {
      spark.createDataFrame(curves, CURVES).createOrReplaceTempView(report.view("curves"));
      report.present.put("curves", true);
    }
    return report;
  }

  private static Row run(String id, int seed, Integer n, Integer width, Integer depth, Double lr, String status,
      String targetKind, Double target) {
    return RowFactory.create(id, "s", seed, n, width, depth, lr, status, 2.0, targetKind, target);
  }

  @Test
  void cellsGiveFacetsLabelsAxesStatusesAndSuccessAsSqlWould() throws Exception {
    List<Row> runs = new ArrayList<>();
    int id = 0;
    // lr varies (1e-4 and 0.5, whose texts differ from a naive format), depth is 2 or missing, n and
    // width cross; the run without n counts in the statuses but in no cell of the heat map.
    for (double lr : new double[] {1e-4, 0.5}) {
      for (Integer depth : new Integer[] {2, null}) {
        for (int n : new int[] {8, 16}) {
          for (int width : new int[] {4, 32}) {
            for (int seed = 0; seed < 3; seed++) {
              String status = width == 32 || seed == 0 ? "converged" : seed == 1 ? "max_steps" : "diverged";
              runs.add(run("r" + id++, seed, n, width, depth, lr, status, "relative", 1e-3));
            }
          }
        }
      }
    }
    runs.add(run("r" + id++, 0, null, 4, 2, 0.5, "failed", "relative", 1e-3));
    Report r = report(runs, null);
    RunCells cells = r.cells();

    assertEquals(List.of("depth", "lr"), cells.varying());
    // Each cell's label is the facet expression the SQL sections group by, value for value.
    ReportWriter.findFacets(r);
    Map<String, Long> byLabel = new TreeMap<>();
    for (RunCells.Cell c : cells.cells) {
      byLabel.merge(cells.label(c, r.facets), c.runs(), Long::sum);
    }
    Map<String, Long> bySql = new TreeMap<>();
    for (Row row : r.sql("SELECT " + r.facetExpr + ", count(*) FROM ${runs} GROUP BY 1")) {
      bySql.put(row.getString(0), row.getLong(1));
    }
    assertEquals(bySql, byLabel);
    assertEquals(4, byLabel.size());

    Map<String, List<Object>> axes = cells.axisValues();
    assertEquals(List.of(8, 16), axes.get("n"));
    assertEquals(List.of(4, 32), axes.get("width"));
    assertEquals(List.of(2), axes.get("depth"));
    assertEquals(List.of(1e-4, 0.5), axes.get("lr"));

    Map<String, Long> statuses = new LinkedHashMap<>();
    cells.statuses().forEach(e -> statuses.put(e.getKey(), e.getValue()));
    assertEquals(List.of("converged", "diverged", "max_steps", "failed"), new ArrayList<>(statuses.keySet()),
        "most frequent first, ties by name");
    assertEquals(List.of(32L, 8L, 8L, 1L), new ArrayList<>(statuses.values()));

    // Width 4: 1 of 3 seeds converged; width 32: all 3; per facet label, n and width.
    Map<String, Map<List<Integer>, long[]>> success = cells.success(r.facets, "converged");
    assertEquals(byLabel.keySet(), success.keySet());
    for (Map<List<Integer>, long[]> panel : success.values()) {
      assertEquals(List.of(List.of(8, 4), List.of(8, 32), List.of(16, 4), List.of(16, 32)), new ArrayList<>(
          panel.keySet()));
      assertArrayEquals(new long[] {1, 3}, panel.get(List.of(8, 4)));
      assertArrayEquals(new long[] {3, 3}, panel.get(List.of(16, 32)));
    }
    assertEquals(1e-3, cells.sharedRelativeTarget());
  }

  @Test
  void noSharedTargetWhenRunsDiffer() throws Exception {
    RunCells cells = report(List.of(run("a", 0, 8, 4, 1, 0.5, "converged", "relative", 1e-3), run("b", 1, 8, 4, 1,
        0.5, "converged", "relative", 1e-4)), null).cells();
    assertNull(cells.sharedRelativeTarget());
    assertEquals(List.of("target_value"), cells.varying(), "a target is a group column");
    RunCells absolute = report(List.of(run("a", 0, 8, 4, 1, 0.5, "converged", "absolute", 1e-3)), null).cells();
    assertNull(absolute.sharedRelativeTarget());
  }

  @Test
  void medianCurvesCarryAnEarlyStopForwardAndStartARunAtItsFirstPoint() throws Exception {
    List<Row> runs = List.of(run("a", 0, 8, 4, 1, 0.5, "max_steps", "relative", 1e-3),
        run("b", 1, 8, 4, 1, 0.5, "converged", "relative", 1e-3),
        run("c", 2, 8, 4, 1, 0.5, "max_steps", "relative", 1e-3),
        run("d", 3, 8, 4, 1, 0.5, "diverged", "relative", 1e-3),
        run("e", 4, 8, 4, 1, 0.5, "max_steps", "relative", 1e-3),
        run("f", 0, 16, 4, 1, 0.5, "max_steps", "relative", 1e-3));
    List<Row> curves = new ArrayList<>();
    // Relative losses (loss / initial loss 2): a at 0, 10, 20; b stops after step 10; c records step 5
    // too; d diverged (left out); e starts at step 10; f is another n (left out).
    double[][] points = {{0, 1.0, 10, 0.5, 20, 0.25}, {0, 1.0, 10, 0.125}, {0, 1.0, 5, 0.75, 10, 0.375, 20, 0.1875},
        {0, 1.0, 5, 8.0}, {10, 0.3125}, {0, 1.0, 50, 0.5}};
    String[] ids = {"a", "b", "c", "d", "e", "f"};
    for (int i = 0; i < ids.length; i++) {
      for (int p = 0; p < points[i].length; p += 2) {
        curves.add(RowFactory.create(ids[i], (int) points[i][p], 2 * points[i][p + 1]));
      }
    }
    List<Row> rows = new RunSections(report(runs, curves)).medianCurves("8");
    List<Integer> steps = new ArrayList<>();
    List<Double> medians = new ArrayList<>();
    for (Row row : rows) {
      assertEquals("", row.getString(0));
      assertEquals(8, row.getInt(1));
      assertEquals(4, row.getInt(2));
      steps.add(row.getInt(3));
      medians.add(row.getDouble(4));
    }
    assertEquals(List.of(0, 5, 10, 20), steps);
    // step 0: a, b, c at 1; step 5: a and b still at their step-0 value, c at 0.75; step 10: a 0.5,
    // b 0.125, c 0.375, e 0.3125; step 20: a 0.25, b 0.125 (carried), c 0.1875, e 0.3125 (carried).
    assertEquals(List.of(1.0, 1.0, (0.3125 + 0.375) / 2, (0.1875 + 0.25) / 2), medians);
  }
}
