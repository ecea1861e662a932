package io.github.overparam.spark.cluster;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of the cluster's daemon JVMs: {@code ParentWatchdog <parent-pid> <main-class>
 * <args...>} runs {@code main-class} and exits the JVM (with its shutdown hooks, so a Worker still
 * kills its executors) once the parent process is gone, even if the parent was SIGKILLed and could
 * not run {@link StandaloneCluster#close()}.
 *
 * <p>Self-contained (JDK only, one class file): it is copied alone to {@code
 * SPARK_HOME/watchdog/}, which only the daemons' classpath holds.
 */
public final class ParentWatchdog {
  private ParentWatchdog() {}

  public static void main(String[] args) throws Exception {
    long parentPid = Long.parseLong(args[0]);
    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    Optional<Instant> parentStart = parent.flatMap(p -> p.info().startInstant());
    if (parent.isEmpty()) {
      System.err.println("[watchdog] parent " + parentPid + " already gone");
      System.exit(3);
    }
    Thread watcher = new Thread(
        () -> {
          while (true) {
            Optional<ProcessHandle> now = ProcessHandle.of(parentPid);
            boolean same = now.isPresent()
                && now.get().isAlive()
                && (parentStart.isEmpty()
                    || parentStart.equals(now.get().info().startInstant()));
            if (!same) {
              System.err.println("[watchdog] parent " + parentPid + " is gone: exiting");
              System.exit(2);
            }
            try {
              Thread.sleep(1000);
            } catch (InterruptedException e) {
              return;
            }
          }
        },
        "parent-watchdog");
    watcher.setDaemon(true);
    watcher.start();
    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}
