package io.github.overparam.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.random.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * Jobs on a real standalone cluster (Master + 2 Worker JVMs + executor JVMs on 127.0.0.1), the
 * driver in this JVM (client mode). The tests share one cluster, started before the first: each
 * waits until the executors of the one before are gone, and the test that kills a Worker runs last.
 */
@Tag("cluster")
@TestMethodOrder(OrderAnnotation.class)
class StandaloneClusterTest {

  private static final int WORKERS = 2;

  @TempDir
  static Path clusterDir;
  @TempDir
  Path tmp;
  private static StandaloneCluster cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = StandaloneCluster.start(clusterDir, WORKERS, 1, "1g");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The cluster with every Worker alive and no executor of an earlier test's application left. */
  @BeforeEach
  void idleCluster() throws Exception {
    assertEquals(WORKERS, cluster.aliveWorkers(), "alive workers");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!cluster.executorPids().isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "executors of an earlier test still run: " + cluster.executorPids());
      Thread.sleep(200);
    }
  }

  /** {@link StandaloneCluster#clientConf()} plus the jars executors need for this test's code. */
  static SparkConf driverConf(StandaloneCluster cluster, Path workDir, String appName)
      throws IOException {
    Path jars = workDir.resolve("app-jars");
    // Executors must load the core classes and this test's lambdas: ship both as jars.
    String shipped = StandaloneCluster.jarOf(Seeds.class, jars, "overparam-core")
        + ","
        + StandaloneCluster.jarOf(StandaloneClusterTest.class, jars, "spark-jobs-tests");
    SparkConf conf = new SparkConf().setAppName(appName);
    cluster.clientConf().forEach(conf::set);
    return conf.set("spark.jars", shipped).set("spark.local.dir", Files.createDirectories(workDir.resolve(
        "driver-local")).toString()).set("spark.sql.shuffle.partitions", "4");
  }

  /**
   * A session on the cluster; fails clearly if another test left a SparkContext running in this JVM
   * (getOrCreate would silently reuse it, with its master).
   */
  static SparkSession session(StandaloneCluster cluster, Path workDir, String appName)
      throws IOException {
    SparkSession spark = SparkSession.builder().config(driverConf(cluster, workDir, appName)).getOrCreate();
    assertEquals(
        cluster.masterUrl(),
        spark.sparkContext().master(),
        "a SparkContext from elsewhere is still active in this JVM");
    return spark;
  }

  @Test
  @Order(1)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void distributedJobUsesProjectClassesOnTwoExecutors() throws Exception {
    assertEquals(WORKERS, cluster.workerPids().size());
    assertEquals(WORKERS, cluster.aliveWorkers());
    SparkSession spark = session(cluster, tmp, "cluster-smoke");
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      awaitExecutors(jsc, WORKERS, Duration.ofSeconds(90));

      List<Integer> numbers = IntStream.rangeClosed(1, 1000).boxed().collect(Collectors.toList());
      JavaRDD<Integer> rdd = jsc.parallelize(numbers, 4);
      List<Tuple2<String, Long>> tagged = rdd.mapPartitions(StandaloneClusterTest::seedsWithExecutor).collect();

      List<Long> expected = numbers.stream().map(StandaloneClusterTest::seedOf).collect(Collectors.toList());
      List<Long> actual = tagged.stream().map(Tuple2::_2).collect(Collectors.toList());
      assertEquals(expected, actual);

      Set<String> executors = tagged.stream().map(Tuple2::_1).collect(Collectors.toCollection(TreeSet::new));
      assertFalse(executors.contains("driver"), "tasks ran in the driver: " + executors);
      assertEquals(WORKERS, executors.size(), "distinct executors: " + executors);
      assertEquals(WORKERS, cluster.executorPids().size(), "executor JVMs: " + cluster.executorPids());
    } finally {
      spark.stop();
    }
  }

  @Test
  @Order(3)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void jobSurvivesSigkillOfOneWorker() throws Exception {
    SparkSession spark = session(cluster, tmp, "cluster-kill");
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      awaitExecutors(jsc, WORKERS, Duration.ofSeconds(90));
      AtomicInteger executorsRemoved = new AtomicInteger();
      AtomicInteger tasksLost = new AtomicInteger();
      jsc.sc().addSparkListener(
          new SparkListener() {
            @Override
            public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
              executorsRemoved.incrementAndGet();
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
              if (end.reason() instanceof ExecutorLostFailure) {
                tasksLost.incrementAndGet();
              }
            }
          });

      int partitions = 8;
      List<Integer> numbers = IntStream.rangeClosed(1, 400).boxed().collect(Collectors.toList());
      JavaFutureAction<List<Long>> job = jsc.parallelize(numbers, partitions).mapPartitions(
          StandaloneClusterTest::slowSeeds).collectAsync();

      // Kill a worker once both executors are busy with tasks.
      awaitActiveTasks(jsc, WORKERS, Duration.ofSeconds(60));
      long killed = cluster.workerPids().get(1);
      cluster.killWorker(1);
      assertFalse(ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false));

      List<Long> actual = job.get(180, TimeUnit.SECONDS);
      List<Long> expected = numbers.stream().map(StandaloneClusterTest::seedOf).collect(Collectors.toList());
      assertEquals(expected, actual);
      cluster.awaitAliveWorkers(WORKERS - 1, Duration.ofSeconds(30));
      assertEquals(1, executorsRemoved.get(), "executors removed");
      System.out.println("[standalone-cluster] tasks lost with the killed worker: " + tasksLost.get());
    } finally {
      spark.stop();
    }
  }

  @Test
  @Order(2)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void sparkSubmitClientModeRunsApplicationJar() throws Exception {
    Path jars = tmp.resolve("app-jars");
    Path appJar = StandaloneCluster.jarOf(ClusterSmokeApp.class, jars, "spark-jobs-tests");
    Path coreJar = StandaloneCluster.jarOf(Seeds.class, jars, "overparam-core");
    Path out = tmp.resolve("submit-out.txt");
    Path log = cluster.logDir().resolve("spark-submit.log");
    int exit = cluster.runSparkSubmit(
        log,
        Duration.ofMinutes(3),
        List.of(
            "--class", ClusterSmokeApp.class.getName(),
            "--jars", coreJar.toString(),
            appJar.toString(),
            out.toString(),
            "1000"));
    assertEquals(0, exit, () -> "SparkSubmit failed, log:\n" + tail(log, 60));
    List<String> lines = Files.readAllLines(out);
    List<String> expected = IntStream.rangeClosed(1, 1000).mapToObj(i -> Long.toString(seedOf(i))).collect(
        Collectors.toList());
    assertEquals(expected, lines.subList(0, 1000));
    assertEquals("executors=0,1", lines.get(1000));
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  // ---------------------------------------------------------------- executor-side code

  static long seedOf(int i) {
    return ClusterSmokeApp.seedOf(i);
  }

  private static Iterator<Tuple2<String, Long>> seedsWithExecutor(Iterator<Integer> it)
      throws InterruptedException {
    String executor = SparkEnv.get().executorId();
    List<Tuple2<String, Long>> out = new ArrayList<>();
    it.forEachRemaining(i -> out.add(new Tuple2<>(executor, seedOf(i))));
    Thread.sleep(300); // so that one executor cannot take every task before the other starts
    return out.iterator();
  }

  private static Iterator<Long> slowSeeds(Iterator<Integer> it) throws InterruptedException {
    List<Long> out = new ArrayList<>();
    it.forEachRemaining(i -> out.add(seedOf(i)));
    Thread.sleep(1500);
    return out.iterator();
  }

  // ---------------------------------------------------------------- driver-side waits

  private static void awaitExecutors(JavaSparkContext jsc, int executors, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    // getExecutorInfos() includes the driver.
    while (jsc.sc().statusTracker().getExecutorInfos().length < executors + 1) {
      assertTrue(System.nanoTime() < deadline, "executors did not register within " + timeout);
      Thread.sleep(200);
    }
  }

  private static void awaitActiveTasks(JavaSparkContext jsc, int tasks, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int active = 0;
      for (int stage : jsc.statusTracker().getActiveStageIds()) {
        SparkStageInfo info = jsc.statusTracker().getStageInfo(stage);
        if (info != null) {
          active += info.numActiveTasks();
        }
      }
      if (active >= tasks) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "tasks did not start within " + timeout);
      Thread.sleep(100);
    }
  }
}
