package io.github.overparam.spark.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * {@code manifest.json}: the sweep's identity (name, grid size and fingerprint), its progress, and
 * a history with one entry per driver session that wrote to the folder (versions, git commit,
 * Spark, Java, master, host, start and end, the waves it committed), so that the provenance of
 * waves written before a crash survives a resume. The top-level version fields are the newest
 * session's; {@code started_at} is the first session's.
 */
public final class Manifest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SweepFolder folder;
  private final String sweep;
  private final long gridSize;
  private final String gridFingerprint;
  private final ArrayNode earlierSessions;
  private final String firstStartedAt;
  private final ObjectNode session;
  private final List<Integer> committed = new ArrayList<>();
  /** The partitioned layout's summary ({@link TableLayout}), kept from session to session; null before. */
  private JsonNode layout;

  private Manifest(SweepFolder folder, String sweep, long gridSize, String gridFingerprint, ArrayNode earlier,
      String firstStartedAt, ObjectNode session) {
    this.folder = folder;
    this.sweep = sweep;
    this.gridSize = gridSize;
    this.gridFingerprint = gridFingerprint;
    this.earlierSessions = earlier;
    this.firstStartedAt = firstStartedAt;
    this.session = session;
  }

  /**
   * Opens a new driver session on {@code folder}: the history of an existing manifest is kept (a
   * manifest of an older version without history becomes one session entry).
   */
  public static Manifest open(SweepFolder folder, SparkSession spark, String sweep, long gridSize,
      String gridFingerprint, Instant started) {
    return open(folder, spark, sweep, gridSize, gridFingerprint, started, newSessionId());
  }

  /** A new driver session id (also the id of its folder lease and of its rows' driver_session). */
  public static String newSessionId() {
    return UUID.randomUUID().toString();
  }

  /** {@link #open(SweepFolder, SparkSession, String, int, String, Instant)} with a given session id. */
  public static Manifest open(SweepFolder folder, SparkSession spark, String sweep, long gridSize,
      String gridFingerprint, Instant started, String sessionId) {
    ArrayNode earlier = JSON.createArrayNode();
    String firstStart = started.toString();
    JsonNode old = readOrNull(folder);
    if (old != null) {
      if (old.has("sessions") && old.get("sessions").isArray()) {
        earlier.addAll((ArrayNode) old.get("sessions"));
      } else {
        ObjectNode legacy = JSON.createObjectNode();
        for (String k : List.of("overparam_version", "git_commit", "spark_version", "java_version", "master",
            "started_at", "finished_at")) {
          if (old.hasNonNull(k)) {
            legacy.set(k, old.get(k));
          }
        }
        legacy.put("waves_before", old.path("waves").asInt(0));
        earlier.add(legacy);
      }
      if (old.hasNonNull("started_at")) {
        firstStart = old.get("started_at").asText();
      }
    }
    JsonNode layout = old == null ? null : old.get("layout");
    ObjectNode s = JSON.createObjectNode();
    s.put("session_id", sessionId);
    s.put("overparam_version", BuildInfo.version());
    s.put("git_commit", BuildInfo.gitCommit());
    s.put("spark_version", spark.version());
    s.put("java_version", System.getProperty("java.version"));
    s.put("master", spark.sparkContext().master());
    s.put("default_parallelism", spark.sparkContext().defaultParallelism());
    s.put("host", hostName());
    s.put("started_at", started.toString());
    Manifest manifest = new Manifest(folder, sweep, gridSize, gridFingerprint, earlier, firstStart, s);
    manifest.layout = layout;
    return manifest;
  }

  /**
   * Records the partitioned layout's summary (partition columns, files, rows and bytes per table) as
   * {@code layout} in the folder's manifest. The commit record is {@link TableLayout#FILE}; this is
   * what a reader of the manifest sees of it.
   */
  static void recordLayout(SweepFolder folder, ObjectNode layout) throws IOException {
    JsonNode old = readOrNull(folder);
    ObjectNode m = old instanceof ObjectNode o ? o : JSON.createObjectNode();
    m.set("layout", layout);
    folder.write(SweepFolder.MANIFEST_FILE, JSON.writeValueAsString(m) + "\n");
  }

  /** This driver session's id. */
  public String sessionId() {
    return session.get("session_id").asText();
  }

  /** Records in this session's entry that it took over the stale folder lease of {@code previous}. */
  public void tookOver(FolderLease.Owner previous) {
    ObjectNode t = session.putObject("lease_takeover");
    t.put("session_id", previous.session());
    t.put("host", previous.host());
    t.put("pid", previous.pid());
    t.put("started_at", previous.started().toString());
    t.put("last_heartbeat_at", previous.heartbeat().toString());
  }

  /** Records that this session committed {@code wave}. */
  public void committed(int wave) {
    committed.add(wave);
  }

  /**
   * Writes the manifest (through a temporary file and a rename).
   *
   * @param waves waves committed so far, by every session
   * @param runsDone runs in committed waves
   * @param finished when the sweep finished in this session, or null
   */
  public void write(int waves, long runsDone, Instant finished) throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("sweep", sweep);
    for (String k : List.of("overparam_version", "git_commit", "spark_version", "java_version", "master",
        "default_parallelism")) {
      m.set(k, session.get(k));
    }
    m.put("grid_size", gridSize);
    m.put("grid_fingerprint", gridFingerprint);
    m.put("runs_done", runsDone);
    m.put("waves", waves);
    m.put("started_at", firstStartedAt);
    ObjectNode current = session.deepCopy();
    ArrayNode w = current.putArray("waves_committed");
    committed.forEach(w::add);
    if (finished != null) {
      m.put("finished_at", finished.toString());
      current.put("finished_at", finished.toString());
    } else {
      current.put("last_update_at", Instant.now().toString());
    }
    // A search settles before every template width is probed: finished says it is done.
    m.put("complete", finished != null || runsDone == gridSize);
    if (layout != null) {
      m.set("layout", layout);
    }
    ArrayNode sessions = m.putArray("sessions");
    sessions.addAll(earlierSessions.deepCopy());
    sessions.add(current);
    folder.write(SweepFolder.MANIFEST_FILE, JSON.writeValueAsString(m) + "\n");
  }

  /** The grid fingerprint stored in the folder's manifest, or null when missing or unreadable. */
  public static String storedFingerprint(SweepFolder folder) {
    JsonNode m = readOrNull(folder);
    String f = m == null ? "" : m.path("grid_fingerprint").asText("");
    return f.isEmpty() ? null : f;
  }

  private static JsonNode readOrNull(SweepFolder folder) {
    try {
      return JSON.readTree(folder.read(SweepFolder.MANIFEST_FILE));
    } catch (IOException e) {
      return null;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
