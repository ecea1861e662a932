package io.github.overparam.core.run;

import io.github.overparam.core.train.Status;

/**
 * Everything one training run measured (docs/design.md section 2), by topic: how training ended
 * ({@link Outcome}), how far the weights and activation patterns moved ({@link Movement}), how the
 * net does on training and held-out points ({@link Generalization}), the NTK's spectrum ({@link
 * NtkSpectra}) and what the run cost ({@link Cost}), plus its curve, its data set's summary and
 * Noy et al.'s surrogate. Each part measures itself; missing numbers are NaN (and -1 for step
 * counts), with a note where the reason is not obvious.
 *
 * @param runId {@link RunSpec#runId()}
 * @param spec what was run
 * @param outcome how training ended
 * @param curve recorded trajectory
 * @param movement distance from initialization and flipped activation patterns
 * @param generalization accuracy and held-out loss
 * @param ntk the empirical and limiting NTK's smallest eigenvalues
 * @param cost parameter counts, floating-point operations and wall time
 * @param dataset the data set's summary, null when the run failed before it was drawn
 * @param surrogate Noy et al.'s frozen-pattern surrogate trained beside the net, or null when not
 *     recorded
 */
public record RunResult(
    String runId,
    RunSpec spec,
    Outcome outcome,
    Curve curve,
    Movement movement,
    Generalization generalization,
    NtkSpectra ntk,
    Cost cost,
    DatasetSummary dataset,
    Surrogate surrogate) {

  /**
   * The {@code failed} result of a run that threw: its message, the data set's summary when it was
   * drawn before the failure (else null), and the time spent.
   */
  public static RunResult failed(RunSpec spec, DatasetSummary dataset, Throwable e, long wallMicros) {
    String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    Curve empty = new Curve(new int[0], new double[0], new double[0], new double[0]);
    return new RunResult(spec.runId(), spec, Outcome.failed(message), empty, Movement.NONE, Generalization.NONE,
        NtkSpectra.NONE, new Cost(0, 0, 0, wallMicros), dataset, null);
  }

  /** Shorthand for {@code outcome().status()}. */
  public Status status() {
    return outcome.status();
  }
}
