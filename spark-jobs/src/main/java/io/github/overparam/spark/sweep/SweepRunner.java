package io.github.overparam.spark.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.overparam.core.data.TableSpec;
import io.github.overparam.core.data.UserTable;
import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Status;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs a sweep on Spark: drops the runs already in {@code runs/} (resume), cuts the rest into
 * waves of cost-balanced buckets, runs each bucket in one Spark task (one network at a time per
 * task thread, through the pure {@link Runs#execute}) and commits each wave's tables before the
 * next starts. A run's own failure is a row; only infrastructure failures fail tasks, and Spark
 * retries those (runs are deterministic, so a retried task writes the same rows).
 */
public final class SweepRunner {
  private static final List<String> TABLES = List.of(Tables.DATASETS, Tables.CURVES, Tables.RUNS);

  private final SparkSession spark;
  private final PrintStream console;
  private final Duration progressEvery;
  /** The user tables of the sweep's runs, broadcast once, by hash; registered by each task. */
  private final Map<String, Broadcast<UserTable>> tables = new LinkedHashMap<>();
  private final Faults faults;

  public SweepRunner(SparkSession spark, PrintStream console, Duration progressEvery) {
    this.spark = spark;
    this.console = console;
    this.progressEvery = progressEvery;
    this.faults = Faults.from(spark.sparkContext().getConf());
    if (faults.any()) {
      console.println("warning: test-only fault injection is on (" + faults + ")");
    }
  }

  /** What a sweep did. */
  public record Outcome(String folder, int gridSize, int alreadyDone, int ran, int waves,
      Map<String, Long> statusCounts, long wallMs, long sumRunMs) {}

  /**
   * Runs (or, with {@code resume}, finishes) the sweep into {@code <outRoot>/<sweep>/}.
   *
   * @param stopAfterWaves stop after this many waves (a controlled interruption, for tests and
   *     for splitting a long sweep over several sessions); 0 for no limit
   */
  public Outcome run(SweepRequest request, String outRoot, boolean resume, int stopAfterWaves)
      throws SweepException {
    Instant started = Instant.now();
    shipTables(request);
    try {
      SweepFolder folder = new SweepFolder(new org.apache.hadoop.fs.Path(outRoot, request.sweep()),
          spark.sparkContext().hadoopConfiguration());
      Set<String> done = prepare(folder, request, resume);
      // Before any wave: a crash in the first wave must still leave a resumable folder.
      writeManifest(folder, request, started, null,
          folder.committedWaves().isEmpty() ? 0 : folder.committedWaves().last() + 1, done.size());
      if (request.search() != null) {
        return search(request, folder, done.size(), started, stopAfterWaves);
      }
      List<RunSpec> todo = new ArrayList<>();
      for (RunSpec spec : request.runs()) {
        if (!done.contains(spec.runId())) {
          todo.add(spec);
        }
      }
      WavePlan plan = WavePlan.auto(todo, spark.sparkContext().defaultParallelism(), request.waveSize(),
          request.partitions());
      int firstWave = folder.committedWaves().isEmpty() ? 0 : folder.committedWaves().last() + 1;
      Set<String> datasetsWritten = existingIds(folder, Tables.DATASETS, "dataset_id");
      console.printf("sweep %s: %d runs in the grid, %d already done, %d to run in %d waves of up to %d runs "
          + "(%d tasks each) on %s%n", request.sweep(), request.runs().size(), done.size(), todo.size(),
          plan.waves().size(), plan.maxWaveSize(), plan.maxTasks(), spark.sparkContext().master());

      Map<String, Long> counts = new LinkedHashMap<>();
      for (Status s : Status.values()) {
        counts.put(io.github.overparam.core.Names.of(s), 0L);
      }
      Progress progress = new Progress(todo.size());
      long sumRunMs = 0;
      int ran = 0;
      int wavesRun = 0;
      for (int i = 0; i < plan.waves().size(); i++) {
        if (stopAfterWaves > 0 && wavesRun >= stopAfterWaves) {
          console.printf("stopping after %d waves as asked; finish with --resume%n", wavesRun);
          break;
        }
        WaveResult w = runWave(request.sweep(), folder, firstWave + i, plan.waves().get(i), datasetsWritten,
            progress, i + 1, plan.waves().size(), null);
        ran += w.runs;
        sumRunMs += w.sumRunMs;
        w.statusCounts.forEach((k, v) -> counts.merge(k, v, Long::sum));
        wavesRun++;
        writeManifest(folder, request, started, null, firstWave + i + 1, done.size() + ran);
      }
      long wall = Duration.between(started, Instant.now()).toMillis();
      boolean complete = done.size() + ran == request.runs().size();
      writeManifest(folder, request, started, complete ? Instant.now() : null, firstWave + wavesRun,
          done.size() + ran);
      return new Outcome(folder.root().toString(), request.runs().size(), done.size(), ran, wavesRun, counts, wall,
          sumRunMs);
    } catch (IOException e) {
      throw new SweepException("I/O error in the sweep folder: " + e.getMessage(), e);
    }
  }

  /**
   * The critical-width search: one round per step of every open group's bisection ({@link
   * WidthSearch}), each round one or more committed waves, every probe an ordinary run row with its
   * {@code search_round}. The state is re-derived from the runs table by replaying the bisection, so
   * a resumed search probes exactly what an uninterrupted one would.
   */
  private Outcome search(SweepRequest request, SweepFolder folder, int alreadyDone, Instant started,
      int stopAfterWaves) throws IOException, SweepException {
    SearchOptions o = request.search();
    Map<String, List<RunSpec>> groups = new LinkedHashMap<>();
    for (RunSpec t : request.runs()) {
      String key = t.data().canonical() + "|" + t.model().withWidth(1).canonical() + "|" + t.train().canonical()
          + "|" + t.record().canonical();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
    }
    Map<String, Boolean> converged = new java.util.HashMap<>();
    for (int wave : folder.committedWaves()) {
      readStatuses(folder, wave, converged);
    }
    Set<String> datasetsWritten = existingIds(folder, Tables.DATASETS, "dataset_id");
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Status s : Status.values()) {
      counts.put(io.github.overparam.core.Names.of(s), 0L);
    }
    int nextWave = folder.committedWaves().isEmpty() ? 0 : folder.committedWaves().last() + 1;
    int ran = 0;
    int wavesRun = 0;
    long sumRunMs = 0;
    for (int iteration = 0; ; iteration++) {
      List<RunSpec> todo = new ArrayList<>();
      java.util.HashMap<String, Integer> rounds = new java.util.HashMap<>();
      int open = 0;
      for (List<RunSpec> templates : groups.values()) {
        Pending pending = pendingProbes(templates, o, converged, request.atWidth());
        if (pending == null) {
          continue;
        }
        open++;
        for (int width : pending.widths()) {
          for (RunSpec t : templates) {
            RunSpec spec = request.atWidth().apply(t, width);
            if (!converged.containsKey(spec.runId())) {
              todo.add(spec);
              rounds.put(spec.runId(), pending.step());
            }
          }
        }
      }
      if (open == 0) {
        break;
      }
      console.printf("search iteration %d: %d of %d groups open, %d runs%n", iteration, open, groups.size(),
          todo.size());
      WavePlan plan = WavePlan.auto(todo, spark.sparkContext().defaultParallelism(), request.waveSize(),
          request.partitions());
      Progress progress = new Progress(todo.size());
      for (int i = 0; i < plan.waves().size(); i++) {
        if (stopAfterWaves > 0 && wavesRun >= stopAfterWaves) {
          console.printf("stopping after %d waves as asked; finish with --resume%n", wavesRun);
          return new Outcome(folder.root().toString(), alreadyDone + ran, alreadyDone, ran, wavesRun, counts,
              Duration.between(started, Instant.now()).toMillis(), sumRunMs);
        }
        WaveResult w = runWave(request.sweep(), folder, nextWave, plan.waves().get(i), datasetsWritten, progress,
            i + 1, plan.waves().size(), rounds);
        readStatuses(folder, nextWave, converged);
        ran += w.runs;
        sumRunMs += w.sumRunMs;
        w.statusCounts.forEach((k, v) -> counts.merge(k, v, Long::sum));
        nextWave++;
        wavesRun++;
        writeManifest(folder, request, started, null, nextWave, alreadyDone + ran);
      }
    }
    writeManifest(folder, request, started, Instant.now(), nextWave, alreadyDone + ran);
    return new Outcome(folder.root().toString(), alreadyDone + ran, alreadyDone, ran, wavesRun, counts,
        Duration.between(started, Instant.now()).toMillis(), sumRunMs);
  }

  /**
   * Broadcasts the user tables the runs read (source csv or parquet), which the driver registered
   * when it read the config, so that every task can register them before it runs anything.
   */
  private void shipTables(SweepRequest request) throws SweepException {
    for (RunSpec spec : request.runs()) {
      TableSpec t = spec.data().table();
      if (t != null && !tables.containsKey(t.hash())) {
        UserTable table = UserTables.find(t.hash());
        if (table == null) {
          throw new SweepException("the user table " + t.path() + " (sha256 " + t.hash() + ") is not loaded on the"
              + " driver: load the config with a table reader (ConfigLoader.load with UserTableLoader)");
        }
        tables.put(t.hash(), JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(table));
      }
    }
  }

  /** The widths a group probes next and the bisection step they belong to. */
  private record Pending(int step, List<Integer> widths) {}

  /**
   * Replays one group's bisection over the known results: the first step whose widths are not all
   * measured (every seed has a row), or null when the group is settled.
   */
  private static Pending pendingProbes(List<RunSpec> templates, SearchOptions o, Map<String, Boolean> converged,
      java.util.function.BiFunction<RunSpec, Integer, RunSpec> atWidth) {
    java.util.TreeMap<Integer, Double> rates = new java.util.TreeMap<>();
    for (int step = 0; ; step++) {
      List<Integer> probes = WidthSearch.nextProbes(rates, o);
      if (probes.isEmpty()) {
        return null;
      }
      for (int width : probes) {
        int ok = 0;
        for (RunSpec t : templates) {
          Boolean c = converged.get(atWidth.apply(t, width).runId());
          if (c == null) {
            return new Pending(step, probes);
          }
          ok += c ? 1 : 0;
        }
        rates.put(width, (double) ok / templates.size());
      }
    }
  }

  private void readStatuses(SweepFolder folder, int wave, Map<String, Boolean> converged) {
    for (Row r : spark.read().schema(Tables.RUNS_SCHEMA).parquet(folder.wavePath(Tables.RUNS, wave).toString())
        .select("run_id", "status").collectAsList()) {
      converged.put(r.getString(0), "converged".equals(r.getString(1)));
    }
  }

  /**
   * Checks the folder, creates it or prepares a resume; returns the run ids already done. Nothing is
   * written into an existing folder before it has been checked: a sweep folder of this very grid,
   * holding nothing foreign, whose committed waves all read back as this sweep's rows, each run once.
   */
  private Set<String> prepare(SweepFolder folder, SweepRequest request, boolean resume)
      throws IOException, SweepException {
    if (!folder.existsNonEmpty()) {
      try {
        folder.create();
        folder.write(SweepFolder.CONFIG_FILE, request.resolvedConfig());
      } catch (IOException e) {
        throw new SweepException("cannot write the output folder " + folder.root() + ": " + rootCause(e)
            + "; choose a writable --out with free space", e);
      }
      return Set.of();
    }
    if (!folder.isDirectory()) {
      throw new SweepException("output path " + folder.root() + " exists and is a file, not a folder: refusing to"
          + " touch it; choose another --out or sweep name");
    }
    if (!folder.hasConfig()) {
      throw new SweepException("output folder " + folder.root() + " exists and is not an overparam sweep folder"
          + " (no " + SweepFolder.CONFIG_FILE + "): refusing to write into it; choose another --out or sweep name");
    }
    List<String> foreign = folder.foreignEntries();
    if (!foreign.isEmpty()) {
      throw new SweepException("sweep folder " + folder.root() + " holds what no overparam sweep writes ("
          + String.join(", ", foreign.subList(0, Math.min(5, foreign.size()))) + (foreign.size() > 5 ? ", ..." : "")
          + "): a foreign or corrupted folder; refusing to write into it");
    }
    String fingerprint = storedFingerprint(folder);
    if (fingerprint == null) {
      throw new SweepException("sweep folder " + folder.root() + " has no readable " + SweepFolder.MANIFEST_FILE
          + " with its grid fingerprint: the folder is corrupted or was not written by overparam; refusing to"
          + " write into it");
    }
    if (!request.gridFingerprint().equals(fingerprint)) {
      throw new SweepException("sweep folder " + folder.root() + " holds a sweep run from a different config (its"
          + " grid differs from this one): refusing to mix results; choose another sweep name or --out");
    }
    if (!resume) {
      throw new SweepException("sweep folder " + folder.root() + " already exists; rerun with --resume to finish"
          + " it, or choose another sweep name or --out");
    }
    Set<String> done = verifiedRunIds(folder, request);
    List<org.apache.hadoop.fs.Path> removed = folder.removeOrphans(TABLES);
    for (org.apache.hadoop.fs.Path p : removed) {
      console.println("removed uncommitted output " + p);
    }
    return done;
  }

  /**
   * The run ids of the committed waves, after checking that every committed file reads back (no
   * truncated or foreign Parquet file) and that runs/ holds this sweep's runs, each once.
   */
  private Set<String> verifiedRunIds(SweepFolder folder, SweepRequest request) throws IOException, SweepException {
    Set<String> ids = new HashSet<>();
    for (String table : TABLES) {
      List<String> paths = new ArrayList<>();
      for (int wave : folder.committedWaves()) {
        org.apache.hadoop.fs.Path p = folder.wavePath(table, wave);
        if (p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
          paths.add(p.toString());
        }
      }
      if (paths.isEmpty()) {
        continue;
      }
      try {
        org.apache.spark.sql.Dataset<Row> df = spark.read().parquet(paths.toArray(String[]::new));
        for (org.apache.spark.sql.types.StructField key : keyFields(table)) {
          boolean present = java.util.Arrays.stream(df.schema().fields())
              .anyMatch(f -> f.name().equals(key.name()) && f.dataType().equals(key.dataType()));
          if (!present) {
            throw new SweepException("committed " + table + "/ in " + folder.root() + " has no column "
                + key.name() + " of type " + key.dataType().simpleString() + ": foreign Parquet files, refusing to"
                + " append to them");
          }
        }
        if (!table.equals(Tables.RUNS)) {
          df.count(); // reads every file's footer: a truncated or foreign file fails here
          continue;
        }
        Set<String> grid = request.search() == null ? new HashSet<>() : null;
        if (grid != null) {
          request.runs().forEach(r -> grid.add(r.runId()));
        }
        for (Row r : df.select("run_id", "sweep").collectAsList()) {
          String id = r.getString(0);
          if (!request.sweep().equals(r.getString(1)) || id == null || (grid != null && !grid.contains(id))) {
            throw new SweepException("committed runs/ in " + folder.root() + " holds a row of another sweep (run "
                + id + ", sweep " + r.getString(1) + "): refusing to mix results");
          }
          if (!ids.add(id)) {
            throw new SweepException("committed runs/ in " + folder.root() + " holds run " + id + " twice: the"
                + " folder is corrupted; refusing to append to it");
          }
        }
      } catch (SweepException e) {
        throw e;
      } catch (Exception e) { // Spark's read failures are undeclared checked exceptions
        throw new SweepException("committed " + table + "/ in " + folder.root() + " cannot be read back ("
            + rootCause(e) + "): a corrupted or foreign Parquet file; refusing to append to it. Move the folder"
            + " away, or delete the damaged wave=N folders of runs/ to have those waves recomputed", e);
      }
    }
    return ids;
  }

  private static List<org.apache.spark.sql.types.StructField> keyFields(String table) {
    org.apache.spark.sql.types.StructType schema = schemaOf(table);
    List<String> names = switch (table) {
      case Tables.RUNS -> List.of("run_id", "sweep", "status");
      case Tables.CURVES -> List.of("run_id", "step");
      default -> List.of("dataset_id");
    };
    return names.stream().map(n -> schema.apply(n)).toList();
  }

  /** The grid fingerprint in manifest.json, or null when the manifest is missing or unreadable. */
  private String storedFingerprint(SweepFolder folder) {
    try {
      String f = new ObjectMapper().readTree(folder.read(SweepFolder.MANIFEST_FILE)).path("grid_fingerprint")
          .asText("");
      return f.isEmpty() ? null : f;
    } catch (IOException e) {
      return null;
    }
  }

  private Set<String> existingIds(SweepFolder folder, String table, String column) throws IOException {
    if (folder.committedWaves().isEmpty()) {
      return new HashSet<>();
    }
    Set<String> ids = new HashSet<>();
    for (int wave : folder.committedWaves()) {
      org.apache.hadoop.fs.Path p = folder.wavePath(table, wave);
      if (p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        for (Row r : spark.read().schema(schemaOf(table)).parquet(p.toString()).select(column).collectAsList()) {
          ids.add(r.getString(0));
        }
      }
    }
    return ids;
  }

  private static org.apache.spark.sql.types.StructType schemaOf(String table) {
    return switch (table) {
      case Tables.RUNS -> Tables.RUNS_SCHEMA;
      case Tables.CURVES -> Tables.CURVES_SCHEMA;
      default -> Tables.DATASETS_SCHEMA;
    };
  }

  /** The rows one run contributes to each table. */
  record Produced(Row run, List<Row> curve, String datasetId, Row dataset, String status, long wallMs)
      implements Serializable {}

  private record WaveResult(int runs, long sumRunMs, Map<String, Long> statusCounts) {}

  private WaveResult runWave(String sweep, SweepFolder folder, int wave, List<List<RunSpec>> buckets,
      Set<String> datasetsWritten, Progress progress, int index, int total, Map<String, Integer> searchRounds)
      throws SweepException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator finished = spark.sparkContext().longAccumulator("runs finished");
    LongAccumulator converged = spark.sparkContext().longAccumulator("runs converged");
    LongAccumulator failed = spark.sparkContext().longAccumulator("runs failed or diverged");
    jsc.setJobGroup("overparam-" + sweep + "-wave-" + wave, "overparam sweep " + sweep + " wave " + wave, false);
    List<Broadcast<UserTable>> shipped = List.copyOf(tables.values());
    Faults faults = this.faults;
    JavaRDD<Produced> produced = jsc.parallelize(buckets, buckets.size()).flatMap(bucket -> {
      for (Broadcast<UserTable> table : shipped) {
        UserTables.register(table.value());
      }
      String host = InetAddress.getLocalHost().getHostName();
      List<Produced> out = new ArrayList<>(bucket.size());
      for (RunSpec spec : bucket) {
        RunResult r;
        try {
          faults.beforeRun(spec, wave);
          r = Runs.execute(spec);
        } catch (RuntimeException e) {
          // Runs.execute turns a run's own exceptions into results; this catches what is thrown around
          // it, so that one bad run is a failed row and not a task that Spark retries and then aborts.
          r = Runs.failed(spec, e);
        }
        out.add(new Produced(Tables.runRow(sweep, r, host, searchRounds == null ? null : searchRounds.get(r.runId())),
            Tables.curveRows(r),
            r.dataset() == null ? null : r.dataset().datasetId(),
            r.dataset() == null ? null : Tables.datasetRow(spec.data(), r.dataset()),
            io.github.overparam.core.Names.of(r.status()), r.wallMs()));
        finished.add(1);
        if (r.status() == Status.CONVERGED) {
          converged.add(1);
        } else if (r.status() == Status.FAILED || r.status() == Status.DIVERGED) {
          failed.add(1);
        }
      }
      return out.iterator();
    }).persist(StorageLevel.MEMORY_AND_DISK());

    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "overparam-progress");
      t.setDaemon(true);
      return t;
    });
    int runsInWave = buckets.stream().mapToInt(List::size).sum();
    ticker.scheduleAtFixedRate(() -> progress.print(console, index, total, finished.value(), converged.value(),
        failed.value()), progressEvery.toMillis(), progressEvery.toMillis(), TimeUnit.MILLISECONDS);
    try {
      // Compute once; this small projection comes to the driver, the writes below read the persisted rows.
      List<Produced> summaries = produced.map(p -> new Produced(null, List.of(), p.datasetId(), p.dataset(),
          p.status(), p.wallMs())).collect();
      Map<String, Long> counts = new LinkedHashMap<>();
      long sumMs = 0;
      List<Row> newDatasets = new ArrayList<>();
      Set<String> fresh = new HashSet<>();
      for (Produced p : summaries) {
        counts.merge(p.status(), 1L, Long::sum);
        sumMs += p.wallMs();
        if (p.datasetId() != null && !datasetsWritten.contains(p.datasetId()) && fresh.add(p.datasetId())) {
          newDatasets.add(p.dataset());
        }
      }
      if (!newDatasets.isEmpty()) {
        spark.createDataFrame(newDatasets, Tables.DATASETS_SCHEMA).coalesce(1).write().mode(SaveMode.ErrorIfExists)
            .parquet(folder.wavePath(Tables.DATASETS, wave).toString());
      }
      spark.createDataFrame(produced.flatMap(p -> {
        faults.duringWrite(Tables.CURVES, wave);
        return p.curve().iterator();
      }), Tables.CURVES_SCHEMA)
          .coalesce(Math.max(1, Math.min(4, buckets.size()))).write().mode(SaveMode.ErrorIfExists)
          .parquet(folder.wavePath(Tables.CURVES, wave).toString());
      // runs/ last: its commit marks the wave as done.
      spark.createDataFrame(produced.map(p -> {
        faults.duringWrite(Tables.RUNS, wave);
        return p.run();
      }), Tables.RUNS_SCHEMA).coalesce(1).write()
          .mode(SaveMode.ErrorIfExists).parquet(folder.wavePath(Tables.RUNS, wave).toString());
      datasetsWritten.addAll(fresh);
      progress.finishWave(runsInWave, counts.getOrDefault("converged", 0L),
          counts.getOrDefault("failed", 0L) + counts.getOrDefault("diverged", 0L));
      progress.print(console, index, total, 0, 0, 0);
      return new WaveResult(runsInWave, sumMs, counts);
    } catch (Exception e) { // Spark's job failures are undeclared checked exceptions
      throw new SweepException("wave " + wave + " failed and was not committed: " + rootCause(e)
          + "; the waves committed before it are intact in " + folder.root() + ": fix the cause (space,"
          + " permissions, cluster) and rerun the same command with --resume to finish the sweep", e);
    } finally {
      ticker.shutdownNow();
      produced.unpersist(false);
      jsc.clearJobGroup();
    }
  }

  /** The innermost message of {@code e}'s causes (a task's own exception inside Spark's job failure). */
  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
    return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  private void writeManifest(SweepFolder folder, SweepRequest request, Instant started, Instant finished, int waves,
      int runsDone) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode m = json.createObjectNode();
    m.put("sweep", request.sweep());
    m.put("overparam_version", BuildInfo.version());
    m.put("git_commit", BuildInfo.gitCommit());
    m.put("spark_version", spark.version());
    m.put("java_version", System.getProperty("java.version"));
    m.put("master", spark.sparkContext().master());
    m.put("default_parallelism", spark.sparkContext().defaultParallelism());
    m.put("grid_size", request.runs().size());
    m.put("grid_fingerprint", request.gridFingerprint());
    m.put("runs_done", runsDone);
    m.put("waves", waves);
    m.put("started_at", started.toString());
    if (finished != null) {
      m.put("finished_at", finished.toString());
    }
    m.put("complete", runsDone == request.runs().size());
    folder.write(SweepFolder.MANIFEST_FILE, json.writeValueAsString(m) + "\n");
  }

  /** Console progress over the whole sweep. */
  static final class Progress {
    private final int total;
    private final long start = System.nanoTime();
    private long doneBefore;
    private long convergedBefore;
    private long failedBefore;

    Progress(int total) {
      this.total = total;
    }

    void finishWave(long runs, long converged, long failed) {
      doneBefore += runs;
      convergedBefore += converged;
      failedBefore += failed;
    }

    void print(PrintStream out, int wave, int waves, long inWave, long convergedInWave, long failedInWave) {
      long done = doneBefore + inWave;
      double elapsed = (System.nanoTime() - start) / 1e9;
      String eta = done == 0 ? "?" : format(elapsed / done * (total - done));
      out.printf("[wave %d/%d] %d/%d runs done, %d converged, %d diverged or failed, elapsed %s, ETA %s%n", wave,
          waves, done, total, convergedBefore + convergedInWave, failedBefore + failedInWave, format(elapsed), eta);
    }

    private static String format(double seconds) {
      long s = Math.round(seconds);
      return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
          : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
  }
}
