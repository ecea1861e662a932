package io.github.overparam.spark.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.overparam.spark.table.Table;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * {@code compacted.json}: the commit record of a compaction (docs/design.md section 4). It lists,
 * per table written in waves, the files of the partitioned layout (paths relative to the table's
 * folder), their rows and bytes, the schema they read back with and the waves they replace. Readers
 * trust it instead of listings: with it, a table is its listed files plus the committed waves it
 * does not cover; without it, the committed waves. It is written once, through a temporary name and
 * a rename to a name that does not exist yet, so a reader sees it whole or not at all.
 *
 * <p>A later compaction (of waves committed since) writes the next generation, {@code
 * compacted.2.json}, {@code compacted.3.json} and so on, listing the earlier files and its own;
 * readers take the highest generation present, so the switch is that one create-if-absent, and the
 * older records are deleted after it.
 */
record TableLayout(int generation, List<Integer> waves, List<String> partitionColumns, Map<Table, Files> tables,
    String createdAt, String session) {
  /** The record of the first compaction; generation g >= 2 is {@code compacted.g.json} ({@link #file}). */
  static final String FILE = "compacted.json";
  private static final Pattern NAME = Pattern.compile("compacted(?:\\.([1-9][0-9]{0,8}))?\\.json");
  static final String KIND = "partitioned";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A file of the layout: its path relative to the table's folder, its rows and bytes. */
  record FileEntry(String path, long rows, long bytes) implements Serializable {}

  /** One table's files, the schema they read back with (view order) and its partition columns. */
  record Files(StructType schema, List<String> partitionColumns, List<FileEntry> files) {
    long rows() {
      return files.stream().mapToLong(FileEntry::rows).sum();
    }

    long bytes() {
      return files.stream().mapToLong(FileEntry::bytes).sum();
    }
  }

  /** The waves the layout replaces. */
  TreeSet<Integer> covered() {
    return new TreeSet<>(waves);
  }

  /** The name of generation {@code g}'s record. */
  static String file(int generation) {
    return generation == 1 ? FILE : "compacted." + generation + ".json";
  }

  /** The generation a file name is the record of, or 0 when it is none. */
  static int generationOf(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return 0;
    }
    int g = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
    return g == 1 && m.group(1) != null ? 0 : g; // generation 1 is compacted.json only

  }

  /** The generations of the records in the folder, in order (empty when it was never compacted). */
  static TreeSet<Integer> generations(SweepFolder folder) throws IOException {
    TreeSet<Integer> out = new TreeSet<>();
    FileStatus[] entries;
    try {
      entries = folder.fs().listStatus(folder.root());
    } catch (FileNotFoundException e) {
      return out; // no folder yet: never compacted
    }
    for (FileStatus st : entries) {
      int g = generationOf(st.getPath().getName());
      if (g > 0 && st.isFile()) {
        out.add(g);
      }
    }
    return out;
  }

  /** The folder's commit record (its highest generation), or null when the folder was never compacted. */
  static TableLayout read(SweepFolder folder) throws IOException {
    TreeSet<Integer> generations = generations(folder);
    if (generations.isEmpty()) {
      return null;
    }
    int generation = generations.last();
    String name = file(generation);
    JsonNode m = JSON.readTree(folder.read(name));
    if (!KIND.equals(m.path("layout").asText())) {
      throw new IOException(folder.root() + "/" + name + ": layout '" + m.path("layout").asText() + "' is unknown;"
          + " allowed: " + KIND + " (a newer overparam wrote it?)");
    }
    List<Integer> waves = new ArrayList<>();
    m.path("waves").forEach(w -> waves.add(w.asInt()));
    Map<Table, Files> tables = new EnumMap<>(Table.class);
    m.path("tables").fields().forEachRemaining(e -> {
      Table table = Table.named(e.getKey()).orElseThrow(() -> new IllegalStateException(folder.root() + "/" + name
          + ": table '" + e.getKey() + "' is unknown"));
      JsonNode t = e.getValue();
      List<FileEntry> files = new ArrayList<>();
      t.path("files").forEach(f -> files.add(new FileEntry(f.path("path").asText(), f.path("rows").asLong(), f.path(
          "bytes").asLong())));
      tables.put(table, new Files((StructType) DataType.fromJson(t.path("schema").toString()), strings(t.path(
          "partition_columns")), files));
    });
    return new TableLayout(generation, waves, strings(m.path("partition_columns")), tables, m.path(
        "created_at").asText(), m.path(
            "session_id").asText());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(s -> out.add(s.asText()));
    return out;
  }

  /** The record as JSON (also what the manifest's {@code layout} summarizes). */
  ObjectNode json(boolean withFiles) {
    ObjectNode m = JSON.createObjectNode();
    m.put("layout", KIND);
    m.put("generation", generation);
    ArrayNode w = m.putArray("waves");
    waves.forEach(w::add);
    ArrayNode p = m.putArray("partition_columns");
    partitionColumns.forEach(p::add);
    m.put("created_at", createdAt);
    m.put("session_id", session);
    ObjectNode t = m.putObject("tables");
    tables.forEach((table, files) -> {
      ObjectNode o = t.putObject(table.dir());
      o.put("rows", files.rows());
      o.put("bytes", files.bytes());
      o.put("file_count", files.files().size());
      ArrayNode pc = o.putArray("partition_columns");
      files.partitionColumns().forEach(pc::add);
      if (withFiles) {
        try {
          o.set("schema", JSON.readTree(files.schema().json()));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        ArrayNode list = o.putArray("files");
        for (FileEntry f : files.files()) {
          list.addObject().put("path", f.path()).put("rows", f.rows()).put("bytes", f.bytes());
        }
      }
    });
    return m;
  }

  /**
   * Writes the record: the commit point of a compaction. Fails when the folder has this generation's
   * record already (another compaction committed it).
   */
  void commit(SweepFolder folder) throws IOException {
    folder.writeNew(file(generation), JSON.writeValueAsString(json(true)) + "\n");
  }

  /** Deletes the records of the generations before this one (after its commit: readers take the highest). */
  void removeEarlier(SweepFolder folder) throws IOException {
    for (int g : generations(folder).headSet(generation)) {
      folder.fs().delete(new Path(folder.root(), file(g)), false);
    }
  }

  /** A first record, of now. */
  static TableLayout of(List<Integer> waves, List<String> partitionColumns, Map<Table, Files> tables, String session) {
    return new TableLayout(1, List.copyOf(waves), List.copyOf(partitionColumns), tables, Instant.now().toString(),
        session);
  }

  /**
   * The next generation, of now: this record's waves and files and those of the later {@code waves},
   * written into {@code added} (the same partition columns).
   */
  TableLayout next(List<Integer> waves, Map<Table, Files> added, String session) {
    TreeSet<Integer> all = covered();
    all.addAll(waves);
    Map<Table, Files> merged = new EnumMap<>(Table.class);
    merged.putAll(tables);
    added.forEach((table, files) -> merged.merge(table, files, (a, b) -> {
      List<FileEntry> both = new ArrayList<>(a.files());
      both.addAll(b.files());
      return new Files(a.schema(), a.partitionColumns(), both);
    }));
    return new TableLayout(generation + 1, List.copyOf(all), partitionColumns, merged, Instant.now().toString(),
        session);
  }
}
