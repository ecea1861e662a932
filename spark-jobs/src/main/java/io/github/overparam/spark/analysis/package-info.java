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
 *       vs hidden_layers: bracketed groups only;
 *   <li>steps_to_target vs n / hidden_layers (median over converged runs at the group's widest
 *       width; described, never judged) and vs log_n / log_hidden_layers (semi-log);
 *   <li>paper_time vs n: median of steps x lr x lambda_min of the kernel over converged runs at
 *       widths >= n^2 L;
 *   <li>max_neuron_distance and flip_fraction vs width per group, and max_layer_distance (absolute,
 *       max over trained layers) for deep allen_zhu / zou groups: mean over the non-diverged runs at
 *       the widths >= 8x the group's critical width ({@link io.github.overparam.spark.analysis.Regime});
 *       max_relative_distance (described only);
 *   <li>Du two-layer GD on half_sum_squared: rate_bound_share per group (share of all runs at the
 *       widest regime width with rate_min >= lr lambda0 / 2), and described: rate_min_over_bound,
 *       rate_fit and rate_min vs lr_lambda0;
 *   <li>test_accuracy_true and test_accuracy_random vs random_labels (mean test accuracy of each
 *       arm's converged runs at the widest common width), for class labels with n_test > 0;
 *   <li>surrogate_gap vs width (a diverged run counts as the group's largest gap).
 * </ul>
 * A row is written when the x column varies in the slice; with fewer than 3 distinct usable x
 * values the numbers are null and the note says so. Intervals: 95% expanded percentile bootstrap
 * with 1000 resamples of the seeds (jointly across the groups of a slice), the quantity recomputed
 * and refitted per resample, by the one bootstrap of the analysis; {@link java.util.SplittableRandom}
 * seeded from a fixed constant and the row's key
 * ({@link io.github.overparam.spark.analysis.Bootstrap}), so results are reproducible.
 *
 * <h2>verdicts/ — one row per claim whose assumptions the sweep meets</h2>
 * {@code claim, paper, statement, scope, measured, holds, evidence}; holds is 'true', 'false' or
 * 'inconclusive' ({@link io.github.overparam.spark.analysis.Verdict}). A fit decides only with >= 8
 * seeds and >= 4 x-values spanning >= 8x ({@link io.github.overparam.spark.analysis.Sample}); groups
 * combine with a Holm correction ({@link io.github.overparam.spark.analysis.Decision}). The claims
 * the sweep cannot speak to are written, with the reason, to {@code verdicts/_out_of_scope.tsv}.
 * The claims, each declared once with its rule in
 * {@link io.github.overparam.spark.analysis.Claims} (and listed with the reasons for their rules in
 * {@code docs/claims.md}): noy_width_n2L (every run at a width >= n^2 L converged), noy_growth_n
 * (critical width exponent in n: ci_high <= 2, a sufficiency bound), noy_growth_L (in hidden
 * layers: ci_high <= 1), noy_time_log (time in the paper's units at widths >= n^2 L, exponent in n:
 * ci_high <= 0.5), kh_params_linear_n (all layers trained: critical params exponent ci_high <= 1,
 * and every run with a last hidden layer >= n wide converged), du_rate (share of all runs at the
 * widest regime width with rate_min >= lr lambda0 / 2: ci_low >= 0.95), du_distance_sqrt_m
 * (regime exponent within [-0.75, -0.25]), du_flips_vanish (regime exponent ci_high < 0),
 * kh_generalization (test accuracy: true labels above chance 1/k, random labels at chance),
 * noy_surrogate (surrogate gap exponent ci_high < 0), zou_sgd_converges (SGD reaches the threshold
 * at the widest width where GD does), az_zou_movement_shrinks (absolute layer distance exponent in
 * the regime ci_high < 0). The opposite side of each threshold gives 'false'.
 */
package io.github.overparam.spark.analysis;
