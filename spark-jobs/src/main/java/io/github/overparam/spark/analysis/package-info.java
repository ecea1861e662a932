/**
 * The analysis of a sweep ({@code overparam analyze DIR}, and the end of {@code overparam run}
 * unless {@code --no-analyze}): three derived Parquet tables beside runs/, curves/, datasets/,
 * replaced on each analysis (staged as hidden {@code .<table>.tmp} folders, then swapped in) and
 * registered as views of the same name.
 *
 * <h2>critical/ — one row per group</h2>
 * A group is every run that shares {@link io.github.overparam.spark.analysis.AnalysisTables#GROUP_COLUMNS}
 * (all spec columns but width and seed). Columns: {@code group_key} ("col=value;..." over the
 * columns that vary across the sweep's groups, less those tied to another column, e.g.
 * hidden_layers to depth; "all" for a one-group sweep), {@code widths} (ascending),
 * {@code success_rates} (fraction of runs with status 'converged'), {@code runs_per_width},
 * {@code threshold}, {@code critical_width} (log-scale interpolation between the bracketing widths,
 * {@link io.github.overparam.spark.analysis.CriticalWidth#of}), {@code critical_width_status}
 * ({@link io.github.overparam.spark.analysis.CriticalStatus}: 'bracketed', 'below_grid': the first
 * width already reaches the threshold and critical_width is
 * that width, an upper bound; 'not_reached': null), {@code critical_params} (trained_param_count
 * interpolated with the same weight on a log scale), {@code seed_critical_widths} (per seed in
 * ascending seed order: the smallest width from which on that seed converged at every wider width,
 * as the geometric midpoint with the previous grid width; the first width if it always converged;
 * null if it did not converge at the widest width), {@code lambda0_mean}, then the group columns.
 *
 * <h2>fits/ — one row per fitted law</h2>
 * {@code quantity, against, group_key, exponent, ci_low, ci_high, prefactor, r2, points, note}.
 * Log-log least squares (y = prefactor x^exponent) unless the note says otherwise. Rows:
 * <ul>
 *   <li>critical_width and critical_params vs n (per slice of the other group columns), critical_width
 *       vs depth: bracketed groups only;
 *   <li>steps_to_target vs n / depth (median over converged runs at the group's widest width) and
 *       vs log_n / log_depth (semi-log: exponent = slope of steps per unit ln x, prefactor = intercept);
 *   <li>max_neuron_distance and flip_fraction vs width per group (mean over converged runs at the
 *       widths whose success rate reaches the threshold); max_relative_distance vs width for deep
 *       allen_zhu / zou groups;
 *   <li>Du two-layer GD on half_sum_squared: rate_min_over_bound (exponent = median of
 *       rate_min / (lr lambda0 / 2)), rate_min_bound_holds (exponent = fraction of runs with
 *       rate_min >= lr lambda0 / 2), rate_fit and rate_min vs lr_lambda0 (log-log);
 *   <li>test_loss_ratio vs random_labels (exponent = median held-out test loss with random labels
 *       over that with true labels, converged runs at the widest common width), for teacher labels
 *       with n_test > 0.
 * </ul>
 * A row is written when the x column varies in the slice; with fewer than 3 distinct usable x
 * values the numbers are null and the note says so. Intervals: 95% percentile bootstrap with 1000
 * resamples of the seeds (jointly across the groups of a slice), the quantity recomputed and
 * refitted per resample, by the one bootstrap of the analysis; {@link java.util.SplittableRandom}
 * seeded from a fixed constant and the
 * row's key ({@link io.github.overparam.spark.analysis.Bootstrap}), so results are reproducible.
 *
 * <h2>verdicts/ — one row per claim the sweep can speak to</h2>
 * {@code claim, paper, statement, measured, holds, evidence}; holds is 'true', 'false' or
 * 'inconclusive' ({@link io.github.overparam.spark.analysis.Verdict}): a missing interval or one
 * that straddles the threshold is inconclusive; several slices: any false makes it false, all true
 * make it true. The claims, each declared once with its rule in
 * {@link io.github.overparam.spark.analysis.Claims} (and listed with the reasons for their rules in
 * {@code docs/claims.md}): noy_width_n2L (every run at a width >= n^2 L converged), noy_growth_n
 * (critical width exponent in n: ci_high <= 2), noy_growth_L (in depth: ci_high <= 1), noy_time_log
 * (steps exponent in n and depth: ci_high <= 0.5), kh_params_linear_n (critical params exponent
 * within [0.75, 1.25]), du_rate (fraction with rate_min >= lr lambda0 / 2: ci_low >= 0.95),
 * du_distance_sqrt_m (exponent within [-0.75, -0.25]), du_flips_vanish (ci_high < 0),
 * kh_generalisation (test loss ratio ci_low >= 1.5), noy_surrogate (surrogate gap exponent
 * ci_high < 0), zou_sgd_converges (every sgd group has a bracketed critical width, else
 * inconclusive), az_zou_movement_shrinks (relative distance exponent ci_high < 0). The opposite
 * side of each threshold gives 'false'.
 */
package io.github.overparam.spark.analysis;
