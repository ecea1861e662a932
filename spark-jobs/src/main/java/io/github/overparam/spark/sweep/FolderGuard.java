package io.github.overparam.spark.sweep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.config.SweepConfig;
import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Guards a sweep folder before anything is written into it: a new folder is created with the
 * config; an existing one is accepted only for {@code --resume}, only if it is a sweep folder of
 * this very grid holding nothing foreign, whose committed waves all read back as this sweep's
 * rows, each run once (checked on the executors). Nothing is written into an existing folder before these checks pass.
 */
final class FolderGuard {
  /** The columns a committed wave of each table must have, with their declared types. */
  private static final List<String> RUNS_CHECKED = List.of("run_id", "sweep", "status");

  private final SparkSession spark;
  private final PrintStream console;
  private final WaveInputs inputs;

  FolderGuard(SparkSession spark, PrintStream console, WaveInputs inputs) {
    this.spark = spark;
    this.console = console;
    this.inputs = inputs;
  }

  /** Checks the folder, creates it or prepares a resume; returns how many runs are already done. */
  long prepare(SweepFolder folder, SweepConfig request, boolean resume, FolderLease lease)
      throws IOException, SweepException {
    if (!folder.existsNonEmpty()) {
      try {
        lease.acquire(resume);
        folder.create();
        folder.write(SweepFolder.CONFIG_FILE, request.resolvedYaml());
      } catch (IOException e) {
        throw new SweepException("cannot write the output folder " + folder.root() + ": " + SweepRunner.rootCause(e)
            + "; choose a writable --out with free space", e);
      }
      return 0;
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
    String fingerprint = Manifest.storedFingerprint(folder);
    if (fingerprint == null) {
      throw new SweepException("sweep folder " + folder.root() + " has no readable " + SweepFolder.MANIFEST_FILE
          + " with its grid fingerprint: the folder is corrupted or was not written by overparam; refusing to"
          + " write into it");
    }
    if (!request.fingerprint().equals(fingerprint) && !legacyMatch(request, fingerprint)) {
      throw new SweepException("sweep folder " + folder.root() + " holds a sweep run from a different config (its"
          + " grid differs from this one): refusing to mix results; choose another sweep name or --out");
    }
    if (!resume) {
      throw new SweepException("sweep folder " + folder.root() + " already exists; rerun with --resume to finish"
          + " it, or choose another sweep name or --out");
    }
    Set<Integer> committed = folder.committedWaves();
    long done = verifiedRuns(folder, request);
    lease.acquire(resume); // checks above are read-only: a refused folder is left as it was
    if (lease.takenOver() != null) {
      console.println("took over the stale lease of " + lease.takenOver().describe(Instant.now()));
    }
    if (!committed.equals(folder.committedWaves())) { // a driver committed waves before it released the folder
      done = verifiedRuns(folder, request);
    }
    for (Path p : folder.removeOrphans(Table.waveTables())) {
      console.println("removed uncommitted output " + p);
    }
    return done;
  }

  /**
   * Whether {@code stored} is the fingerprint an earlier version wrote for this grid (a digest of
   * its sorted run ids), which is computed only for a grid small enough to list on the driver.
   */
  private static boolean legacyMatch(SweepConfig request, String stored) {
    return request.grid().size() <= SweepConfig.MAX_LISTED && request.legacyFingerprint().equals(stored);
  }

  /**
   * The runs of the committed waves, after checking that every committed file reads back (no
   * truncated or foreign Parquet file) and that runs/ holds this sweep's runs, each once; checked
   * on the executors, nothing but counts and a first offending row comes to the driver.
   */
  private long verifiedRuns(SweepFolder folder, SweepConfig request) throws IOException, SweepException {
    long[] runs = {0};
    for (Table table : Table.waveTables()) {
      try {
        Dataset<Row> df = CommittedTables.read(spark, folder, table);
        if (df == null) {
          continue;
        }
        for (StructField key : checkedFields(table)) {
          boolean present = Arrays.stream(df.schema().fields()).anyMatch(f -> f.name().equals(key.name())
              && f.dataType().equals(key.dataType()));
          if (!present) {
            throw new SweepException("committed " + table.dir() + "/ in " + folder.root() + " has no column "
                + key.name() + " of type " + key.dataType().simpleString() + ": foreign Parquet files, refusing to"
                + " append to them");
          }
        }
        if (table != Table.RUNS) {
          df.count(); // reads every file's footer: a truncated or foreign file fails here
          continue;
        }
        runs[0] = checkRuns(folder, request, df);
      } catch (SweepException e) {
        throw e;
      } catch (Exception e) { // Spark's read failures are undeclared checked exceptions
        throw new SweepException("committed " + table.dir() + "/ in " + folder.root() + " cannot be read back ("
            + SweepRunner.rootCause(e) + "): a corrupted or foreign Parquet file; refusing to append to it. Move the"
            + " folder away, or delete the damaged wave=N folders of runs/ to have those waves recomputed", e);
      }
    }
    return runs[0];
  }

  private long checkRuns(SweepFolder folder, SweepConfig request, Dataset<Row> df) throws SweepException {
    Dataset<Row> rows = df.select("run_id", "sweep");
    List<Row> foreign = rows.filter(col("run_id").isNull().or(not(col("sweep").equalTo(lit(request.sweep()))))).limit(
        1).collectAsList();
    if (foreign.isEmpty() && request.search() == null) {
      // Rows whose run is not in the grid: an anti-join against the grid's run ids, decoded on the executors.
      JavaRDD<RunSpec> grid = inputs.range(request.grid(), 0, request.grid().size(),
          spark.sparkContext().defaultParallelism());
      Dataset<Row> ids = spark.createDataset(grid.map(RunSpec::runId).rdd(), Encoders.STRING()).toDF("grid_id");
      foreign = rows.join(ids, rows.col("run_id").equalTo(ids.col("grid_id")), "left_anti").limit(1).collectAsList();
    }
    if (!foreign.isEmpty()) {
      Row r = foreign.get(0);
      throw new SweepException("committed runs/ in " + folder.root() + " holds a row of another sweep (run "
          + r.getString(0) + ", sweep " + r.getString(1) + "): refusing to mix results");
    }
    List<Row> twice = rows.groupBy("run_id").count().filter(col("count").gt(1)).limit(1).collectAsList();
    if (!twice.isEmpty()) {
      throw new SweepException("committed runs/ in " + folder.root() + " holds run " + twice.get(0).getString(0)
          + " twice: the folder is corrupted; refusing to append to it");
    }
    return rows.count();
  }

  /** runs/: its key, sweep and status; the other tables: their keys. */
  private static List<StructField> checkedFields(Table table) {
    List<String> names = table == Table.RUNS ? RUNS_CHECKED : table.keys();
    return names.stream().map(n -> table.schema().apply(n)).toList();
  }
}
