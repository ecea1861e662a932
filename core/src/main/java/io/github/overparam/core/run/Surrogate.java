package io.github.overparam.core.run;

import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.train.Drift;
import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.TrainOptions;
import io.github.overparam.core.train.Trainer;
import io.github.overparam.core.train.Trajectory;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Noy et al.'s frozen-pattern surrogate of a run's net, trained from the same initial weights with
 * the same steps and batches for exactly as many updates as the net made.
 *
 * @param status diverged, else converged when its final loss met the run's target, else max_steps
 * @param finalLoss its training loss after the last update
 * @param gap max over evaluated steps k of |loss_net(k) - loss_surrogate(k)| / loss(0) (every step
 *     for GD; for SGD the steps where both evaluate the full loss); infinite if either is not finite
 * @param curve its loss at the same recorded steps as the net's curve
 * @param flops floating-point operations of its training (also counted in the run's flops)
 */
public record Surrogate(Status status, double finalLoss, double gap, Curve curve, long flops)
    implements Serializable {

  /**
   * Trains Noy et al.'s surrogate of the net's initial weights for exactly the net's number of steps,
   * with the same batches, and compares the two loss trajectories.
   */
  static Surrogate train(RunSpec spec, Dataset data, Network initial, Trajectory real,
      double[] realLog) {
    Network s = initial.surrogate();
    s.pinGates(data.xTrain());
    double[] log = new double[realLog.length];
    Arrays.fill(log, Double.NaN);
    Trajectory st = Trainer.train(s, data, spec.train(), TrainOptions.of(spec.record().curvePoints(),
        spec.batchSeed(), new Drift(s, data.n())).withExactSteps(real.steps()).withLossLog(log));
    double scale = realLog[0];
    double gap = 0;
    int last = Math.min(real.steps(), st.steps());
    for (int k = 0; k <= last; k++) {
      double a = realLog[k];
      double b = log[k];
      if (Double.isNaN(a) && Double.isNaN(b)) {
        continue;
      }
      if (!Double.isFinite(a) || !Double.isFinite(b)) {
        gap = Double.POSITIVE_INFINITY;
        break;
      }
      gap = Math.max(gap, Math.abs(a - b) / scale);
    }
    if (st.status() == Status.DIVERGED) {
      gap = Double.POSITIVE_INFINITY;
    }
    // Its curve at the net's recorded steps (the same schedule, so the same steps up to its end).
    Curve c = real.curve();
    double[] losses = new double[c.size()];
    for (int i = 0; i < c.size(); i++) {
      int step = c.steps()[i];
      losses[i] = step < log.length ? log[step] : Double.NaN;
    }
    double[] none = new double[c.size()];
    Arrays.fill(none, Double.NaN);
    return new Surrogate(st.status(), st.finalLoss(), gap,
        new Curve(c.steps().clone(), losses, none, none.clone()), st.flops());
  }

}
