package io.github.overparam.spark.sweep;

import io.github.overparam.core.Names;
import io.github.overparam.core.train.Status;
import java.util.LinkedHashMap;
import java.util.Map;

/** What this driver session ran so far: runs, waves, statuses and summed run time. */
final class Tally {
  final Map<String, Long> statusCounts = new LinkedHashMap<>();
  long runs;
  int waves;
  long sumRunMs;

  Tally() {
    for (Status s : Status.values()) {
      statusCounts.put(Names.of(s), 0L);
    }
  }

  void add(WaveExecutor.WaveResult w) {
    runs += w.runs();
    sumRunMs += w.sumRunMs();
    w.statusCounts().forEach((k, v) -> statusCounts.merge(k, v, Long::sum));
    waves++;
  }
}
