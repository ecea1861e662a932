package io.github.overparam.spark.table;

import io.github.overparam.core.run.Curve;

/**
 * What a {@code curves/} row is built from: recorded point {@code index} of a run's curve.
 *
 * @param runId the run
 * @param curve the net's recorded curve
 * @param surrogate the surrogate's curve at the same steps, or null
 * @param index the recorded point
 */
public record CurvePoint(String runId, Curve curve, Curve surrogate, int index) {}
