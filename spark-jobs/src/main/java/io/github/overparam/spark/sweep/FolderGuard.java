package io.github.overparam.spark.sweep;

import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Guards a sweep folder before anything is written into it: a new folder is created with the
 * config; an existing one is accepted only for {@code --resume}, only if it is a sweep folder of
 * this very grid holding nothing foreign, whose committed waves all read back as this sweep's
 * rows, each run once. Nothing is written into an existing folder before these checks pass.
 */
final class FolderGuard {
  /** The columns a committed wave of each table must have, with their declared types. */
  private static final List<String> RUNS_CHECKED = List.of("run_id", "sweep", "status");

  private final SparkSession spark;
  private final PrintStream console;

  FolderGuard(SparkSession spark, PrintStream console) {
    this.spark = spark;
    this.console = console;
  }

  /** Checks the folder, creates it or prepares a resume; returns the run ids already done. */
  Set<String> prepare(SweepFolder folder, SweepRequest request, boolean resume, FolderLease lease)
      throws IOException, SweepException {
    if (!folder.existsNonEmpty()) {
      try {
        lease.acquire(resume);
        folder.create();
        folder.write(SweepFolder.CONFIG_FILE, request.resolvedConfig());
      } catch (IOException e) {
        throw new SweepException("cannot write the output folder " + folder.root() + ": " + SweepRunner.rootCause(e)
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
    String fingerprint = Manifest.storedFingerprint(folder);
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
    Set<Integer> committed = folder.committedWaves();
    Set<String> done = verifiedRunIds(folder, request);
    lease.acquire(resume); // checks above are read-only: a refused folder is left as it was
    if (lease.takenOver() != null) {
      console.println("took over the stale lease of " + lease.takenOver().describe(Instant.now()));
    }
    if (!committed.equals(folder.committedWaves())) { // a driver committed waves before it released the folder
      done = verifiedRunIds(folder, request);
    }
    for (Path p : folder.removeOrphans(Table.waveTables())) {
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
    for (Table table : Table.waveTables()) {
      List<String> paths = new ArrayList<>();
      for (int wave : folder.committedWaves()) {
        Path p = folder.wavePath(table, wave);
        if (p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
          paths.add(p.toString());
        }
      }
      if (paths.isEmpty()) {
        continue;
      }
      try {
        Dataset<Row> df = spark.read().parquet(paths.toArray(String[]::new));
        for (StructField key : checkedFields(table)) {
          boolean present = Arrays.stream(df.schema().fields())
              .anyMatch(f -> f.name().equals(key.name()) && f.dataType().equals(key.dataType()));
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
        checkRuns(folder, request, df, ids);
      } catch (SweepException e) {
        throw e;
      } catch (Exception e) { // Spark's read failures are undeclared checked exceptions
        throw new SweepException("committed " + table.dir() + "/ in " + folder.root() + " cannot be read back ("
            + SweepRunner.rootCause(e) + "): a corrupted or foreign Parquet file; refusing to append to it. Move the"
            + " folder away, or delete the damaged wave=N folders of runs/ to have those waves recomputed", e);
      }
    }
    return ids;
  }

  private static void checkRuns(SweepFolder folder, SweepRequest request, Dataset<Row> df, Set<String> ids)
      throws SweepException {
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
  }

  /** runs/: its key, sweep and status; the other tables: their keys. */
  private static List<StructField> checkedFields(Table table) {
    List<String> names = table == Table.RUNS ? RUNS_CHECKED : table.keys();
    return names.stream().map(n -> table.schema().apply(n)).toList();
  }
}
