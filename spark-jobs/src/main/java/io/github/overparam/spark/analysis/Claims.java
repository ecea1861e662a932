package io.github.overparam.spark.analysis;

import io.github.overparam.core.Names;
import io.github.overparam.core.train.Status;
import io.github.overparam.spark.analysis.Claim.Evidence;
import io.github.overparam.spark.analysis.Claim.FitRef;
import java.util.List;

/**
 * The registry of the claims the analysis tests, in the order of verdicts/. Each claim is declared
 * once here: its statement, where it applies, its rule (threshold and text) and its evidence. The
 * documentation ({@code docs/claims.md}, {@link io.github.overparam.spark.analysis}) is checked
 * against this list by a test.
 */
public final class Claims {
  private Claims() {}

  private static final String DU = "Du et al. 2019";
  private static final String NOY = "Noy et al. 2021";
  private static final String KH = "Kawaguchi & Huang 2019";

  private static Evidence fits(String symbol, String basis, String why, FitRef... rows) {
    return new Evidence(List.of(rows), symbol, basis, why);
  }

  private static FitRef fit(String quantity, String against) {
    return new FitRef(quantity, against);
  }

  public static final Claim NOY_WIDTH_N2L = new Claim("noy_width_n2L", NOY,
      "At width c * n^2 * L (here c = 1) every seed converges.",
      "every group: its runs at widths >= n^2 * depth", new Rule.AllConverge(),
      new Evidence(List.of(), "", "runs table: every run at a width >= n^2 * depth (c = 1), success = status"
          + " '" + Names.of(Status.CONVERGED) + "'", "the ratio uses the critical table"));

  public static final Claim NOY_GROWTH_N = new Claim("noy_growth_n", NOY,
      "The critical width grows no faster than n^2.",
      "fits critical_width vs n, per slice of the other group columns (bracketed critical widths)",
      new Rule.AtMost(2.0), fits("critical width ~ n^", "", "", fit("critical_width", "n")));

  public static final Claim NOY_GROWTH_L = new Claim("noy_growth_L", NOY,
      "The critical width grows no faster than linearly in the depth L.",
      "fits critical_width vs depth, per slice (bracketed critical widths)",
      new Rule.AtMost(1.0), fits("critical width ~ L^", "", "", fit("critical_width", "depth")));

  public static final Claim NOY_TIME_LOG = new Claim("noy_time_log", NOY,
      "Steps to the target grow about logarithmically in n and L.",
      "fits steps_to_target vs n and vs depth (median steps of the converged runs at each group's widest width)",
      new Rule.AtMost(0.5), fits("steps ~ {x}^", "log-log exponent of median steps vs n (and vs L)",
          "a + b ln x with a, b >= 0 has local log-log slope <= 1 / ln x, below 0.5 for x >= 8; semi-log slopes are"
              + " in the fits rows against log_n / log_depth",
          fit("steps_to_target", "n"), fit("steps_to_target", "depth")));

  public static final Claim KH_PARAMS_LINEAR_N = new Claim("kh_params_linear_n", KH,
      "The critical trained-parameter count grows about linearly in n.",
      "fits critical_params vs n, per slice (bracketed critical widths)",
      new Rule.Within(0.75, 1.25), fits("critical params ~ n^", "", "", fit("critical_params", "n")));

  public static final Claim DU_RATE = new Claim("du_rate", DU,
      "The loss falls geometrically at a rate of at least eta * lambda_0 / 2: rate_min >= lr * lambda0 / 2.",
      "Du two-layer groups trained by GD on half_sum_squared: converged runs with lambda0 at widths whose success"
          + " rate reaches the threshold",
      new Rule.AtLeast(0.95, "the fraction's "), fits("fraction of runs with rate_min >= bound ", "", "",
          fit("rate_min_bound_holds", "lr_lambda0_over_2")));

  public static final Claim DU_DISTANCE_SQRT_M = new Claim("du_distance_sqrt_m", DU,
      "The max neuron distance from initialisation shrinks like m^-1/2.",
      "fits max_neuron_distance vs width of the Du two-layer groups",
      new Rule.Within(-0.75, -0.25), fits("max distance ~ m^", "", "", fit("max_neuron_distance", "width")));

  public static final Claim DU_FLIPS_VANISH = new Claim("du_flips_vanish", DU,
      "The fraction of flipped activation patterns falls toward 0 as m grows.",
      "fits flip_fraction vs width of the Du two-layer groups",
      new Rule.Negative(), fits("flip fraction ~ m^", "", "", fit("flip_fraction", "width")));

  public static final Claim KH_GENERALISATION = new Claim("kh_generalisation", KH,
      "At the same width, nets fitted to true (teacher) labels generalise and nets fitted to randomly permuted labels"
          + " do not.",
      "groups with held-out points and structured labels, paired with the group that differs only in random_labels",
      new Rule.AtLeast(1.5, ""), fits("test loss random / true = ", "held-out test loss ratio (random labels / true"
          + " labels) at the widest common width", "", fit("test_loss_ratio", "random_labels")));

  public static final Claim NOY_SURROGATE = new Claim("noy_surrogate", NOY,
      "The frozen-pattern (gated linear) surrogate describes the ReLU net better as m grows: the gap between their"
          + " loss curves shrinks.",
      "fits surrogate_gap vs width of the groups that trained the surrogate",
      new Rule.Negative(), fits("surrogate gap ~ m^", "log-log slope of the mean gap max_k |loss_relu(k) -"
          + " loss_surrogate(k)| / loss(0) against m", "", fit("surrogate_gap", "width")));

  public static final Claim ZOU_SGD_CONVERGES = new Claim("zou_sgd_converges", "Zou et al. 2020",
      "SGD drives wide deep ReLU nets to zero training error, as GD does.",
      "the groups trained by SGD (critical table), beside the same groups trained by GD",
      new Rule.AllBracketed("sgd group"), new Evidence(List.of(), "", "critical table", ""));

  public static final Claim AZ_ZOU_MOVEMENT_SHRINKS = new Claim("az_zou_movement_shrinks",
      "Allen-Zhu et al. 2019; Zou et al. 2020",
      "Deep nets stay in a shrinking neighbourhood of initialisation as m grows.",
      "fits max_relative_distance vs width of the deep, resnet and cnn groups in the allen_zhu or zou"
          + " parameterization",
      new Rule.Negative(), fits("relative distance ~ m^", "", "", fit("max_relative_distance", "width")));

  /** Every claim, in the order of the verdicts table. */
  public static final List<Claim> ALL = List.of(NOY_WIDTH_N2L, NOY_GROWTH_N, NOY_GROWTH_L, NOY_TIME_LOG,
      KH_PARAMS_LINEAR_N, DU_RATE, DU_DISTANCE_SQRT_M, DU_FLIPS_VANISH, KH_GENERALISATION, NOY_SURROGATE,
      ZOU_SGD_CONVERGES, AZ_ZOU_MOVEMENT_SHRINKS);

  /** The claim with this id. */
  public static Claim byId(String id) {
    return ALL.stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("claim = '" + id + "': unknown; known claims: "
            + ALL.stream().map(Claim::id).toList()));
  }

  /**
   * The claims as a Markdown table (id, paper, statement, applies to, rule), as
   * {@code docs/claims.md} holds it between its generated markers.
   */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| claim | paper | statement | applies to | rule |\n|---|---|---|---|---|\n");
    for (Claim c : ALL) {
      sb.append("| `").append(c.id()).append("` | ").append(c.paper()).append(" | ").append(c.statement())
          .append(" | ").append(c.appliesTo()).append(" | ").append(c.ruleText().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }
}
