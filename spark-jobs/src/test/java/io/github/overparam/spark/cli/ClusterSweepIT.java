package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.overparam.spark.cluster.SharedCluster;
import io.github.overparam.spark.cluster.StandaloneCluster;
import io.github.overparam.spark.cluster.StandaloneCluster.DeployMode;
import io.github.overparam.spark.cluster.SweepFolders;
import io.github.overparam.spark.sweep.SparkSessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application jar of the Spark line under test (the build's profile: 4.2 / Scala 2.13 by default,
 * {@code -Pspark-3.5_2.12}, {@code -Pspark-3.5_2.13}, {@code -Pspark-4.1}) submitted with SparkSubmit
 * to a real standalone cluster of exactly that Spark version on 127.0.0.1 (the shared Master and
 * Workers started from the build's own Spark jars, {@link SharedCluster}), in client and in cluster
 * deploy mode: each sweep completes and its tables equal those of the embedded local mode, value for
 * value. The two submissions run side by side on the cluster while this JVM computes the local-mode
 * references; this is the test CI runs once per line.
 *
 * <p>The client-mode sweep trains on a user table (a CSV file): the driver, SparkSubmit's JVM, reads
 * it; the executors are other JVMs that know the table only through the broadcast, and no run fails
 * for want of its data. The cluster-mode sweep trains on generated data.
 */
@Tag("cluster")
class ClusterSweepIT {
  /** The cluster-mode sweep: generated data, 18 runs in 3 waves. */
  static final String CONFIG = """
      sweep: cluster-check
      data: {n: [8, 16], d: 5, labels: gaussian}
      model: {arch: two_layer, parameterization: du, width: [8, 64, 256]}
      train: {lr: 0.5, loss: half_sum_squared, max_steps: 1000, target_loss: {relative: 1.0e-3}}
      seeds: 3
      record: {curve_points: 30}
      execution: {wave_size: 6}
      """;
  /** The client-mode sweep: a user table (%s: the CSV file), 8 runs in 2 waves. */
  static final String USER_CONFIG = """
      sweep: user-cluster
      data: {source: csv, path: '%s', label: label, n: [10, 20], n_test: 10}
      model: {arch: two_layer, parameterization: standard, width: [16, 128]}
      train: {lr: 1.0, loss: logistic, max_steps: 500, target_loss: {absolute: 0.05}}
      seeds: 2
      record: {curve_points: 20}
      execution: {wave_size: 4}
      """;

  /** Generous: on a loaded 2-core machine executors take a minute to start and the sweep 10x longer. */
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(9);
  private static final String MAIN = "io.github.overparam.spark.cli.Main";

  @RegisterExtension
  static final SharedCluster SHARED = new SharedCluster();
  @TempDir
  static Path tmp;
  private static Path config;
  private static Path userConfig;
  private static Path localOut;
  private static StandaloneCluster cluster;
  private static SparkSession spark;
  private static Process clientSubmit;
  private static Process clusterSubmit;

  @BeforeAll
  static void submitBothAndComputeTheLocalReference() throws IOException {
    config = Files.writeString(tmp.resolve("cluster.yaml"), CONFIG);
    userConfig = Files.writeString(tmp.resolve("user-cluster.yaml"), USER_CONFIG.formatted(userTable(
        tmp.resolve("table.csv"))));
    cluster = SHARED.get();
    String expected = System.getProperty("overparam.spark.version", StandaloneCluster.sparkVersion());
    assertEquals(expected, cluster.masterSparkVersion(), "the cluster runs the Spark version under test");
    // 3 workers x 2 cores: the client application's two executors, and in cluster mode a Worker's
    // core for the driver and two more for its executors, all at once.
    clientSubmit = cluster.startSparkSubmit(tmp.resolve("client-submit.log"), DeployMode.CLIENT, List.of(
        "--conf", "spark.cores.max=2", "--conf", "spark.sql.shuffle.partitions=4", "--class", MAIN,
        StandaloneCluster.appJar().toString(),
        "run", userConfig.toString(), "--out", tmp.resolve("client-out").toString()));
    clusterSubmit = cluster.startSparkSubmit(tmp.resolve("cluster-submit.log"), DeployMode.CLUSTER, List.of(
        "--conf", "spark.cores.max=2", "--conf", "spark.sql.shuffle.partitions=4", "--class", MAIN,
        StandaloneCluster.appJar().toString(),
        "run", config.toString(), "--out", tmp.resolve("cluster-mode-out").toString(), "--no-analyze"));

    localOut = tmp.resolve("local-out");
    for (Path c : List.of(config, userConfig)) {
      StringWriter out = new StringWriter();
      int local = Main.execute(new String[] {"run", c.toString(), "--out", localOut.toString(),
          "--master", "local[2]", "--no-analyze"}, new PrintWriter(out, true), new PrintWriter(out, true));
      assertEquals(0, local, out.toString());
    }
    spark = SparkSessions.create("local[1]", "compare");
    spark.sparkContext().setLogLevel("WARN");
  }

  @AfterAll
  static void stop() {
    for (Process p : new Process[] {clientSubmit, clusterSubmit}) {
      if (p != null) {
        SweepFolders.stopTree(p);
      }
    }
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void clientModeSweepEqualsLocalMode() throws Exception {
    Path clusterOut = tmp.resolve("client-out");
    Path log = tmp.resolve("client-submit.log");
    int code = cluster.awaitSparkSubmit(clientSubmit, log, SUBMIT_TIMEOUT);
    String output = Files.readString(log);
    assertEquals(0, code, "spark-submit failed:\n" + output);
    assertTrue(output.contains("[wave 2/2] 8/8 runs done"), output);
    assertTrue(output.contains("failed=0"), output);
    assertTrue(output.contains("spark://127.0.0.1"), "ran on the cluster:\n" + output);
    assertRanOnTheCluster(clusterOut, "user-cluster");
    Dataset<Row> runs = spark.read().parquet(clusterOut.resolve("user-cluster/runs").toString());
    assertEquals(0, runs.where("status = 'failed' OR train_accuracy IS NULL OR data_note IS NULL").count(),
        "every run found its table on the executors");
    SweepFolders.assertSameTables(spark, localOut.resolve("user-cluster"), clusterOut.resolve("user-cluster"), 8);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void clusterModeSweepEqualsLocalMode() throws Exception {
    Path clusterOut = tmp.resolve("cluster-mode-out");
    Path log = tmp.resolve("cluster-submit.log");
    int code = cluster.awaitSparkSubmit(clusterSubmit, log, SUBMIT_TIMEOUT);
    String submitter = Files.readString(log);
    String driver = cluster.clusterDriverOutput();
    assertEquals(0, code, "spark-submit failed:\n" + submitter + driver);
    // The driver ran in a JVM a Worker started, not in SparkSubmit's.
    assertTrue(driver.contains("[wave 3/3] 18/18 runs done"), submitter + driver);
    assertTrue(submitter.contains("FINISHED"), "the driver's final state:\n" + submitter);
    assertRanOnTheCluster(clusterOut, "cluster-check");
    SweepFolders.assertSameTables(spark, localOut.resolve("cluster-check"), clusterOut.resolve("cluster-check"), 18);
  }

  /** manifest.json: written by the cluster's Spark (the version under test) with the cluster's master. */
  private static void assertRanOnTheCluster(Path clusterOut, String sweep) throws IOException {
    JsonNode manifest = new ObjectMapper().readTree(clusterOut.resolve(sweep + "/manifest.json").toFile());
    assertEquals(StandaloneCluster.sparkVersion(), manifest.path("spark_version").asText(), manifest.toString());
    assertEquals(cluster.masterUrl(), manifest.path("master").asText(), manifest.toString());
  }

  /** 40 rows of three gaussian features and a label that is 1 where the first two agree in sign. */
  private static String userTable(Path file) throws IOException {
    StringBuilder csv = new StringBuilder("a,b,c,label\n");
    Random rng = new Random(11);
    for (int i = 0; i < 40; i++) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%d%n", a, b, rng.nextGaussian(), a * b > 0 ? 1 : 0));
    }
    return Files.writeString(file, csv.toString()).toString();
  }

}
