package io.github.overparam.spark.cli;

import io.github.overparam.spark.sweep.SparkSessions;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark session started on first use and stopped on close: a config with a user table needs one
 * to read the table while it is validated, any other config only when it is run.
 */
final class LazySession implements Supplier<SparkSession>, AutoCloseable {
  private final String master;
  private String appName;
  private SparkSession session;

  /**
   * @param master the master URL, or null for spark-submit's (else local[*])
   * @param appName the application name, if this is what starts the session
   */
  LazySession(String master, String appName) {
    this.master = master;
    this.appName = appName;
  }

  /** The name the session gets if it has not started yet. */
  LazySession named(String name) {
    this.appName = name;
    return this;
  }

  @Override
  public synchronized SparkSession get() {
    if (session == null) {
      session = SparkSessions.create(master, appName);
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }

  @Override
  public synchronized void close() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }
}
