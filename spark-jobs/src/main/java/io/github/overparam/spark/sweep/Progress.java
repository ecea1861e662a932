package io.github.overparam.spark.sweep;

import java.io.PrintStream;

/** Console progress over the whole sweep. */
final class Progress {
  private final long total;
  private final long start = System.nanoTime();
  private long doneBefore;
  private long convergedBefore;
  private long failedBefore;

  Progress(long total) {
    this.total = total;
  }

  void finishWave(long runs, long converged, long failed) {
    doneBefore += runs;
    convergedBefore += converged;
    failedBefore += failed;
  }

  void print(PrintStream out, int wave, int waves, long inWave, long convergedInWave, long failedInWave) {
    long done = doneBefore + inWave;
    double elapsed = (System.nanoTime() - start) / 1e9;
    String eta = done == 0 ? "?" : format(elapsed / done * (total - done));
    out.printf("[wave %d/%d] %d/%d runs done, %d converged, %d diverged or failed, elapsed %s, ETA %s%n", wave,
        waves, done, total, convergedBefore + convergedInWave, failedBefore + failedInWave, format(elapsed), eta);
  }

  private static String format(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
        : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
