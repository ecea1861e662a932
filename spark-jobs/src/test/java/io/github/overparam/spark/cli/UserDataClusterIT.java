package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.cluster.SharedCluster;
import io.github.overparam.spark.cluster.StandaloneCluster;
import io.github.overparam.spark.sweep.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user table on a real standalone cluster (the one the integration tests share, {@link
 * SharedCluster}): the driver (spark-submit, client mode) reads the CSV, its executors are other
 * JVMs that only know the table through the broadcast, and no run fails for want of its data (the
 * value-for-value equality of cluster and local tables is ClusterSweepIT's).
 */
@Tag("cluster")
class UserDataClusterIT {
  @RegisterExtension
  static final SharedCluster SHARED = new SharedCluster();
  @TempDir
  Path tmp;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES) // the shared cluster's start (at most 3 min) may come first
  void userTableReachesExecutorsInOtherJvms() throws Exception {
    StringBuilder csv = new StringBuilder("a,b,c,label\n");
    Random rng = new Random(11);
    for (int i = 0; i < 40; i++) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%d%n", a, b, rng.nextGaussian(),
          a * b > 0 ? 1 : 0));
    }
    Path table = tmp.resolve("table.csv");
    Files.writeString(table, csv.toString());
    Path config = tmp.resolve("user-cluster.yaml");
    Files.writeString(config, """
        sweep: user-cluster
        data: {source: csv, path: '%s', label: label, n: [10, 20], n_test: 10}
        model: {arch: two_layer, parameterization: standard, width: [16, 128]}
        train: {lr: 1.0, loss: logistic, max_steps: 500, target_loss: {absolute: 0.05}}
        seeds: 2
        record: {curve_points: 20}
        execution: {wave_size: 4}
        """.formatted(table));
    Path appJar = StandaloneCluster.appJar();
    Path clusterOut = tmp.resolve("cluster-out");
    StandaloneCluster cluster = SHARED.get();
    Path log = tmp.resolve("submit.log");
    // As generous as FaultToleranceIT's: at load average 20 to 30 on 2 cores, 4 minutes were too few.
    int code = cluster.runSparkSubmit(log, Duration.ofMinutes(5), List.of(
        "--class", "io.github.overparam.spark.cli.Main", appJar.toString(),
        "run", config.toString(), "--out", clusterOut.toString(), "--no-analyze"));
    String output = Files.readString(log);
    assertEquals(0, code, "spark-submit failed:\n" + output);
    assertTrue(output.contains("8/8 runs done"), output);
    assertTrue(output.contains("failed=0"), output);

    SparkSession spark = SparkSessions.create("local[1]", "read-back");
    try {
      Dataset<Row> runs = spark.read().parquet(clusterOut.resolve("user-cluster/runs").toString());
      assertEquals(8, runs.count());
      assertEquals(0, runs.where("status = 'failed' OR train_accuracy IS NULL OR data_note IS NULL").count(),
          "every run found its table on the executors");
    } finally {
      spark.stop();
    }
  }
}
