package io.github.overparam.spark.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One driver per sweep folder: the owner lease {@code <folder>/.owner-lease.json}, holding the
 * owner's driver session id, host, pid and start time; its modification time is the heartbeat,
 * which the owner renews every {@code heartbeat} from a daemon thread. A lease whose heartbeat is
 * older than {@code timeout}, or whose owner ran on this host under a pid that is gone, belongs to a
 * driver that died; only {@code run --resume} takes it over, and says whose lease it took. (The pid
 * check assumes that host names are unique to a pid namespace: containers that share the host's
 * name, {@code --network=host}, should not run drivers on one folder.)
 *
 * <p>What it relies on: an atomic create-if-absent. On a local path that is {@code link(2)} of a
 * fully written temporary file (POSIX, atomic); on other Hadoop file systems {@code create(path,
 * overwrite = false)}, atomic on HDFS (the NameNode serializes it). A takeover first creates {@code
 * .owner-lease.takeover-<stale session>} the same way, so of two drivers that find the same stale
 * lease only one replaces it. Object stores without a conditional put (S3 before conditional writes,
 * GCS through the connector's check-then-write) do not give an atomic create: there the lease still
 * refuses a second driver started after the first took it, but two started in the same second may
 * both pass.
 */
public final class FolderLease implements AutoCloseable {
  /** The lease file in the sweep folder: hidden, so readers and the folder guard skip it. */
  public static final String FILE = ".owner-lease.json";
  static final String TAKEOVER_PREFIX = ".owner-lease.takeover-";
  /** Spark settings (also {@code -Dspark.overparam.lease.*} in local mode) for the lease's timing. */
  public static final String HEARTBEAT_CONF = "spark.overparam.lease.heartbeat";
  public static final String TIMEOUT_CONF = "spark.overparam.lease.timeout";
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** The driver that holds (or held) a lease; {@code heartbeat} is the lease file's modification time. */
  public record Owner(String session, String host, long pid, Instant started, Instant heartbeat) {
    /** "driver session S (host H, pid P, started T, last heartbeat N s ago)". */
    public String describe(Instant now) {
      return "driver session " + session + " (host " + host + ", pid " + pid + ", started " + started
          + ", last heartbeat " + Math.max(0, Duration.between(heartbeat, now).toSeconds()) + " s ago)";
    }
  }

  /** The folder has a live owner (or another driver is taking it over): the CLI exits with code 2. */
  public static final class BusyException extends SweepException {
    private static final long serialVersionUID = 1L;

    BusyException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  /** This host's name, looked up once (a lookup can take seconds where name resolution is slow). */
  private static final String HOST = hostName();

  private final FileSystem fs;
  private final Path folder;
  private final Path file;
  private final File localFile; // non-null on a local path
  private final Duration heartbeat;
  private final Duration timeout;
  private final String session;
  private final String host;
  private final long pid;
  private final Instant started;
  private ScheduledExecutorService renewer;
  private volatile boolean held;
  private volatile String lost;
  private Owner takenOver;

  /**
   * A lease on {@code folder} for this driver session; nothing is written before {@link #acquire}.
   *
   * @param session this driver session's id ({@link Manifest#newSessionId()})
   */
  public FolderLease(Path folder, Configuration conf, String session, Duration heartbeat, Duration timeout)
      throws IOException {
    if (heartbeat.isNegative() || heartbeat.isZero() || timeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("lease heartbeat must be > 0 and timeout >= 2 x heartbeat, got heartbeat "
          + heartbeat + ", timeout " + timeout);
    }
    this.fs = folder.getFileSystem(conf);
    this.folder = fs.makeQualified(folder);
    this.file = new Path(this.folder, FILE);
    this.localFile = "file".equals(this.folder.toUri().getScheme()) ? new File(file.toUri()) : null;
    this.heartbeat = heartbeat;
    this.timeout = timeout;
    this.session = session;
    this.host = HOST;
    this.pid = ProcessHandle.current().pid();
    this.started = Instant.now();
  }

  /**
   * A lease on {@code folder} for a new driver session, with the session's {@link #HEARTBEAT_CONF}
   * (default 10 s) and {@link #TIMEOUT_CONF} (default 60 s).
   */
  public static FolderLease forSession(Path folder, SparkSession spark) throws IOException {
    return new FolderLease(folder, spark.sparkContext().hadoopConfiguration(), Manifest.newSessionId(),
        Duration.ofMillis(spark.sparkContext().getConf().getTimeAsMs(HEARTBEAT_CONF, "10s")),
        Duration.ofMillis(spark.sparkContext().getConf().getTimeAsMs(TIMEOUT_CONF, "60s")));
  }

  public String session() {
    return session;
  }

  /** The owner whose stale lease {@link #acquire} took over, or null. */
  public Owner takenOver() {
    return takenOver;
  }

  /** The current owner of {@code folder}'s lease, or null when there is none. */
  public static Owner owner(FileSystem fs, Path folder) throws IOException {
    Path f = new Path(folder, FILE);
    FileStatus st;
    String text;
    try {
      st = fs.getFileStatus(f);
      try (InputStream in = fs.open(f)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (FileNotFoundException | ParentNotDirectoryException gone) {
      return null; // no lease (or no folder: a path under a file is the folder guard's to report)
    }
    Instant mtime = Instant.ofEpochMilli(st.getModificationTime());
    JsonNode n;
    try {
      n = text.isBlank() ? null : JSON.readTree(text);
    } catch (IOException e) {
      n = null;
    }
    if (n == null || !n.hasNonNull("session")) { // being written (HDFS shows it empty until closed) or damaged
      return new Owner("(unreadable lease " + f + ")", "?", -1, mtime, mtime);
    }
    return new Owner(n.path("session").asText(), n.path("host").asText(), n.path("pid").asLong(),
        Instant.parse(n.path("started").asText(mtime.toString())), mtime);
  }

  /**
   * {@link #inProgressNote(String, Configuration, Duration)} with the session's {@link #TIMEOUT_CONF}
   * (default 60 s).
   */
  public static String inProgressNote(String folder, SparkSession spark) {
    return inProgressNote(folder, spark.sparkContext().hadoopConfiguration(),
        Duration.ofMillis(spark.sparkContext().getConf().getTimeAsMs(TIMEOUT_CONF, "60s")));
  }

  /**
   * Whether {@code o} counts as alive: its heartbeat is younger than the timeout and, when it runs
   * on this host, its pid is still the process that took the lease (a driver killed on this host is
   * dead at once, without waiting for the timeout).
   */
  public boolean isLive(Owner o, Instant now) {
    return isLive(o, now, timeout);
  }

  static boolean isLive(Owner o, Instant now, Duration timeout) {
    if (Duration.between(o.heartbeat(), now).compareTo(timeout) >= 0) {
      return false;
    }
    if (o.pid() <= 0 || !o.host().equals(HOST)) {
      return true;
    }
    return ProcessHandle.of(o.pid()).filter(ProcessHandle::isAlive).map(p -> p.info().startInstant().map(
        t -> !t.isAfter(o.started())).orElse(true)).orElse(false);
  }

  /**
   * A note for readers ({@code sql}, {@code analyze}) when {@code folder} has a live owner: the run
   * in progress, and that only committed waves are read. Null when nobody holds the folder.
   */
  public static String inProgressNote(String folder, Configuration conf, Duration timeout) {
    try {
      Path p = new Path(folder);
      FileSystem fs = p.getFileSystem(conf);
      Owner o = owner(fs, fs.makeQualified(p));
      Instant now = Instant.now();
      if (o == null || !isLive(o, now, timeout)) {
        return null;
      }
      return "note: a run is in progress in " + folder + " (" + o.describe(now) + "): reading its committed waves"
          + " only";
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Refuses (without writing anything) when the folder has a live owner, or a stale one and this is
   * not a resume. Called before the folder's read-only checks so that a busy folder says who holds it.
   */
  public void refuseIfHeld(boolean resume) throws IOException, BusyException {
    Owner o = owner(fs, folder);
    if (o == null) {
      return;
    }
    Instant now = Instant.now();
    if (isLive(o, now)) {
      throw new BusyException("sweep folder " + folder + " is being written by " + o.describe(now)
          + "; one driver per folder: wait for it to finish, or stop it and rerun with --resume");
    }
    if (!resume) {
      throw new BusyException("sweep folder " + folder + " has the lease of " + o.describe(now) + ", which stopped"
          + " renewing it (the driver died): rerun with --resume to take it over and finish the sweep");
    }
  }

  /**
   * Takes the lease (creating the folder if needed) and starts renewing it. A stale lease is taken
   * over when {@code resume} (see {@link #takenOver()}); a live one, or a takeover raced by another
   * driver, is a {@link BusyException}.
   */
  public void acquire(boolean resume) throws IOException, BusyException {
    if (!fs.mkdirs(folder)) {
      throw new IOException("cannot create " + folder);
    }
    boolean mine = false;
    for (int attempt = 0; attempt < 3 && !mine; attempt++) {
      mine = createExclusive(file, ownerJson());
      if (!mine) {
        Owner o = owner(fs, folder);
        if (o == null) {
          continue; // released meanwhile
        }
        refuseIfHeld(resume); // live, or stale without --resume
        mine = takeOver(o);
        takenOver = mine ? o : null;
      }
    }
    if (!mine) {
      Owner now = owner(fs, folder);
      throw new BusyException("sweep folder " + folder + " was taken by " + (now == null ? "another driver"
          : now.describe(Instant.now())) + " while this driver was starting; one driver per folder");
    }
    held = true;
    renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "overparam-lease-heartbeat");
      t.setDaemon(true);
      return t;
    });
    renewer.scheduleWithFixedDelay(this::renew, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Replaces the stale lease of {@code stale}; false when another driver got there first. */
  private boolean takeOver(Owner stale) throws IOException {
    Path marker = new Path(folder, TAKEOVER_PREFIX + safe(stale.session()));
    if (!createExclusive(marker, ownerJson())) {
      FileStatus st;
      try {
        st = fs.getFileStatus(marker);
      } catch (FileNotFoundException takeoverJustEnded) {
        return false; // the other driver's takeover ended: its lease decides
      }
      if (Duration.between(Instant.ofEpochMilli(st.getModificationTime()), Instant.now()).compareTo(timeout) < 0) {
        return false; // another driver is taking it over right now
      }
      fs.delete(marker, false); // a taker that died mid-takeover
      if (!createExclusive(marker, ownerJson())) {
        return false;
      }
    }
    try {
      Owner current = owner(fs, folder);
      if (current != null && !current.session().equals(stale.session())) {
        return false; // replaced meanwhile
      }
      if (current != null) {
        fs.delete(file, false);
      }
      return createExclusive(file, ownerJson());
    } finally {
      fs.delete(marker, false);
    }
  }

  /** Fails when this driver no longer holds the lease (another took it over after a stall). */
  public void assertHeld() throws SweepException {
    if (lost != null) {
      throw new SweepException(lost);
    }
  }

  private void renew() {
    try {
      Owner o = owner(fs, folder);
      if (o == null || !o.session().equals(session)) {
        lost = "this driver (session " + session + ") lost its lease on " + folder + " to "
            + (o == null ? "nobody (the lease file was removed)" : o.describe(Instant.now()))
            + ": stopping before it writes another wave";
        held = false;
        renewer.shutdown();
        return;
      }
      long now = System.currentTimeMillis();
      if (localFile != null) {
        Files.setLastModifiedTime(localFile.toPath(), FileTime.fromMillis(now));
      } else {
        fs.setTimes(file, now, -1);
      }
    } catch (IOException | RuntimeException e) {
      // transient: the next beat retries; a lease left unrenewed for `timeout` may be taken over
    }
  }

  /** Stops renewing and removes the lease if this driver still holds it. */
  @Override
  public void close() {
    if (renewer != null) {
      renewer.shutdownNow();
    }
    if (!held) {
      return;
    }
    held = false;
    try {
      Owner o = owner(fs, folder);
      if (o != null && o.session().equals(session)) {
        fs.delete(file, false);
      }
    } catch (IOException e) {
      // left behind: it goes stale and the next --resume takes it over
    }
  }

  private String ownerJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("session", session);
    n.put("host", host);
    n.put("pid", pid);
    n.put("started", started.toString());
    n.put("heartbeat_seconds", heartbeat.toSeconds());
    n.put("timeout_seconds", timeout.toSeconds());
    return n.toString() + "\n";
  }

  /** Creates {@code target} with {@code text} unless it exists, atomically; false when it exists. */
  private boolean createExclusive(Path target, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (localFile != null) {
      var t = new File(target.toUri()).toPath();
      var tmp = t.resolveSibling(t.getFileName() + "." + safe(session) + ".tmp");
      Files.write(tmp, bytes);
      try {
        Files.createLink(t, tmp); // link(2): atomic, fails when t exists; t appears fully written
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException | IOException noHardLinks) {
        try {
          Files.write(t, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE); // O_EXCL
          return true;
        } catch (FileAlreadyExistsException e) {
          return false;
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    try (OutputStream out = fs.create(target, false)) {
      out.write(bytes);
      return true;
    } catch (IOException e) { // Hadoop's FileAlreadyExistsException, or a plain IOException on some stores
      if (fs.exists(target)) {
        return false;
      }
      throw e;
    }
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
