package io.github.overparam.spark.sweep;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;

/**
 * The counts of accumulators in tasks still running, from the executors' heartbeats: an
 * accumulator's driver value grows only when a task ends, and a task of a wave may run minutes,
 * so the progress line adds what the running tasks reported last.
 */
final class RunningCounts extends SparkListener {
  private final long[] ids;
  private final Map<Long, long[]> running = new ConcurrentHashMap<>();
  private final Set<Long> ended = new HashSet<>();

  RunningCounts(LongAccumulator... accumulators) {
    ids = new long[accumulators.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = accumulators[i].id();
    }
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    var tasks = update.accumUpdates().iterator();
    while (tasks.hasNext()) {
      var task = tasks.next();
      long taskId = ((Number) task._1()).longValue();
      long[] values = null;
      var infos = task._4().iterator();
      while (infos.hasNext()) {
        AccumulableInfo info = infos.next();
        for (int i = 0; i < ids.length; i++) {
          if (info.id() == ids[i] && info.update().isDefined() && info.update().get() instanceof Number n) {
            values = values == null ? new long[ids.length] : values;
            values[i] = n.longValue();
          }
        }
      }
      if (values != null) {
        synchronized (ended) {
          if (!ended.contains(taskId)) {
            running.put(taskId, values);
          }
        }
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    long taskId = end.taskInfo().taskId();
    synchronized (ended) {
      ended.add(taskId);
      running.remove(taskId);
    }
  }

  /** Accumulator {@code i}'s sum over the running tasks, as they last reported it. */
  long running(int i) {
    long sum = 0;
    for (long[] values : running.values()) {
      sum += values[i];
    }
    return sum;
  }
}
