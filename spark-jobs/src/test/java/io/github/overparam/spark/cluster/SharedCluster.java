package io.github.overparam.spark.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * The one standalone cluster that the cluster tests of a test JVM share (the integration tests of
 * a Spark line run in one failsafe JVM): started by the first test class that asks for it, stopped
 * when the whole test run ends, so that each class does not pay for a Master and Workers of its
 * own. {@value #WORKERS} Workers of {@value #CORES} cores and {@value #WORKER_MEMORY} each; an
 * application takes {@value #APP_CORES} cores ({@code spark.cores.max}), so two run side by side
 * and a killed Worker leaves room for the replacement executor. A test that kills a Worker leaves
 * the restart to {@link #get}, which hands the cluster out whole.
 *
 * <pre>{@code
 * @RegisterExtension static final SharedCluster CLUSTER = new SharedCluster();
 * ... CLUSTER.get() ...
 * }</pre>
 */
public final class SharedCluster implements BeforeAllCallback {
  public static final int WORKERS = 3;
  public static final int CORES = 2;
  public static final String WORKER_MEMORY = "1g";
  public static final int APP_CORES = 2;
  private static final Namespace NAMESPACE = Namespace.create(SharedCluster.class);

  private Resource resource;

  @Override
  public void beforeAll(ExtensionContext context) {
    // The root context's store closes its resources when the whole test run ends.
    resource = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Resource.class, k -> new Resource(),
        Resource.class);
  }

  /** The running cluster, every Worker alive (killed ones restarted first), started on first use. */
  public StandaloneCluster get() throws IOException {
    if (resource == null) {
      throw new IllegalStateException("SharedCluster runs only as a registered extension (@RegisterExtension)");
    }
    return resource.cluster();
  }

  /**
   * The cluster, stopped at the end of the test run. Its folder ({@code
   * target/shared-cluster-<Spark version>_<Scala version>/}: the daemons' logs, the executors'
   * stdout and stderr) stays for a look after a failure and is cleared by the next run.
   */
  private static final class Resource implements ExtensionContext.Store.CloseableResource {
    private StandaloneCluster cluster;

    synchronized StandaloneCluster cluster() throws IOException {
      if (cluster == null) {
        Path dir = Path.of("target", "shared-cluster-" + StandaloneCluster.sparkVersion() + "_"
            + StandaloneCluster.scalaBinaryVersion()).toAbsolutePath();
        delete(dir);
        cluster = StandaloneCluster.start(dir, WORKERS, CORES, WORKER_MEMORY).appCores(APP_CORES);
      }
      cluster.restartKilledWorkers();
      return cluster;
    }

    @Override
    public synchronized void close() {
      if (cluster != null) {
        cluster.close();
      }
    }

    private static void delete(Path dir) throws IOException {
      if (!Files.exists(dir)) {
        return;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
