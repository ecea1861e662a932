package io.github.overparam.spark.sweep;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** SparkSession set-up shared by the CLI and the tests. */
public final class SparkSessions {
  private static final AtomicInteger CREATED = new AtomicInteger();

  private SparkSessions() {}

  /** How many sessions {@link #create} made in this JVM (tests check that bad input starts none). */
  public static int created() {
    return CREATED.get();
  }

  /**
   * The session for a sweep. Under spark-submit the master and settings come from spark-submit
   * ({@code spark.master} is already set) unless {@code master} is given; otherwise the embedded
   * local mode on every core.
   */
  public static SparkSession create(String master, String appName) {
    SparkConf conf = new SparkConf(true);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", appName);
    boolean local = conf.get("spark.master").startsWith("local");
    if (local) {
      // Embedded mode: keep shuffles small and the driver on the loopback interface.
      conf.setIfMissing("spark.sql.shuffle.partitions", "8");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    }
    CREATED.incrementAndGet();
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
