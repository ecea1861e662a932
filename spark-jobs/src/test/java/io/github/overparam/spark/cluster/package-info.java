/**
 * A real Spark standalone cluster on 127.0.0.1 for tests, built from the Spark jars on the test
 * classpath (no Spark distribution): {@link io.github.overparam.spark.cluster.StandaloneCluster}.
 * The same for shells and CI: {@code scripts/standalone-cluster.sh start|stop|status [workdir]}.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.start(tmp, 2, 1, "1g")) {
 *   // (a) driver in this JVM:
 *   SparkConf conf = new SparkConf().setAppName("x");
 *   cluster.clientConf().forEach(conf::set);
 *   conf.set("spark.jars", StandaloneCluster.jarOf(Seeds.class, tmp, "core") + "," + ...);
 *   // (b) application jar through SparkSubmit (client mode) in a child JVM:
 *   int exit = cluster.runSparkSubmit(log, Duration.ofMinutes(3),
 *       List.of("--class", "Main", "--jars", "dep1.jar,dep2.jar", "app.jar", "arg"));
 * }
 * }</pre>
 *
 * <h2>What a client-mode driver needs ({@code clientConf()})</h2>
 *
 * <ul>
 *   <li>{@code spark.master=spark://127.0.0.1:<port>}, {@code spark.submit.deployMode=client};
 *   <li>{@code spark.driver.host=127.0.0.1}, {@code spark.driver.bindAddress=127.0.0.1} (executors
 *       connect back to the driver), and {@code SPARK_LOCAL_IP=127.0.0.1} in every JVM;
 *   <li>{@code spark.executor.memory=512m} (must fit the worker's memory), {@code
 *       spark.executor.cores=1};
 *   <li>{@code spark.cores.max=<workers x cores>} (fewer after {@code appCores(n)}) together with {@code
 *       spark.scheduler.minRegisteredResourcesRatio=1.0}: without {@code spark.cores.max} the
 *       standalone backend expects 0 cores and starts scheduling with the first executor, so a
 *       short job may run on one executor only;
 *   <li>{@code spark.executor.extraJavaOptions=<spark.jvm.options> -XX:TieredStopAtLevel=1
 *       -XX:+UseSerialGC} (SparkContext also prepends Spark's own module options; the quick compiler
 *       alone, as for every JVM of the harness: each lives for one small sweep), {@code
 *       spark.ui.enabled=false};
 *   <li>the application's classes for executors: the application jar (SparkSubmit) or {@code
 *       spark.jars}; lambdas are deserialized through their defining class, so a test's own class
 *       must be shipped too. SPARK_HOME/jars deliberately holds no project jar and none of the
 *       project's own dependencies (ejml, picocli, snakeyaml, jackson-dataformat-yaml): an
 *       application jar must bring them ({@code --jars} or a shaded jar), as on a real cluster.
 * </ul>
 *
 * <p>SparkSubmit is run as a child JVM ({@code java <spark.jvm.options> -cp
 * SPARK_HOME/conf/:SPARK_HOME/jars/* org.apache.spark.deploy.SparkSubmit ...}, env SPARK_HOME,
 * SPARK_LOCAL_IP, SPARK_SCALA_VERSION of the line under test): in-process it would share this JVM's
 * single SparkContext and may call {@code System.exit}. {@code runSparkSubmit(log, timeout,
 * DeployMode.CLUSTER, args)} submits in cluster deploy mode instead: a Worker runs the driver, whose
 * output {@code clusterDriverOutput()} returns. {@code startSparkSubmit} and {@code
 * awaitSparkSubmit} run submissions side by side.
 *
 * <h2>One cluster for the integration tests</h2>
 *
 * <p>A cluster start costs tens of seconds of CPU on a 2-core machine, so the integration tests of
 * a run share one ({@link io.github.overparam.spark.cluster.SharedCluster}, a JUnit extension: 3
 * Workers x 2 cores, {@code spark.cores.max=2} per application), stopped when the run ends. After
 * a test killed a Worker ({@code killWorker}), the next {@code get()} restarts it ({@code
 * restartWorker}).
 *
 * <h2>Spark lines</h2>
 *
 * <p>The cluster runs the Spark of this JVM's class path, i.e. of the Maven profile the tests run
 * under ({@code -Pspark-3.5_2.12}, {@code -Pspark-3.5_2.13}, {@code -Pspark-4.1}, none for 4.2);
 * {@code StandaloneCluster.appJar()} is that line's application jar (system property {@code
 * overparam.app.jar}, set by the pom) and {@code scalaBinaryVersion()} its Scala version.
 */
package io.github.overparam.spark.cluster;
