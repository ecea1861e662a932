package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.cluster.StandaloneCluster;
import io.github.overparam.spark.sweep.SparkSessions;
import io.github.overparam.spark.table.Table;
import io.github.overparam.spark.table.Tables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application jar submitted with SparkSubmit (client mode) to a real standalone cluster on
 * 127.0.0.1 (a Master and two Workers started from the project's dependency jars): the sweep
 * completes and its tables equal those of the embedded local mode, value for value.
 */
@Tag("cluster")
class ClusterSweepIT {
  @TempDir Path tmp;

  static final String CONFIG = """
      sweep: cluster-check
      data: {n: [8, 16], d: 5, labels: gaussian}
      model: {arch: two_layer, parameterization: du, width: [8, 64, 256]}
      train: {lr: 0.5, loss: half_sum_squared, max_steps: 1000, target_loss: {relative: 1.0e-3}}
      seeds: 3
      record: {curve_points: 30}
      execution: {wave_size: 6}
      """;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void submittedSweepEqualsLocalMode() throws Exception {
    Path config = tmp.resolve("cluster.yaml");
    Files.writeString(config, CONFIG);
    Path appJar = StandaloneCluster.appJar();
    Path clusterOut = tmp.resolve("cluster-out");
    try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2, 1, "1g")) {
      Path log = tmp.resolve("submit.log");
      int code = cluster.runSparkSubmit(log, Duration.ofMinutes(4), List.of(
          "--class", "io.github.overparam.spark.cli.Main", appJar.toString(),
          "run", config.toString(), "--out", clusterOut.toString()));
      String output = Files.readString(log);
      assertEquals(0, code, "spark-submit failed:\n" + output);
      assertTrue(output.contains("[wave 3/3] 18/18 runs done"), output);
      assertTrue(output.contains("spark://127.0.0.1"), "ran on the cluster:\n" + output);
    }

    Path localOut = tmp.resolve("local-out");
    StringWriter out = new StringWriter();
    int local = Main.execute(new String[] {"run", config.toString(), "--out", localOut.toString(),
        "--master", "local[2]"}, new PrintWriter(out, true), new PrintWriter(out, true));
    assertEquals(0, local, out.toString());

    SparkSession spark = SparkSessions.create("local[1]", "compare");
    try {
      for (String table : Table.waveTables().stream().map(Table::dir).toList()) {
        Dataset<Row> a = spark.read().parquet(clusterOut.resolve("cluster-check").resolve(table).toString())
            .drop(Tables.nondeterministicColumns().toArray(String[]::new));
        Dataset<Row> b = spark.read().parquet(localOut.resolve("cluster-check").resolve(table).toString())
            .drop(Tables.nondeterministicColumns().toArray(String[]::new));
        assertEquals(b.count(), a.count(), table);
        assertEquals(0, a.exceptAll(b).count(), table + ": cluster rows missing from local mode");
        assertEquals(0, b.exceptAll(a).count(), table + ": local rows missing from the cluster run");
      }
      assertEquals(18, spark.read().parquet(clusterOut.resolve("cluster-check/runs").toString()).count());
    } finally {
      spark.stop();
    }
  }
}
