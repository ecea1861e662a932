package io.github.overparam.core.run;
import java.util.TreeSet;

/**
 * The recorded points of a training trajectory, one entry per recorded step (log-spaced, plus the
 * step where the run stopped).
 *
 * @param steps step k: the values are those of the weights after k updates
 * @param loss full training loss
 * @param flipFraction fraction of (point, unit) activation signs that differ from step 0, over all hidden layers
 * @param maxNeuronDistance max over trained hidden layers and units r of ||w_r(k) - w_r(0)||
 */
public record Curve(int[] steps, double[] loss, double[] flipFraction, double[] maxNeuronDistance) {
  public int size() {
    return steps.length;
  }

  /**
   * The lowest finite training loss over the recorded points, NaN when none is finite: for a run
   * that oscillated or diverged, how close it came to the target before it left.
   */
  public double minLoss() {
    double min = Double.NaN;
    for (double l : loss) {
      if (Double.isFinite(l) && !(l >= min)) {
        min = l;
      }
    }
    return min;
  }

  /**
   * The recording schedule: 0, then about {@code points - 1} log-spaced steps from 1 to maxSteps
   * (rounded, duplicates removed), ascending.
   */
  public static int[] schedule(int maxSteps, int points) {
    TreeSet<Integer> steps = new TreeSet<>();
    steps.add(0);
    steps.add(maxSteps);
    int logPoints = Math.max(1, points - 1);
    double logMax = Math.log(maxSteps);
    for (int i = 0; i < logPoints; i++) {
      double t = logPoints == 1 ? 1.0 : (double) i / (logPoints - 1);
      steps.add((int) Math.min(maxSteps, Math.round(Math.exp(t * logMax))));
    }
    return steps.stream().mapToInt(Integer::intValue).toArray();
  }
}
