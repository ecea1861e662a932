package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.UserTable;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.data.TableReader;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Step sizes relative to the data's kernel resolve to the eigenvalues of H^inf of a data set whose
 * H^inf is known in closed form, are recorded as one rule, and are refused where undefined.
 */
class KernelSymbolsTest {
  /**
   * Two unit inputs at 60 degrees: rho = 1/2, H^inf_12 = (1/2) (pi - pi/3) / (2 pi) = 1/6 and
   * H^inf_ii = 1/2, so lambda0 = 1/3 and lambda_max = 2/3.
   */
  private static final TableReader SIXTY_DEGREES = (source, path, label, features) -> UserTable.of(
      List.of("a", "b"), "y", new double[] {1, 0, 0.5, Math.sqrt(3) / 2}, new double[] {1, -0.5}, null);

  private static SweepConfig load(String lr, String model) throws ConfigException {
    return load(lr, model, "10");
  }

  private static SweepConfig load(String lr, String model, String maxSteps) throws ConfigException {
    return ConfigLoader.load("""
        sweep: kernel
        data: {source: csv, path: two.csv, label: y, n: 2, n_test: 0, normalize: none, task: regression}
        model: %s
        train: {lr: %s, loss: half_sum_squared, max_steps: %s, target_loss: {relative: 1e-4}}
        seeds: 3
        record: {ntk: false}
        """.formatted(model, lr, maxSteps), List.of(), SIXTY_DEGREES);
  }

  private static final String DU = "{arch: two_layer, parameterization: du, width: [16, 64]}";

  @Test
  void kernelSymbolsAreTheEigenvaluesOfHInf() throws ConfigException {
    SweepConfig c = load("{scale: \"1 / lambda_max\", factors: [1, 0.5]}", DU);
    assertEquals(2 * 2 * 3, c.runs().size());
    TreeSet<Double> lrs = new TreeSet<>();
    TreeSet<String> rules = new TreeSet<>();
    for (RunSpec r : c.runs()) {
      lrs.add(Math.round(r.train().lr() * 1e12) / 1e12);
      rules.add(r.train().lrRule());
    }
    // 1 / (2/3) = 1.5 and half of it, the same at every width and seed (the table is the data set).
    assertEquals(new TreeSet<>(List.of(0.75, 1.5)), lrs);
    assertEquals(new TreeSet<>(List.of("1 * (1 / lambda_max)", "0.5 * (1 / lambda_max)")), rules);

    SweepConfig ratio = load("{scale: \"lambda0 / lambda_max\", factors: [3]}", DU);
    assertEquals(1.5, ratio.runs().get(0).train().lr(), 1e-12);
    SweepConfig inverse = load("{scale: \"1 / lambda0\", factors: [1]}", DU);
    assertEquals(3.0, inverse.runs().get(0).train().lr(), 1e-12);
  }

  @Test
  void stepBudgetsInTheTheorysTimeUnitResolvePerRunAndFormOneRule() throws ConfigException {
    // lr = 1 / lambda_max = 1.5 and lambda0 = 1/3: 20 ln(1e4) / (1.5 / 3) = 40 ln(1e4) = 368.4 -> 368.
    SweepConfig c = load("{scale: \"1 / lambda_max\", factors: [1]}", DU,
        "{scale: \"20 * ln(1 / target) / (lr * lambda0)\", factors: [1, 2]}");
    TreeSet<Integer> steps = new TreeSet<>();
    TreeSet<String> rules = new TreeSet<>();
    for (RunSpec r : c.runs()) {
      steps.add(r.train().maxSteps());
      rules.add(r.train().maxStepsRule());
      assertTrue(r.canonical().contains(";max_steps_rule=" + r.train().maxStepsRule()), r.canonical());
    }
    assertEquals(new TreeSet<>(List.of(368, 737)), steps);
    assertEquals(new TreeSet<>(List.of("1 * (20 * ln(1 / target) / (lr * lambda0))",
        "2 * (20 * ln(1 / target) / (lr * lambda0))")), rules);
    // A budget in n, d or depth alone is a number, not a rule: the run ids stay those of a plain value.
    SweepConfig plain = load("0.5", DU, "{scale: \"n * 5\", factors: [1]}");
    assertEquals(10, plain.runs().get(0).train().maxSteps());
    assertEquals(null, plain.runs().get(0).train().maxStepsRule());
    assertEquals(load("0.5", DU).runs().get(0).runId(), plain.runs().get(0).runId());
  }

  @Test
  void deepNetsUseTheNtkLimitAtTheirWidth() throws ConfigException {
    // Zou et al.'s parameterization: the NTK limit's entries grow linearly with m, so 1 / lambda_max
    // halves when the width doubles; one rule for all widths.
    SweepConfig c = load("{scale: \"1 / lambda_max\", factors: [1]}",
        "{arch: deep, parameterization: zou, depth: 2, width: [32, 64]}");
    double at32 = c.runs().stream().filter(r -> r.model().width() == 32).findFirst().orElseThrow().train().lr();
    double at64 = c.runs().stream().filter(r -> r.model().width() == 64).findFirst().orElseThrow().train().lr();
    assertEquals(2.0, at32 / at64, 1e-9);
    assertEquals(1, c.runs().stream().map(r -> r.train().lrRule()).distinct().count());
  }

  @Test
  void undefinedKernelsAndOtherKeysAreRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("{scale: \"1 / lambda_max\", factors: [1]}",
        "{arch: two_layer, parameterization: du, activation: softplus, width: 8}"));
    assertTrue(e.getMessage().contains("train.lr") && e.getMessage().contains("not defined for activation softplus"),
        e.getMessage());
    ConfigException w = assertThrows(ConfigException.class, () -> ConfigLoader.load("""
        sweep: kernel
        data: {n: 4, d: 3}
        model: {arch: two_layer, parameterization: du, width: {scale: "1 / lambda0", factors: [1]}}
        train: {lr: 0.1, loss: half_sum_squared, max_steps: 10}
        """, List.of()));
    assertTrue(w.getMessage().contains("model.width") && w.getMessage().contains("unknown symbol 'lambda0'"),
        w.getMessage());
  }
}
