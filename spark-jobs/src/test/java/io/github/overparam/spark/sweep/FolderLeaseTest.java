package io.github.overparam.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.cluster.FullDiskFileSystem;
import io.github.overparam.spark.sweep.FolderLease.BusyException;
import io.github.overparam.spark.sweep.FolderLease.Owner;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The owner lease on real file systems: the local one (atomic {@code link(2)}) and the generic
 * Hadoop path ({@code create(overwrite = false)}, what HDFS makes atomic), exercised through a
 * Hadoop file system of another scheme over the same files.
 */
class FolderLeaseTest {
  private static final Duration BEAT = Duration.ofMillis(100);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path tmp;

  private static Configuration conf() {
    Configuration conf = new Configuration();
    conf.set("fs." + FullDiskFileSystem.SCHEME + ".impl", FullDiskFileSystem.class.getName());
    conf.setBoolean("fs." + FullDiskFileSystem.SCHEME + ".impl.disable.cache", true);
    return conf;
  }

  private org.apache.hadoop.fs.Path folder(String scheme) {
    return new org.apache.hadoop.fs.Path(scheme + "://" + tmp.resolve("sweep").toAbsolutePath());
  }

  private FolderLease lease(String scheme, String session, Duration timeout) throws IOException {
    return new FolderLease(folder(scheme), conf(), session, BEAT, timeout);
  }

  private Path leaseFile() {
    return tmp.resolve("sweep").resolve(FolderLease.FILE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", FullDiskFileSystem.SCHEME})
  void aSecondDriverIsRefusedNamingTheOwnerUntilTheFirstReleases(String scheme) throws Exception {
    try (FolderLease first = lease(scheme, "s-first", TIMEOUT)) {
      first.acquire(false);
      assertTrue(Files.isRegularFile(leaseFile()), "the lease file is in the folder");
      Owner owner = FolderLease.owner(FileSystem.get(folder(scheme).toUri(), conf()), folder(scheme));
      assertEquals("s-first", owner.session());
      assertEquals(ProcessHandle.current().pid(), owner.pid());
      try (FolderLease second = lease(scheme, "s-second", TIMEOUT)) {
        for (boolean resume : new boolean[] {false, true}) {
          BusyException refused = assertThrows(BusyException.class, () -> second.refuseIfHeld(resume));
          assertTrue(refused.getMessage().contains("being written by driver session s-first"), refused.getMessage());
          assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
          BusyException notTaken = assertThrows(BusyException.class, () -> second.acquire(resume));
          assertTrue(notTaken.getMessage().contains("s-first"), notTaken.getMessage());
        }
      }
      assertEquals("s-first", FolderLease.owner(FileSystem.get(folder(scheme).toUri(), conf()), folder(
          scheme)).session(), "a refused driver leaves the lease alone");
    }
    assertFalse(Files.exists(leaseFile()), "released on close");
    try (FolderLease third = lease(scheme, "s-third", TIMEOUT)) {
      third.acquire(false);
      assertNull(third.takenOver(), "a released folder is taken without a takeover");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", FullDiskFileSystem.SCHEME})
  void aStaleLeaseIsTakenOverByResumeOnlyAndTheTakeoverNamesIt(String scheme) throws Exception {
    Files.createDirectories(leaseFile().getParent());
    // A lease of a driver on another host whose last heartbeat is 10 minutes old.
    Files.writeString(leaseFile(), "{\"session\":\"s-dead\",\"host\":\"elsewhere\",\"pid\":7,"
        + "\"started\":\"2026-01-01T00:00:00Z\"}\n");
    Files.setLastModifiedTime(leaseFile(), FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
    try (FolderLease resumer = lease(scheme, "s-new", Duration.ofMinutes(1))) {
      BusyException plainRun = assertThrows(BusyException.class, () -> resumer.refuseIfHeld(false));
      assertTrue(plainRun.getMessage().contains("s-dead") && plainRun.getMessage().contains("--resume"),
          plainRun.getMessage());
      resumer.refuseIfHeld(true);
      resumer.acquire(true);
      assertEquals("s-dead", resumer.takenOver().session());
      assertEquals("elsewhere", resumer.takenOver().host());
      assertTrue(Files.readString(leaseFile()).contains("\"session\":\"s-new\""));
      try (Stream<Path> left = Files.list(leaseFile().getParent())) {
        assertEquals(List.of(FolderLease.FILE), left.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(
            ".crc")).toList(), "no takeover marker or temporary file left behind");
      }
    }
  }

  @Test
  void aLeaseOfAKilledDriverOnThisHostIsDeadAtOnce() throws Exception {
    Process child = new ProcessBuilder("sleep", "30").start();
    long pid = child.pid();
    Instant started = Instant.now();
    Files.createDirectories(leaseFile().getParent());
    Files.writeString(leaseFile(), "{\"session\":\"s-killed\",\"host\":\"" + InetAddress.getLocalHost().getHostName()
        + "\",\"pid\":" + pid + ",\"started\":\"" + started + "\"}\n");
    try (FolderLease resumer = lease("file", "s-resumer", TIMEOUT)) {
      assertThrows(BusyException.class, () -> resumer.refuseIfHeld(true), "alive: refused");
      child.destroyForcibly();
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), () -> "pid " + pid
          + " still runs: " + ProcessHandle.of(pid).map(h -> h.info().toString()).orElse("?"));
      resumer.refuseIfHeld(true); // fresh heartbeat, but its pid is gone on this host
      resumer.acquire(true);
      assertEquals("s-killed", resumer.takenOver().session());
    }
  }

  @Test
  void theHeartbeatRenewsTheLeaseAndALostLeaseStopsTheOwner() throws Exception {
    try (FolderLease owner = lease("file", "s-owner", Duration.ofSeconds(2))) {
      owner.acquire(false);
      Files.setLastModifiedTime(leaseFile(), FileTime.from(Instant.now().minusSeconds(60)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (Files.getLastModifiedTime(leaseFile()).toInstant().isBefore(Instant.now().minusSeconds(1))) {
        assertTrue(System.nanoTime() < deadline, "heartbeat not renewed");
        Thread.sleep(20);
      }
      owner.assertHeld();
      // Another driver replaced the lease (this one stalled past the timeout): the owner notices.
      Files.writeString(leaseFile(), "{\"session\":\"s-usurper\",\"host\":\"elsewhere\",\"pid\":9,"
          + "\"started\":\"2026-01-01T00:00:00Z\"}\n");
      while (true) {
        try {
          owner.assertHeld();
        } catch (SweepException e) {
          assertTrue(e.getMessage().contains("lost its lease") && e.getMessage().contains("s-usurper"),
              e.getMessage());
          break;
        }
        assertTrue(System.nanoTime() < deadline, "loss not noticed");
        Thread.sleep(20);
      }
    }
    assertTrue(Files.readString(leaseFile()).contains("s-usurper"), "a driver that lost the lease leaves it alone");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void ofDriversRacingForOneFolderExactlyOneWins(boolean staleLeaseFirst) throws Exception {
    if (staleLeaseFirst) {
      Files.createDirectories(leaseFile().getParent());
      Files.writeString(leaseFile(), "{\"session\":\"s-dead\",\"host\":\"elsewhere\",\"pid\":7,"
          + "\"started\":\"2026-01-01T00:00:00Z\"}\n");
      Files.setLastModifiedTime(leaseFile(), FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
    }
    int drivers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(drivers);
    CountDownLatch go = new CountDownLatch(1);
    List<FolderLease> leases = new ArrayList<>();
    List<Future<Boolean>> won = new ArrayList<>();
    try {
      for (int i = 0; i < drivers; i++) {
        FolderLease l = lease("file", "s-" + i, Duration.ofMinutes(1));
        leases.add(l);
        won.add(pool.submit(() -> {
          go.await();
          try {
            l.acquire(true);
            return true;
          } catch (BusyException e) {
            return false;
          }
        }));
      }
      go.countDown();
      int winners = 0;
      String winner = null;
      for (int i = 0; i < drivers; i++) {
        if (won.get(i).get(30, TimeUnit.SECONDS)) {
          winners++;
          winner = "s-" + i;
        }
      }
      assertEquals(1, winners, "exactly one driver holds the folder");
      assertNotNull(winner);
      assertTrue(Files.readString(leaseFile()).contains("\"session\":\"" + winner + "\""));
    } finally {
      leases.forEach(FolderLease::close);
      pool.shutdownNow();
    }
  }

  @Test
  void readersAreToldOfARunInProgressOnly() throws Exception {
    String dir = tmp.resolve("sweep").toString();
    assertNull(FolderLease.inProgressNote(dir, conf(), TIMEOUT), "no lease: no note");
    try (FolderLease owner = lease("file", "s-running", TIMEOUT)) {
      owner.acquire(false);
      String note = FolderLease.inProgressNote(dir, conf(), TIMEOUT);
      assertTrue(note.contains("a run is in progress") && note.contains("s-running")
          && note.contains("committed waves only"), note);
    }
    assertNull(FolderLease.inProgressNote(dir, conf(), TIMEOUT), "released: no note");
  }
}
