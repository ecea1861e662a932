package io.github.overparam.core.run;

import io.github.overparam.core.train.Status;

/**
 * Everything one training run measured (DESIGN.md section 2): a row of the {@code runs/} table plus
 * its curve and its data set's summary. Missing numbers are NaN (and -1 for step counts), each with
 * a note where the reason is not obvious.
 *
 * @param runId {@link RunSpec#runId()}
 * @param spec what was run
 * @param status how training ended
 * @param error the exception message of a failed run, else null
 * @param steps updates made
 * @param stepsToTarget first step at which the loss reached the target, -1 if never
 * @param initialLoss training loss at initialisation
 * @param finalLoss training loss at the last step
 * @param targetLoss the absolute threshold the run aimed at
 * @param rateFit r of loss(k) ~ loss(0) (1 - r)^k, least squares of log loss on step over the curve
 *     (weighted by the steps each recorded point stands for)
 * @param rateMin the worst rate over recorded steps, min_k 1 - (loss(k) / loss(0))^(1/k): Du et al.'s
 *     bound loss(k) <= (1 - eta lambda_0 / 2)^k loss(0) holds at the recorded steps iff rateMin >= eta
 *     lambda_0 / 2
 * @param curve recorded trajectory
 * @param trainedLayers indices of the trained layers (hidden layers 0..H-1, output H)
 * @param distFrobenius ||W_l - W_l(0)||_F per trained layer
 * @param distRelative the same divided by ||W_l(0)||_F
 * @param distMaxNeuron max_r ||w_r - w_r(0)|| per trained layer
 * @param flipFractions per hidden layer, fraction of activation signs on the training points that
 *     changed since initialisation
 * @param flipFraction mean of flipFractions
 * @param trainAccuracy sign agreement on training points when labels are +-1, else NaN
 * @param testLoss loss on the test points (NaN without a test set)
 * @param testAccuracy sign agreement on test points when labels are +-1, else NaN
 * @param paramCount all weights
 * @param trainedParamCount weights that training changes
 * @param ntkLambdaMinInit lambda_min of the empirical NTK Gram at initialisation
 * @param ntkLambdaMinFinal the same at the final weights
 * @param ntkLimitLambdaMin lambda_min of the infinite-width NTK ({@code Kernels.ntkLimit}) at this width
 * @param ntkNote why NTK quantities are NaN, or null
 * @param dataset the data set's summary
 * @param wallMs wall-clock time of the run in milliseconds (not deterministic)
 * @param flops floating-point operations of forward, backward and updates (with the surrogate's)
 * @param surrogate Noy et al.'s frozen-pattern surrogate trained beside the net, or null when not
 *     recorded
 */
public record RunResult(
    String runId,
    RunSpec spec,
    Status status,
    String error,
    int steps,
    int stepsToTarget,
    double initialLoss,
    double finalLoss,
    double targetLoss,
    double rateFit,
    double rateMin,
    Curve curve,
    int[] trainedLayers,
    double[] distFrobenius,
    double[] distRelative,
    double[] distMaxNeuron,
    double[] flipFractions,
    double flipFraction,
    double trainAccuracy,
    double testLoss,
    double testAccuracy,
    long paramCount,
    long trainedParamCount,
    double ntkLambdaMinInit,
    double ntkLambdaMinFinal,
    double ntkLimitLambdaMin,
    String ntkNote,
    DatasetSummary dataset,
    long wallMs,
    long flops,
    Surrogate surrogate) {

  /**
   * The frozen-pattern surrogate of the run's net, trained from the same initial weights with the
   * same steps and batches for exactly as many updates as the net made.
   *
   * @param status diverged, else converged when its final loss met the run's target, else max_steps
   * @param finalLoss its training loss after the last update
   * @param gap max over evaluated steps k of |loss_net(k) - loss_surrogate(k)| / loss(0) (every step
   *     for GD; for SGD the steps where both evaluate the full loss); infinite if either is not finite
   * @param curve its loss at the same recorded steps as the net's curve
   * @param flops floating-point operations of its training (also counted in the run's flops)
   */
  public record Surrogate(io.github.overparam.core.train.Status status, double finalLoss, double gap,
      Curve curve, long flops) implements java.io.Serializable {}

  /** max over trained layers of distMaxNeuron, NaN if none. */
  public double maxNeuronDistance() {
    double max = Double.NaN;
    for (double v : distMaxNeuron) {
      max = Double.isNaN(max) ? v : Math.max(max, v);
    }
    return max;
  }
}
