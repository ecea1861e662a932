package io.github.overparam.spark;

import io.github.overparam.spark.sweep.SparkSessions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's embedded Spark session: started before the class's {@code @BeforeAll} methods,
 * with the same settings as the CLI's ({@link SparkSessions#create}), logging at WARN, and stopped
 * after its last test. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final LocalSpark LOCAL = new LocalSpark(2);
 * ... LOCAL.session() ...
 * }</pre>
 *
 * <p>Tests that run the CLI in-process keep a session of their own opened after the CLI has run:
 * the CLI stops the session it used, which would be this one if it were active.
 */
public final class LocalSpark implements BeforeAllCallback, AfterAllCallback {
  private final int threads;
  private SparkSession session;

  /** A session on {@code local[threads]}. */
  public LocalSpark(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    session = SparkSessions.create("local[" + threads + "]",
        "overparam-test-" + context.getRequiredTestClass().getSimpleName());
    session.sparkContext().setLogLevel("WARN");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (session != null) {
      session.stop();
      session = null;
    }
  }

  /** The running session. */
  public SparkSession session() {
    if (session == null) {
      throw new IllegalStateException("no Spark session: LocalSpark runs only as a registered extension, "
          + "between its class's @BeforeAll and @AfterAll");
    }
    return session;
  }
}
