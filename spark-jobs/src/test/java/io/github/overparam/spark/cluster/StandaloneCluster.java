package io.github.overparam.spark.cluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1: one Master and N Worker JVMs, child processes of
 * the calling JVM, started from the Spark jars that are on this JVM's classpath (no Spark
 * distribution needed).
 *
 * <p>Layout under {@code workDir}: {@code spark-home/} (a SPARK_HOME: {@code jars/} with symlinks
 * to Spark's jars, empty {@code conf/}, {@code RELEASE}), {@code logs/} (one file per daemon),
 * {@code worker-<i>/} (each Worker's work dir: executor stdout/stderr, fetched application jars).
 *
 * <p>A Worker launches executors as {@code $JAVA_HOME/bin/java -cp <extraClassPath>:
 * $SPARK_HOME/conf/:$SPARK_HOME/jars/* ... CoarseGrainedExecutorBackend} (Spark's
 * WorkerCommandBuilder / AbstractCommandBuilder.buildClassPath): it needs {@code SPARK_HOME/jars}
 * to be a directory and {@code SPARK_SCALA_VERSION} set (otherwise it looks for a source build's
 * {@code launcher/target/scala-2.13}). Both are provided here.
 *
 * <p>Every process is stopped by its pid in {@link #close()} (SIGTERM, then SIGKILL after a bounded
 * wait), including executor JVMs spawned by the Workers; a JVM shutdown hook does the same if the
 * caller never closes, and the daemons run under {@link ParentWatchdog}, which exits them when
 * this JVM is gone (e.g. SIGKILLed by a CI timeout).
 */
public final class StandaloneCluster implements AutoCloseable {

  public static final String HOST = "127.0.0.1";

  /** Where a submitted application's driver runs: SparkSubmit's JVM, or a JVM a Worker starts. */
  public enum DeployMode {
    CLIENT, CLUSTER;

    String flag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Spark's JVM module options for Java 17, the same list as the root pom property {@code
   * spark.jvm.options}; overridden by the system property {@code spark.jvm.options} when set.
   */
  public static final String DEFAULT_SPARK_JVM_OPTIONS = "-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector"
      + " --add-opens=java.base/java.lang=ALL-UNNAMED"
      + " --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
      + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
      + " --add-opens=java.base/java.io=ALL-UNNAMED"
      + " --add-opens=java.base/java.net=ALL-UNNAMED"
      + " --add-opens=java.base/java.nio=ALL-UNNAMED"
      + " --add-opens=java.base/java.util=ALL-UNNAMED"
      + " --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
      + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
      + " --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED"
      + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
      + " --add-opens=java.base/sun.nio.cs=ALL-UNNAMED"
      + " --add-opens=java.base/sun.security.action=ALL-UNNAMED"
      + " --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
      + " -Djdk.reflect.useDirectMethodHandle=false"
      + " -Dio.netty.tryReflectionSetAccessible=true"
      + " --enable-native-access=ALL-UNNAMED";

  /**
   * Jar file-name prefixes never linked into SPARK_HOME/jars: test frameworks and the project's own
   * non-Spark dependencies, which an application must ship itself (as with a real distribution).
   */
  static final List<String> EXCLUDED_JAR_PREFIXES = List.of(
      "overparam-",
      "junit-",
      "opentest4j-",
      "apiguardian-",
      "surefire-",
      "common-java5-",
      "common-junit",
      "ejml-",
      "picocli-",
      "snakeyaml-",
      "jackson-dataformat-yaml-");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180); // JVMs start slowly on a loaded machine
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final String DAEMON_HEAP = "-Xmx384m";
  /**
   * The Master and Workers only schedule and launch: the quick (C1) compiler alone and the serial
   * collector spend a fraction of the CPU time the defaults do on a 2-core machine.
   *
   * <p>Every JVM the harness starts also skips the bytecode verifier for class-path classes (as the
   * JDK always does for its own): it loads some 19,000 classes from the jars the build resolved, and
   * verifying them is a tenth of the CPU time of a short Spark application (a 4-run local sweep
   * through SparkSubmit on the quick compiler: 39.6 s of CPU against 44.1 s, Zen 3). Tests only:
   * users' JVMs keep the defaults.
   */
  private static final List<String> DAEMON_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
      "-XX:+UnlockDiagnosticVMOptions", "-XX:-BytecodeVerificationRemote");
  /**
   * The same for the applications submitted to the cluster (SparkSubmit's JVM, the driver a Worker
   * starts in cluster mode, executors): each lives for one small sweep, too short for the optimizing
   * compiler's warm-up to pay off. A local-mode sweep of FaultToleranceIT's config took 29 s of CPU
   * so against 45 s with the defaults (Spark 3.5, 2 cores); a short Spark job in a new JVM, 19 s
   * against 42 s. The results do not depend on the compiler: overparam's kernels sum in a fixed order.
   */
  static final List<String> APP_JVM_OPTIONS = DAEMON_JVM_OPTIONS;

  private final Path workDir;
  private final Path sparkHome;
  private final Path logDir;
  private int masterPort; // actual ports, read from the master's log (it binds port 0)
  private int masterWebUiPort;
  private int totalCores;
  private int appCores; // spark.cores.max of a client: every core unless the caller set fewer
  private int coresPerWorker;
  private String workerMemory;
  private final List<Process> processes = new ArrayList<>(); // master first, then workers
  private final List<Process> workers = new ArrayList<>();
  private final Set<ProcessHandle> strays = new LinkedHashSet<>(); // executors of killed workers
  private final Set<Long> killedWorkers = new LinkedHashSet<>();
  private final Map<Long, Path> workerDirs = new LinkedHashMap<>(); // by pid: restarted workers get their own
  private final Thread shutdownHook;
  private boolean closed;

  private StandaloneCluster(Path workDir, Path sparkHome) {
    this.workDir = workDir;
    this.sparkHome = sparkHome;
    this.logDir = workDir.resolve("logs");
    this.shutdownHook = new Thread(this::closeQuietly, "standalone-cluster-shutdown");
  }

  /**
   * The shaded application jar of the Spark line under test, which {@code mvn package} built (the
   * jar spark-submit takes): system property {@code overparam.app.jar} (set by failsafe), else the
   * only {@code *-app.jar} in target/.
   */
  public static Path appJar() throws IOException {
    String property = System.getProperty("overparam.app.jar");
    if (property != null && !property.isBlank()) {
      Path jar = Path.of(property).toAbsolutePath();
      if (!Files.isRegularFile(jar)) {
        throw new AssertionError("no application jar " + jar + ": run mvn package (same profile) first");
      }
      return jar;
    }
    try (Stream<Path> jars = Files.list(Path.of("target"))) {
      return jars.filter(p -> p.getFileName().toString().endsWith("-app.jar")).findFirst().orElseThrow(
          () -> new AssertionError("no application jar in target/: run mvn package first")).toAbsolutePath();
    }
  }

  /**
   * The Scala binary version of the Spark line under test ({@code 2.12}, {@code 2.13}): system
   * property {@code scala.binary.version} (set by the pom), else that of the scala-library on this
   * JVM's class path. Spark's launcher needs it as SPARK_SCALA_VERSION.
   */
  public static String scalaBinaryVersion() {
    String property = System.getProperty("scala.binary.version");
    if (property != null && !property.isBlank()) {
      return property.trim();
    }
    try {
      Class<?> c = Class.forName("scala.util.Properties$");
      String full = String.valueOf(c.getMethod("versionNumberString").invoke(c.getField("MODULE$").get(null)));
      return full.substring(0, full.indexOf('.', full.indexOf('.') + 1));
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      throw new IllegalStateException("no scala.binary.version property and no scala-library on the class path", e);
    }
  }

  /** The Spark version on this JVM's class path (the version the cluster's daemons run). */
  public static String sparkVersion() {
    try {
      Class<?> c = Class.forName("org.apache.spark.package$");
      Object module = c.getField("MODULE$").get(null);
      return String.valueOf(c.getMethod("SPARK_VERSION").invoke(module));
    } catch (ReflectiveOperationException | LinkageError e) {
      return "unknown";
    }
  }

  /** The version the Master reports in its log ({@code Running Spark version X}). */
  public String masterSparkVersion() throws IOException {
    Matcher m = Pattern.compile("Running Spark version (\\S+)").matcher(Files.readString(logDir.resolve("master.log"),
        StandardCharsets.UTF_8));
    if (!m.find()) {
      throw new IOException("no 'Running Spark version' in " + logDir.resolve("master.log"));
    }
    return m.group(1);
  }

  /**
   * The stdout and stderr of every driver a Worker ran for cluster deploy mode ({@code
   * worker-<i>/driver-<id>/}), concatenated in worker and driver-id order.
   */
  public String clusterDriverOutput() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Path workerDir : workerDirs.values()) {
      if (!Files.isDirectory(workerDir)) {
        continue;
      }
      try (Stream<Path> dirs = Files.list(workerDir)) {
        for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith("driver-")).sorted().toList()) {
          for (String f : List.of("stdout", "stderr")) {
            if (Files.isRegularFile(d.resolve(f))) {
              sb.append("---- ").append(d.resolve(f)).append('\n').append(Files.readString(d.resolve(f),
                  StandardCharsets.UTF_8));
            }
          }
        }
      }
    }
    return sb.toString();
  }

  /**
   * Builds SPARK_HOME under {@code workDir}, starts a Master and {@code workers} Workers, and waits
   * until the Master reports all of them ALIVE.
   *
   * @param workerMemory memory a Worker offers to executors, Spark syntax ("1g", "768m")
   */
  public static StandaloneCluster start(
      Path workDir, int workers, int coresPerWorker, String workerMemory) throws IOException {
    if (workers < 1 || coresPerWorker < 1) {
      throw new IllegalArgumentException("workers and coresPerWorker must be >= 1");
    }
    long t0 = System.nanoTime();
    Path dir = workDir.toAbsolutePath().normalize();
    Path home = buildSparkHome(dir.resolve("spark-home"));
    Files.createDirectories(dir.resolve("logs"));
    StandaloneCluster cluster = new StandaloneCluster(dir, home);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      cluster.startMaster(START_TIMEOUT);
      cluster.coresPerWorker = coresPerWorker;
      cluster.workerMemory = workerMemory;
      for (int i = 0; i < workers; i++) {
        cluster.startWorker(i, coresPerWorker, workerMemory);
        cluster.totalCores += coresPerWorker;
      }
      cluster.appCores = cluster.totalCores;
      cluster.awaitAliveWorkers(workers, START_TIMEOUT);
    } catch (IOException | RuntimeException | Error e) {
      String logs = cluster.logTails(40);
      cluster.closeQuietly();
      throw new IllegalStateException(
          "standalone cluster did not start: " + e.getMessage() + "\n" + logs, e);
    }
    System.out.printf(
        Locale.ROOT,
        "[standalone-cluster] %s with %d worker(s) x %d core(s) up in %d ms (SPARK_HOME %s)%n",
        cluster.masterUrl(),
        workers,
        coresPerWorker,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
        home);
    return cluster;
  }

  /** {@code spark://127.0.0.1:<port>}. */
  public String masterUrl() {
    return "spark://" + HOST + ":" + masterPort;
  }

  /** The Master's web UI; {@code masterWebUiUrl() + "json/"} is its state as JSON. */
  public String masterWebUiUrl() {
    return "http://" + HOST + ":" + masterWebUiPort + "/";
  }

  public Path sparkHome() {
    return sparkHome;
  }

  public Path workDir() {
    return workDir;
  }

  public Path logDir() {
    return logDir;
  }

  /** The work dir of worker {@code i}: {@code <app-id>/<executor-id>/stderr} live there. */
  public Path workerDir(int i) {
    return workerDirs.getOrDefault(workers.get(i).pid(), workDir.resolve("worker-" + i));
  }

  public long masterPid() {
    return processes.get(0).pid();
  }

  /** Worker pids in start order (also for killed workers). */
  public List<Long> workerPids() {
    return workers.stream().map(Process::pid).collect(Collectors.toUnmodifiableList());
  }

  /** Pids of the live executor JVMs currently running under the Workers. */
  public List<Long> executorPids() {
    return workers.stream().flatMap(w -> w.toHandle().descendants()).filter(ProcessHandle::isAlive).map(
        ProcessHandle::pid).collect(Collectors.toUnmodifiableList());
  }

  /** Spark's JVM options: system property {@code spark.jvm.options}, else the root pom's list. */
  public static String sparkJvmOptions() {
    String fromProperty = System.getProperty("spark.jvm.options");
    return fromProperty == null || fromProperty.isBlank()
        ? DEFAULT_SPARK_JVM_OPTIONS
        : fromProperty.trim();
  }

  /**
   * Kills worker {@code i} with SIGKILL (no shutdown hooks run), as on a machine loss, and waits for
   * it to be gone. Its executors are not signalled (they notice the lost Worker and exit); any left
   * over are stopped by {@link #close()}.
   */
  public void killWorker(int i) {
    Process worker = workers.get(i);
    worker.toHandle().descendants().forEach(strays::add);
    killedWorkers.add(worker.pid());
    worker.destroyForcibly();
    try {
      if (!worker.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("worker " + i + " (pid " + worker.pid() + ") survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing worker " + i, e);
    }
  }

  /**
   * Starts a new Worker in the place of killed worker {@code i} (same cores and memory, its own
   * work dir {@code worker-<i>-<restart>}) and waits until the Master reports every worker ALIVE
   * again: a cluster shared by several tests is whole again after one killed a machine.
   */
  public void restartWorker(int i) throws IOException {
    Process old = workers.get(i);
    if (old.isAlive()) {
      throw new IllegalStateException("worker " + i + " (pid " + old.pid() + ") is alive: kill it first");
    }
    int restart = 1;
    while (Files.exists(workDir.resolve("worker-" + i + "-" + restart))) {
      restart++;
    }
    Process p = launchWorker("worker-" + i + "-" + restart, coresPerWorker, workerMemory);
    workers.set(i, p);
    awaitAliveWorkers(workers.size(), START_TIMEOUT);
  }

  /** Restarts every killed worker ({@link #restartWorker}); does nothing when all are alive. */
  public void restartKilledWorkers() throws IOException {
    for (int i = 0; i < workers.size(); i++) {
      if (!workers.get(i).isAlive()) {
        restartWorker(i);
      }
    }
  }

  /** The number of workers this cluster was started with (alive or killed). */
  public int workerCount() {
    return workers.size();
  }

  /**
   * Sets {@code spark.cores.max} of the applications {@link #clientConf()} describes (by default
   * every core of the cluster): on a cluster shared by tests, each application takes the executors
   * it was written for, and two applications can run side by side.
   */
  public StandaloneCluster appCores(int cores) {
    if (cores < 1 || cores > totalCores) {
      throw new IllegalArgumentException("appCores must be in [1, " + totalCores + "], got " + cores);
    }
    this.appCores = cores;
    return this;
  }

  /** The Master's count of ALIVE workers, from its JSON state. */
  public int aliveWorkers() throws IOException {
    String json = masterJson();
    Matcher m = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)").matcher(json);
    if (!m.find()) {
      throw new IOException("no aliveworkers in master state: " + json);
    }
    return Integer.parseInt(m.group(1));
  }

  /** The Master's state as JSON (GET {@code /json/} on its web UI). */
  public String masterJson() throws IOException {
    HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(
        2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(masterWebUiUrl() + "json/")).timeout(Duration.ofSeconds(
        5)).GET().build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " from " + request.uri());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Waits until the Master reports {@code expected} ALIVE workers. */
  public void awaitAliveWorkers(int expected, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (true) {
      for (Process p : processes) {
        if (!p.isAlive() && !killedWorkers.contains(p.pid())) {
          throw new IllegalStateException(
              "process " + p.pid() + " exited with " + p.exitValue() + " while waiting for workers");
        }
      }
      try {
        int alive = aliveWorkers();
        if (alive == expected) {
          return;
        }
        last = alive + " alive";
      } catch (IOException e) {
        last = e.toString();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "master did not report " + expected + " ALIVE workers within " + timeout + ": " + last);
      }
      sleep(250);
    }
  }

  /** Stops every process this cluster started (and the Workers' executors), by pid. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long t0 = System.nanoTime();
    List<ProcessHandle> all = new ArrayList<>();
    // Workers and their executors first, then the master.
    for (int i = workers.size() - 1; i >= 0; i--) {
      ProcessHandle h = workers.get(i).toHandle();
      h.descendants().forEach(all::add);
      all.add(h);
    }
    all.addAll(strays);
    if (!processes.isEmpty()) {
      ProcessHandle master = processes.get(0).toHandle();
      master.descendants().forEach(all::add);
      all.add(master);
    }
    all.removeIf(h -> !h.isAlive());
    String stopped = all.stream().map(StandaloneCluster::label).collect(Collectors.joining(", "));
    all.forEach(ProcessHandle::destroy);
    awaitExit(all, STOP_GRACE);
    List<ProcessHandle> left = all.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    if (!left.isEmpty()) {
      left.forEach(ProcessHandle::destroyForcibly);
      awaitExit(left, KILL_WAIT);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shutdownInProgress) {
      // called from the hook itself
    }
    List<Long> survivors = all.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(
        Collectors.toList());
    System.out.printf(
        Locale.ROOT,
        "[standalone-cluster] stopped %d live process(es) [%s] in %d ms%s%n",
        all.size(),
        stopped,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
        survivors.isEmpty() ? "" : ", still alive: " + survivors);
  }

  /** "pid MainClass" for logs. */
  private static String label(ProcessHandle h) {
    List<String> args;
    try { // full command line; ProcessHandle.Info truncates long ones
      args = Arrays.asList(
          Files.readString(Paths.get("/proc", Long.toString(h.pid()), "cmdline"), StandardCharsets.UTF_8).split("\0"));
    } catch (IOException | UncheckedIOException | SecurityException e) {
      args = h.info().arguments().map(Arrays::asList).orElse(List.of());
    }
    String main = args.stream().filter(a -> a.startsWith("org.apache.spark.")).map(a -> a.substring(a.lastIndexOf('.')
        + 1)).findFirst().orElse(args.isEmpty() || args.get(0).isEmpty() ? "(exiting)" : "java");
    return h.pid() + " " + main;
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("[standalone-cluster] close failed: " + e);
    }
  }

  private static void awaitExit(List<ProcessHandle> handles, Duration timeout) {
    CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception timeoutOrFailure) {
      // the caller checks isAlive()
    }
  }

  // ---------------------------------------------------------------- clients

  /**
   * The settings a client-mode driver needs for this cluster (for a SparkSession built in this JVM,
   * or as {@code --conf} of SparkSubmit): master, deploy mode, driver on 127.0.0.1, executor JVM
   * options, small executors, no driver UI, and scheduling held back until every worker's executor
   * has registered (which needs {@code spark.cores.max}: without it the ratio is of 0 cores).
   * Executors still need the application's classes: add {@code spark.jars} (or SparkSubmit's
   * application jar and {@code --jars}).
   */
  public Map<String, String> clientConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", masterUrl());
    conf.put("spark.submit.deployMode", "client");
    conf.put("spark.driver.host", HOST);
    conf.put("spark.driver.bindAddress", HOST);
    conf.put("spark.executor.memory", "512m");
    conf.put("spark.executor.cores", "1");
    conf.put("spark.cores.max", Integer.toString(appCores));
    conf.put("spark.executor.extraJavaOptions", sparkJvmOptions() + " " + String.join(" ", APP_JVM_OPTIONS));
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    conf.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s");
    return conf;
  }

  /**
   * A child JVM running {@code org.apache.spark.deploy.SparkSubmit --master <this> --deploy-mode
   * client --conf <clientConf()>... <submitArgs>} with this SPARK_HOME's jars as classpath, Spark's
   * JVM options and the cluster's environment; output goes to {@code log}. {@code submitArgs} are
   * SparkSubmit's own: {@code --class C [--jars a.jar,b.jar] [--conf k=v] app.jar [app args]}.
   */
  public ProcessBuilder sparkSubmit(Path log, List<String> submitArgs) {
    return sparkSubmit(log, DeployMode.CLIENT, submitArgs);
  }

  /**
   * {@link #sparkSubmit(Path, List)} in either deploy mode. In cluster mode a Worker starts the
   * driver (its output lands in {@code worker-<i>/driver-<id>/}, see {@link
   * #clusterDriverOutput()}); SparkSubmit waits until the driver ends ({@code
   * spark.standalone.submit.waitAppCompletion}); the driver takes 1 core and 512 MB of a Worker, so
   * {@code spark.cores.max} leaves it that core.
   */
  public ProcessBuilder sparkSubmit(Path log, DeployMode mode, List<String> submitArgs) {
    List<String> cmd = javaCommand("-Xmx512m");
    cmd.addAll(cmd.indexOf("-cp"), APP_JVM_OPTIONS);
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.add("--master");
    cmd.add(masterUrl());
    cmd.add("--deploy-mode");
    cmd.add(mode.flag());
    Map<String, String> conf = clientConf();
    conf.remove("spark.master");
    conf.remove("spark.submit.deployMode");
    if (mode == DeployMode.CLUSTER) {
      conf.put("spark.standalone.submit.waitAppCompletion", "true");
      conf.put("spark.driver.memory", "512m");
      conf.put("spark.driver.cores", "1");
      conf.put("spark.driver.extraJavaOptions", sparkJvmOptions() + " " + String.join(" ", APP_JVM_OPTIONS));
      conf.put("spark.cores.max", Integer.toString(Math.max(1, Math.min(appCores, totalCores - 1))));
    }
    conf.forEach((k, v) -> {
      cmd.add("--conf");
      cmd.add(k + "=" + v);
    });
    cmd.addAll(submitArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    sparkEnvironment(pb.environment(), sparkHome);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return pb;
  }

  /**
   * Runs {@link #sparkSubmit} to completion and returns its exit code; after {@code timeout} the
   * submit JVM (and anything it started) is killed by pid and an exception thrown.
   */
  public int runSparkSubmit(Path log, Duration timeout, List<String> submitArgs)
      throws IOException, InterruptedException {
    return runSparkSubmit(log, timeout, DeployMode.CLIENT, submitArgs);
  }

  /** {@link #runSparkSubmit(Path, Duration, List)} in either deploy mode. */
  public int runSparkSubmit(Path log, Duration timeout, DeployMode mode, List<String> submitArgs)
      throws IOException, InterruptedException {
    return awaitSparkSubmit(startSparkSubmit(log, mode, submitArgs), log, timeout);
  }

  /**
   * Starts {@link #sparkSubmit} and returns at once: submissions that run side by side on this
   * cluster, each awaited with {@link #awaitSparkSubmit}. The log starts with the arguments.
   */
  public Process startSparkSubmit(Path log, DeployMode mode, List<String> submitArgs) throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    Files.writeString(log, "# SparkSubmit --deploy-mode " + mode.flag() + " " + submitArgs + "\n",
        StandardCharsets.UTF_8);
    return sparkSubmit(log, mode, submitArgs).start();
  }

  /**
   * Waits for a submission of {@link #startSparkSubmit} and returns its exit code; after {@code
   * timeout} the submit JVM (and anything it started) is killed by pid and an exception thrown.
   */
  public int awaitSparkSubmit(Process p, Path log, Duration timeout) throws InterruptedException {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("SparkSubmit did not finish within " + timeout + ", log " + log
            + " ends with:\n" + tail(log, 60) + "\n" + logTails(20));
      }
      return p.exitValue();
    } finally {
      if (p.isAlive()) {
        List<ProcessHandle> tree = new ArrayList<>();
        p.toHandle().descendants().forEach(tree::add);
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        awaitExit(tree, KILL_WAIT);
      }
    }
  }

  // ---------------------------------------------------------------- processes

  /**
   * Starts the Master on ports 0 (no race for "free" ports; Spark would otherwise silently move to
   * port+1 when one is taken) and reads the bound ports from its log.
   */
  private void startMaster(Duration timeout) throws IOException {
    Process master = launch(
        "master",
        List.of("-Dspark.master.rest.enabled=false"),
        "org.apache.spark.deploy.master.Master",
        List.of("--host", HOST, "--port", "0", "--webui-port", "0"));
    processes.add(master);
    Path log = logDir.resolve("master.log");
    Pattern rpc = Pattern.compile("Starting Spark master at spark://" + Pattern.quote(HOST) + ":(\\d+)");
    Pattern ui = Pattern.compile("Successfully started service 'MasterUI' on port (\\d+)");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (masterPort == 0 || masterWebUiPort == 0) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = rpc.matcher(text);
      if (m.find()) {
        masterPort = Integer.parseInt(m.group(1));
      }
      m = ui.matcher(text);
      if (m.find()) {
        masterWebUiPort = Integer.parseInt(m.group(1));
      }
      if (masterPort != 0 && masterWebUiPort != 0) {
        return;
      }
      if (!master.isAlive()) {
        throw new IllegalStateException("master exited with " + master.exitValue());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("master did not report its ports within " + timeout);
      }
      sleep(100);
    }
  }

  private void startWorker(int i, int cores, String memory) throws IOException {
    Process p = launchWorker("worker-" + i, cores, memory);
    workers.add(p);
  }

  /** A Worker JVM named {@code name} (its log and work dir), registered with the Master. */
  private Process launchWorker(String name, int cores, String memory) throws IOException {
    Path dir = Files.createDirectories(workDir.resolve(name));
    Process p = launch(
        name,
        List.of(),
        "org.apache.spark.deploy.worker.Worker",
        List.of(
            masterUrl(),
            "--host", HOST,
            "--port", "0",
            "--webui-port", "0",
            "--cores", Integer.toString(cores),
            "--memory", memory,
            "--work-dir", dir.toString()));
    processes.add(p);
    workerDirs.put(p.pid(), dir);
    return p;
  }

  private Process launch(String name, List<String> extraJvmOptions, String mainClass, List<String> args)
      throws IOException {
    List<String> cmd = javaCommand(DAEMON_HEAP);
    cmd.addAll(cmd.indexOf("-cp"), DAEMON_JVM_OPTIONS);
    cmd.addAll(cmd.indexOf("-cp"), extraJvmOptions);
    int cp = cmd.indexOf("-cp") + 1;
    cmd.set(cp, sparkHome.resolve("watchdog") + File.separator + File.pathSeparator + cmd.get(cp));
    cmd.add(ParentWatchdog.class.getName());
    cmd.add(Long.toString(ProcessHandle.current().pid()));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    Map<String, String> env = pb.environment();
    sparkEnvironment(env, sparkHome);
    Path log = logDir.resolve(name + ".log");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Files.writeString(log, "# " + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
    return pb.start();
  }

  /** {@code java <heap> <Spark JVM options> -cp SPARK_HOME/conf/:SPARK_HOME/jars/*}. */
  private List<String> javaCommand(String heap) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(heap);
    cmd.addAll(Arrays.asList(sparkJvmOptions().split("\\s+")));
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("conf") + File.separator + File.pathSeparator
        + sparkHome.resolve("jars") + File.separator + "*");
    return cmd;
  }

  /**
   * The environment Spark daemons (and, inherited, their executors) need: SPARK_HOME, the loopback
   * address, the Scala version; variables that would leak the caller's Spark setup are removed.
   */
  static void sparkEnvironment(Map<String, String> env, Path sparkHome) {
    for (String leak : List.of(
        "SPARK_CONF_DIR", "SPARK_DIST_CLASSPATH", "SPARK_CLASSPATH", "CLASSPATH",
        "HADOOP_CONF_DIR", "YARN_CONF_DIR", "SPARK_PREPEND_CLASSES", "SPARK_TESTING",
        "SPARK_JAVA_OPTS", "SPARK_DAEMON_JAVA_OPTS", "SPARK_WORKER_OPTS", "SPARK_MASTER_OPTS",
        "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "MAVEN_OPTS")) {
      env.remove(leak);
    }
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_LOCAL_IP", HOST);
    env.put("SPARK_SCALA_VERSION", scalaBinaryVersion());
    env.put("JAVA_HOME", System.getProperty("java.home"));
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private String logTails(int lines) {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path f : files.sorted().collect(Collectors.toList())) {
        List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
        sb.append("---- ").append(f).append(" (last ").append(lines).append(" lines)\n");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> sb.append(l).append('\n'));
      }
    } catch (IOException | UncheckedIOException e) {
      sb.append("(logs unreadable: ").append(e).append(")\n");
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- SPARK_HOME

  /**
   * Creates {@code home/jars} with symlinks to the jars on this JVM's classpath (minus {@link
   * #EXCLUDED_JAR_PREFIXES}), an empty {@code home/conf} and {@code home/RELEASE}. Reuses the
   * folder when it already exists.
   */
  static Path buildSparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    copyWatchdog(home.resolve("watchdog"));
    int linked = 0;
    for (Path jar : sparkJarsOnClasspath()) {
      Path link = jars.resolve(jar.getFileName().toString());
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(jar)) {
          linked++;
          continue;
        }
        link = jars.resolve((linked) + "-" + jar.getFileName());
      }
      try {
        Files.createSymbolicLink(link, jar);
      } catch (FileAlreadyExistsException e) {
        continue;
      } catch (UnsupportedOperationException | IOException e) {
        Files.copy(jar, link);
      }
      linked++;
    }
    if (linked == 0 || !hasJar(jars, "spark-core_")) {
      throw new IllegalStateException(
          "no Spark jars on the classpath (java.class.path = " + System.getProperty("java.class.path") + ")");
    }
    Files.writeString(
        home.resolve("RELEASE"),
        "Spark " + sparkVersion() + " (SPARK_HOME assembled from the test classpath)\n",
        StandardCharsets.UTF_8);
    return home;
  }

  /** Copies the single class file of {@link ParentWatchdog} under {@code dir}. */
  private static void copyWatchdog(Path dir) throws IOException {
    String resource = ParentWatchdog.class.getName().replace('.', '/') + ".class";
    Path target = dir.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = ParentWatchdog.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("class file not found: " + resource);
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static boolean hasJar(Path dir, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
    }
  }

  /** The classpath's jar files that belong in SPARK_HOME/jars, as absolute real paths. */
  static List<Path> sparkJarsOnClasspath() {
    List<Path> out = new ArrayList<>();
    for (Path p : classpathEntries()) {
      String name = p.getFileName().toString();
      if (!name.endsWith(".jar")) {
        continue;
      }
      if (!Files.isRegularFile(p) || EXCLUDED_JAR_PREFIXES.stream().anyMatch(name::startsWith)) {
        continue;
      }
      out.add(p);
    }
    return out;
  }

  /**
   * This JVM's classpath entries; a manifest-only jar (surefire's {@code useManifestOnlyJar}
   * booter, IDE launchers) is replaced by its {@code Class-Path}.
   */
  static List<Path> classpathEntries() {
    List<Path> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator))) {
      if (entry.isEmpty()) {
        continue;
      }
      Path p = Paths.get(entry).toAbsolutePath().normalize();
      String manifestClassPath = null;
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        try (JarFile jar = new JarFile(p.toFile())) {
          Manifest mf = jar.getManifest();
          if (mf != null && jar.size() <= 2) { // MANIFEST.MF (and META-INF/) only
            manifestClassPath = mf.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
          }
        } catch (IOException e) {
          // not a readable jar: keep it as it is
        }
      }
      if (manifestClassPath == null) {
        out.add(p);
        continue;
      }
      for (String url : manifestClassPath.trim().split("\\s+")) {
        try {
          out.add(Paths.get(p.getParent().toUri().resolve(url)).toAbsolutePath().normalize());
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
          // skip what is not a local file
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A jar holding the code of {@code type}: the jar it was loaded from, or, when it was loaded from
   * a classes directory (e.g. {@code target/classes}), a jar of that directory written to {@code
   * outDir/<name>.jar}. For {@code spark.jars}, so that executors can load the class.
   */
  public static Path jarOf(Class<?> type, Path outDir, String name) throws IOException {
    Path source;
    try {
      source = Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException("no code source for " + type, e);
    }
    if (Files.isRegularFile(source)) {
      return source;
    }
    Files.createDirectories(outDir);
    Path jar = outDir.resolve(name + ".jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os, manifest);
        Stream<Path> files = Files.walk(source)) {
      for (Path f : files.sorted().collect(Collectors.toList())) {
        String rel = source.relativize(f).toString().replace(File.separatorChar, '/');
        if (rel.isEmpty() || rel.equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        if (Files.isDirectory(f)) {
          out.putNextEntry(new JarEntry(rel + "/"));
        } else {
          out.putNextEntry(new JarEntry(rel));
          Files.copy(f, out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }

  /** A TCP port free on 127.0.0.1 at the time of the call. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
