package io.github.overparam.core.train;

import io.github.overparam.core.model.Workspace;
import io.github.overparam.core.run.Curve;

/**
 * What the training loop produced.
 *
 * @param status how the run ended
 * @param steps updates made
 * @param stepsToTarget first step whose loss reached the target, -1 if none
 * @param initialLoss loss at step 0
 * @param finalLoss loss at the last step (the one the run stopped at)
 * @param threshold the target loss the run aimed at
 * @param curve the recorded points
 * @param flops floating-point operations of the steps made, as the model counts them
 *     ({@code LayerShapes}); the product of a fixed input layer is counted at every step although
 *     the full-batch evaluation computes it once
 * @param finalForward the full-data forward pass at the final weights (the run stops right after an
 *     evaluation), so callers need not compute it again
 */
public record Trajectory(
    Status status, int steps, int stepsToTarget, double initialLoss, double finalLoss, double threshold,
    Curve curve, long flops, Workspace finalForward) {}
