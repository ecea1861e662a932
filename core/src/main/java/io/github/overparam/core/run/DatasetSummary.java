package io.github.overparam.core.run;

/**
 * The theory's quantities of one data set (a row of the {@code datasets/} table).
 *
 * @param datasetId stable id of (seed, data spec)
 * @param n training points
 * @param d input dimension
 * @param seed the sweep seed
 * @param lambda0 lambda_min(H^inf) of Du et al., NaN when skipped
 * @param lambda0Note why lambda0 is NaN, or null
 * @param delta minimum pairwise distance
 * @param phi minimum distance between differently labeled points
 * @param maxAbsCos largest |cos| between two inputs
 */
public record DatasetSummary(
    String datasetId, int n, int d, long seed, double lambda0, String lambda0Note, double delta, double phi,
    double maxAbsCos) {}
