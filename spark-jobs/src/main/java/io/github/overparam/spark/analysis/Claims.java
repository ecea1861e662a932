package io.github.overparam.spark.analysis;

import io.github.overparam.core.Names;
import io.github.overparam.core.train.Status;
import io.github.overparam.spark.analysis.Claim.Direction;
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

  /** The over-parameterized regime of the lazy-training claims, as their assumptions state it. */
  static final String LAZY = "widths >= " + Regime.FACTOR + "x the group's critical width over at least a decade of"
      + " widths (at least " + Sample.MIN_X + " of them), at least " + Sample.MIN_SEEDS + " seeds";

  public static final Claim NOY_WIDTH_N2L = new Claim("noy_width_n2L", NOY,
      "A width of c * n^2 * L suffices for gradient descent to reach zero training loss (here c = 1, L = hidden"
          + " layers).", Direction.SUFFICIENCY,
      "the grid reaches width n^2 L in some group", new Rule.AllConverge(),
      new Evidence(List.of(), "", "runs table: every run at a width >= n^2 * hidden_layers (c = 1), success = status"
          + " '" + Names.of(Status.CONVERGED) + "'", "the ratio uses the critical table"));

  public static final Claim NOY_GROWTH_N = new Claim("noy_growth_n", NOY,
      "The width needed grows no faster than n^2.", Direction.SUFFICIENCY,
      "n takes at least two values with bracketed critical widths",
      new Rule.AtMost(2.0), fits("critical width ~ n^", "upper CI end of the exponent against the bound", "",
          fit("critical_width", "n")));

  public static final Claim NOY_GROWTH_L = new Claim("noy_growth_L", NOY,
      "The width needed grows no faster than linearly in the depth L (hidden layers of the net as built).",
      Direction.SUFFICIENCY, "the number of hidden layers takes at least two values with bracketed critical widths",
      new Rule.AtMost(1.0), fits("critical width ~ L^", "upper CI end of the exponent against the bound", "",
          fit("critical_width", "hidden_layers")));

  public static final Claim NOY_TIME_LOG = new Claim("noy_time_log", NOY,
      "At width c n^2 L and their step size, gradient descent needs a time logarithmic in n: steps x eta x"
          + " lambda_min of the kernel grows no faster than log n.", Direction.RATE,
      "runs at widths >= n^2 L with a known step size and a kernel lambda_min (ntk_limit_lambda_min, or lambda0 of"
          + " H^inf for Du's two-layer net), n varying",
      new Rule.AtMost(0.5), fits("time (steps x eta x lambda_min) ~ n^", "log-log exponent of the median time in the"
          + " paper's units against n", "a + b ln n with a, b >= 0 has local log-log slope <= 1 / ln n, below 0.5 for"
              + " n >= 8; raw steps at a fixed lr are fitted (steps_to_target) but never judged",
          fit("paper_time", "n")));

  public static final Claim KH_PARAMS_LINEAR_N = new Claim("kh_params_linear_n", KH,
      "A number of trainable parameters linear in n suffices (all layers trained); at their condition, a last"
          + " hidden layer at least n wide, every seed reaches the target.", Direction.SUFFICIENCY,
      "every layer trained (parameterization standard, or zou with train_output), not Du's two-layer net",
      new Rule.AtMost(1.0), fits("critical params ~ n^", "upper CI end of the exponent against the bound; direct"
          + " check: every run whose last hidden layer is >= n wide converged", "", fit("critical_params", "n")));

  public static final Claim DU_RATE = new Claim("du_rate", DU,
      "For wide nets the loss falls geometrically: loss(k) <= (1 - eta lambda_0 / 2)^k loss(0).", Direction.RATE,
      "Du two-layer net, GD on half_sum_squared, lambda0 known; " + LAZY,
      new Rule.AtLeast(0.95, "the widest regime width's fraction "), fits("share of all runs at the widest regime width"
          + " with rate_min >= eta lambda0 / 2: ", "every run counts (diverged or not converged = violation)", "",
          fit("rate_bound_share", "width")));

  public static final Claim DU_DISTANCE_SQRT_M = new Claim("du_distance_sqrt_m", DU,
      "For wide nets every neuron stays within O(m^-1/2) of its initialization: max neuron distance ~ m^-1/2.",
      Direction.LIMIT, "Du two-layer net; " + LAZY,
      new Rule.Within(-0.75, -0.25), fits("max distance ~ m^", "absolute distance, every non-diverged run (a"
          + " diverged run in the regime makes the group false)", "", fit("max_neuron_distance", "width")));

  public static final Claim DU_FLIPS_VANISH = new Claim("du_flips_vanish", DU,
      "For wide nets the fraction of activation patterns that flip during training falls toward 0 as m grows.",
      Direction.LIMIT, "Du two-layer net; " + LAZY,
      new Rule.Negative(), fits("flip fraction ~ m^", "every non-diverged run", "", fit("flip_fraction", "width")));

  public static final Claim KH_GENERALIZATION = new Claim("kh_generalization", KH,
      "At the same width, nets fitted to natural labels generalize (test accuracy above chance) and nets fitted to"
          + " randomly permuted labels do not (test accuracy at chance).", Direction.CONTRAST,
      "held-out points, class labels (k classes, chance 1/k), a true-label and a random-label arm",
      new Rule.AboveChance(), fits("test accuracy ", "mean test accuracy of the converged runs at the widest common"
          + " width, per arm, with seed-bootstrap intervals", "", fit("test_accuracy_true", "random_labels"),
          fit("test_accuracy_random", "random_labels")));

  public static final Claim NOY_SURROGATE = new Claim("noy_surrogate", NOY,
      "The frozen-pattern (gated linear) surrogate describes the ReLU net better as m grows: the gap between their"
          + " loss curves shrinks.", Direction.LIMIT, "the surrogate was trained beside the net",
      new Rule.Negative(), fits("surrogate gap ~ m^", "log-log slope of the mean gap max_k |loss_relu(k) -"
          + " loss_surrogate(k)| / loss(0) against m; a run without a finite gap (diverged) counts as the group's"
          + " largest gap", "", fit("surrogate_gap", "width")));

  public static final Claim ZOU_SGD_CONVERGES = new Claim("zou_sgd_converges", "Zou et al. 2020",
      "SGD drives wide deep ReLU nets to zero training error, as GD does.", Direction.RATE,
      "the same groups trained by GD and by SGD", new Rule.SgdWhereGd(),
      new Evidence(List.of(), "", "critical table", ""));

  public static final Claim AZ_ZOU_MOVEMENT_SHRINKS = new Claim("az_zou_movement_shrinks",
      "Allen-Zhu et al. 2019; Zou et al. 2020",
      "For wide deep nets the weights stay in a neighborhood of initialization that shrinks as m grows.",
      Direction.LIMIT, "deep, resnet or cnn nets in the allen_zhu or zou parameterization; " + LAZY,
      new Rule.Negative(), fits("max layer distance ~ m^", "absolute distance max_l ||W_l - W_l(0)||_F over the"
          + " trained layers (the relative distance falls as m^-1/2 for free), every non-diverged run (a diverged"
          + " run in the regime makes the group false)", "", fit("max_layer_distance", "width")));

  /** Every claim, in the order of the verdicts table. */
  public static final List<Claim> ALL = List.of(NOY_WIDTH_N2L, NOY_GROWTH_N, NOY_GROWTH_L, NOY_TIME_LOG,
      KH_PARAMS_LINEAR_N, DU_RATE, DU_DISTANCE_SQRT_M, DU_FLIPS_VANISH, KH_GENERALIZATION, NOY_SURROGATE,
      ZOU_SGD_CONVERGES, AZ_ZOU_MOVEMENT_SHRINKS);

  /** The claim with this id. */
  public static Claim byId(String id) {
    return ALL.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "claim = '" + id + "': unknown; known claims: "
            + ALL.stream().map(Claim::id).toList()));
  }

  /**
   * The claims as a Markdown table (id, paper, statement, direction, assumptions, rule), as
   * {@code docs/claims.md} holds it between its generated markers.
   */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| claim | paper | statement | direction | assumptions | rule |\n"
        + "|---|---|---|---|---|---|\n");
    for (Claim c : ALL) {
      sb.append("| `").append(c.id()).append("` | ").append(c.paper()).append(" | ").append(c.statement()).append(
          " | ").append(c.direction().text()).append(" | ").append(c.assumptions()).append(" | ").append(
              c.ruleText().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }
}
