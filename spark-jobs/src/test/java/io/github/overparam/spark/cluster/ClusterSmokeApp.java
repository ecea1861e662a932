package io.github.overparam.spark.cluster;

import io.github.overparam.core.random.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * A minimal application for {@code SparkSubmit} tests against {@link StandaloneCluster}: computes
 * {@code Seeds.derive("standalone-cluster-test", i)} for i = 1..n over the cluster's executors and
 * writes one line per value, then a line {@code executors=<ids>}, to the file given as the first
 * argument. The master and every other setting come from SparkSubmit.
 */
public final class ClusterSmokeApp {
  private ClusterSmokeApp() {}

  public static void main(String[] args) throws IOException {
    Path out = Paths.get(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    SparkSession spark = SparkSession.builder().appName("cluster-smoke-app").getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<Integer> numbers = IntStream.rangeClosed(1, n).boxed().collect(Collectors.toList());
      List<Tuple2<String, Long>> tagged = jsc.parallelize(numbers, 4).map(i -> new Tuple2<>(SparkEnv.get().executorId(),
          seedOf(i))).collect();
      Set<String> executors = tagged.stream().map(Tuple2::_1).collect(Collectors.toCollection(TreeSet::new));
      List<String> lines = tagged.stream().map(t -> Long.toString(t._2())).collect(Collectors.toList());
      lines.add("executors=" + String.join(",", executors));
      Files.write(out, lines, StandardCharsets.UTF_8);
    } finally {
      spark.stop();
    }
  }

  static long seedOf(int i) {
    return Seeds.derive("standalone-cluster-test", Integer.toString(i));
  }
}
