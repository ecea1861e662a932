package io.github.overparam.spark.sweep;

import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output folder of one sweep, {@code <out>/<sweep>/}, on any Hadoop file system: the tables
 * (each wave in its own {@code wave=N} sub-folder, committed by Spark with a {@code _SUCCESS}
 * marker), {@code sweep.yaml} and {@code manifest.json}.
 *
 * <p>A wave counts as done only when its {@code runs/wave=N/_SUCCESS} exists: runs/ is written
 * after curves/ and datasets/, so it is the wave's commit record. Anything else (a wave cut short
 * by a crash) is an orphan, removed before a resume so that no partial file is read as a result.
 */
public final class SweepFolder {
  public static final String CONFIG_FILE = "sweep.yaml";
  public static final String MANIFEST_FILE = "manifest.json";
  private static final String WAVE_PREFIX = "wave=";
  /**
   * How the files a compaction writes begin ({@link PartitionWriter}). A sweep with one group has no
   * partition folders, so its files lie in the table's folder itself: the prefix tells them (and the
   * unlisted ones a compaction cut short left) from a foreign Parquet table written there.
   */
  static final String COMPACTED_PREFIX = "compacted-";
  /** What a sweep folder may hold besides hidden files (checksums, temporaries). */
  private static final Set<String> KNOWN_ENTRIES = knownEntries();

  private final FileSystem fs;
  private final Path root;

  public SweepFolder(Path root, Configuration conf) throws IOException {
    this.fs = root.getFileSystem(conf);
    this.root = fs.makeQualified(root);
  }

  public Path root() {
    return root;
  }

  public Path table(Table table) {
    return new Path(root, table.dir());
  }

  public Path wavePath(Table table, int wave) {
    return new Path(table(table), WAVE_PREFIX + wave);
  }

  private static Set<String> knownEntries() {
    Set<String> known = new HashSet<>(Set.of(CONFIG_FILE, MANIFEST_FILE, TableLayout.FILE, "report"));
    for (Table t : Table.values()) {
      known.add(t.dir());
    }
    return Set.copyOf(known);
  }

  /** Whether the folder exists and holds anything at all. */
  public boolean existsNonEmpty() throws IOException {
    return fs.exists(root) && (!fs.getFileStatus(root).isDirectory() || fs.listStatus(root,
        p -> !p.getName().startsWith(".owner-lease")).length > 0); // a new folder may hold a lease only
  }

  public boolean isDirectory() throws IOException {
    return fs.getFileStatus(root).isDirectory();
  }

  /**
   * What is in the folder that no sweep writes: files beside the tables (a Parquet table written
   * straight into the folder, say), or anything but {@code wave=N} sub-folders (and Spark's
   * temporaries) inside runs/, curves/ and datasets/. Empty for a sweep folder.
   */
  public List<String> foreignEntries() throws IOException {
    List<String> foreign = new ArrayList<>();
    for (FileStatus st : fs.listStatus(root)) {
      String name = st.getPath().getName();
      if (name.startsWith(".")) {
        continue;
      }
      if (!KNOWN_ENTRIES.contains(name) && TableLayout.generationOf(name) == 0) {
        foreign.add(name);
      } else if (Table.named(name).map(Table::waved).orElse(false)) {
        if (!st.isDirectory()) {
          foreign.add(name + " (a file, not a table folder)");
          continue;
        }
        Set<String> listed = listedFiles(Table.named(name).orElseThrow());
        for (FileStatus inner : fs.listStatus(st.getPath())) {
          String n = inner.getPath().getName();
          boolean wave = inner.isDirectory() && n.startsWith(WAVE_PREFIX) && parseWave(n) != null;
          boolean ours = isPartitionDir(inner) || listed.contains(inner.getPath().toUri().getPath())
              || isCompactedFile(inner);
          if (!wave && !ours && !n.startsWith(".") && !n.equals("_temporary")) {
            foreign.add(name + "/" + n);
          }
        }
      }
    }
    return foreign;
  }

  /** The paths of the files the partitioned layout lists for {@code table} (none before a compaction). */
  Set<String> listedFiles(Table table) throws IOException {
    TableLayout layout = TableLayout.read(this);
    Set<String> listed = new HashSet<>();
    if (layout != null && layout.tables().containsKey(table)) {
      layout.tables().get(table).files().forEach(f -> listed.add(new Path(table(table), f.path()).toUri().getPath()));
    }
    return listed;
  }

  /** A file a compaction wrote straight into a table's folder (a sweep with one group). */
  private static boolean isCompactedFile(FileStatus st) {
    return st.isFile() && st.getPath().getName().startsWith(COMPACTED_PREFIX);
  }

  /** A folder of the partitioned layout ({@code column=value}, not a wave). */
  private static boolean isPartitionDir(FileStatus st) {
    String n = st.getPath().getName();
    return st.isDirectory() && !n.startsWith(WAVE_PREFIX) && n.indexOf('=') > 0;
  }

  public boolean hasConfig() throws IOException {
    return fs.exists(new Path(root, CONFIG_FILE));
  }

  public String read(String file) throws IOException {
    try (InputStream in = fs.open(new Path(root, file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Writes {@code file} through a temporary name and a rename, so a reader never sees half a file. */
  public void write(String file, String text) throws IOException {
    Path target = new Path(root, file);
    Path tmp = new Path(root, "." + file + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    if (fs.exists(target) && !fs.delete(target, false)) {
      throw new IOException("cannot replace " + target);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
  }

  /** Whether {@code file} exists in the folder. */
  public boolean exists(String file) throws IOException {
    return fs.exists(new Path(root, file));
  }

  /**
   * Writes the new {@code file} through a temporary name and a rename to a name that does not exist
   * (atomic on HDFS and local file systems): a reader sees all of it or nothing. Fails when it exists.
   */
  void writeNew(String file, String text) throws IOException {
    Path target = new Path(root, file);
    Path tmp = new Path(root, "." + file + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    if (fs.exists(target) || !fs.rename(tmp, target)) {
      fs.delete(tmp, false);
      throw new IOException("cannot create " + target + ": it exists, or the rename failed");
    }
  }

  FileSystem fs() {
    return fs;
  }

  public void create() throws IOException {
    if (!fs.mkdirs(root)) {
      throw new IOException("cannot create " + root);
    }
  }

  /**
   * Waves whose runs/ write was committed: those of the partitioned layout ({@link TableLayout}, if
   * the folder was compacted) and those still in their {@code wave=N} folders.
   */
  public TreeSet<Integer> committedWaves() throws IOException {
    TableLayout layout = TableLayout.read(this);
    TreeSet<Integer> waves = layout == null ? new TreeSet<>() : layout.covered();
    waves.addAll(waveFolders(layout));
    return waves;
  }

  /** Committed waves that are read from their {@code wave=N} folders (none the partitioned layout covers). */
  public TreeSet<Integer> waveFolders() throws IOException {
    return waveFolders(TableLayout.read(this));
  }

  /** {@link #waveFolders()} given the folder's layout record ({@link TableLayout#read}), null if none. */
  TreeSet<Integer> waveFolders(TableLayout layout) throws IOException {
    TreeSet<Integer> waves = new TreeSet<>();
    for (int wave : waves(Table.RUNS)) {
      if (layout != null && layout.covered().contains(wave)) {
        continue;
      }
      if (fs.exists(new Path(wavePath(Table.RUNS, wave), "_SUCCESS"))) {
        waves.add(wave);
      }
    }
    return waves;
  }

  /**
   * Deletes what no reader reads: every wave folder (of every table) that is not a committed wave or
   * that the partitioned layout replaced, the files of the partitioned layout that its record does
   * not list (a compaction cut short, a failed task attempt), and Spark's temporaries.
   */
  public List<Path> removeOrphans(List<Table> tables) throws IOException {
    TreeSet<Integer> readable = waveFolders();
    List<Path> removed = new ArrayList<>();
    for (Table table : tables) {
      Path dir = table(table);
      if (!fs.exists(dir)) {
        continue;
      }
      Set<String> listed = listedFiles(table);
      for (FileStatus st : fs.listStatus(dir)) {
        String name = st.getPath().getName();
        boolean orphanWave = name.startsWith(WAVE_PREFIX) && !readable.contains(parseWave(name));
        if (orphanWave || name.equals("_temporary") || name.startsWith(".spark-staging")) {
          fs.delete(st.getPath(), true);
          removed.add(st.getPath());
        } else if (isPartitionDir(st)) {
          removeUnlisted(st.getPath(), listed, removed);
        } else if (isCompactedFile(st) && !listed.contains(st.getPath().toUri().getPath())) {
          fs.delete(st.getPath(), false);
          removed.add(st.getPath());
        }
      }
    }
    return removed;
  }

  /** Deletes the files under {@code dir} that {@code listed} does not hold, and folders left empty. */
  private void removeUnlisted(Path dir, Set<String> listed, List<Path> removed) throws IOException {
    for (FileStatus st : fs.listStatus(dir)) {
      if (st.isDirectory()) {
        removeUnlisted(st.getPath(), listed, removed);
      } else if (!listed.contains(st.getPath().toUri().getPath()) && !st.getPath().getName().startsWith(".")) {
        fs.delete(st.getPath(), false);
        removed.add(st.getPath());
      }
    }
    if (fs.listStatus(dir).length == 0) {
      fs.delete(dir, false);
    }
  }

  /** Whether any committed wave exists in {@code table}. */
  public boolean hasData(Table table) throws IOException {
    return !waves(table).isEmpty();
  }

  private TreeSet<Integer> waves(Table table) throws IOException {
    TreeSet<Integer> waves = new TreeSet<>();
    Path dir = table(table);
    if (!fs.exists(dir)) {
      return waves;
    }
    for (FileStatus st : fs.listStatus(dir)) {
      String name = st.getPath().getName();
      if (st.isDirectory() && name.startsWith(WAVE_PREFIX)) {
        Integer w = parseWave(name);
        if (w != null) {
          waves.add(w);
        }
      }
    }
    return waves;
  }

  private static Integer parseWave(String name) {
    try {
      return Integer.parseInt(name.substring(WAVE_PREFIX.length()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Reads a text file from any Hadoop path (a config on HDFS or S3, say). */
  public static String readText(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
