package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.SpecException;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Good configs: grid size and order, ranges, relative values, seeds, defaults, overrides, round trip. */
class ConfigLoaderTest {

  private static final String BASE = """
      sweep: du-width
      data: {n: 20, d: 5}
      model: {arch: two_layer, parameterization: du, width: 16}
      train: {lr: 0.5, loss: half_sum_squared, max_steps: 100}
      """;

  static SweepConfig load(String yaml, String... overrides) throws ConfigException {
    return ConfigLoader.load(yaml, List.of(overrides));
  }

  static List<Integer> widths(SweepConfig c) {
    return c.runs().stream().map(r -> r.model().width()).collect(Collectors.toList());
  }

  @Test
  void minimalConfigFillsEveryDefault() throws ConfigException {
    SweepConfig c = load(BASE);
    assertEquals("du-width", c.sweep());
    assertEquals(1, c.runs().size());
    assertEquals(List.of(), c.axes());
    assertEquals(ExecutionOptions.auto(), c.execution());
    RunSpec r = c.runs().get(0);
    assertEquals(0L, r.seed());
    assertEquals(LabelKind.GAUSSIAN, r.data().labels());
    assertEquals(0, r.data().nTest());
    assertFalse(r.data().randomLabels());
    assertEquals(0, r.data().teacherWidth());
    assertEquals(InputMap.NONE, r.data().inputMap());
    assertEquals(1, r.model().depth());
    assertEquals(Parameterization.DU.trainOutputByDefault(), r.model().trainOutput());
    assertEquals(Optimizer.GD, r.train().optimizer());
    assertEquals(0, r.train().batchSize());
    assertEquals(TargetLoss.relative(1e-4), r.train().target());
    assertEquals(TrainSpec.DEFAULT_DIVERGENCE_FACTOR, r.train().divergenceFactor());
    assertEquals(RecordSpec.defaults(), r.record());
    for (String key : List.of("source: sphere", "labels: gaussian", "n_test: 0", "input_map: none",
        "activation: relu", "depth: 1", "train_output: false", "optimizer: gd", "seeds: 1", "curve_points: 100",
        "ntk: true", "ntk_max_n: 1000", "relative: 1.0E-4", "divergence_factor: 1000000.0")) {
      assertTrue(c.resolvedYaml().contains(key), key + " missing from\n" + c.resolvedYaml());
    }
  }

  @Test
  void listsAreAxesInDocumentOrderWithSeedsInnermost() throws ConfigException {
    SweepConfig c = load("""
        sweep: grid
        model: {arch: two_layer, parameterization: du, width: [16, 32, 64]}
        data: {n: [10, 20], d: 5}
        train: {lr: 0.5, loss: half_sum_squared, max_steps: 100}
        seeds: 2
        """);
    assertEquals(List.of("model.width", "data.n", "seed"), c.axes());
    assertEquals(12, c.runs().size());
    StringBuilder order = new StringBuilder();
    for (RunSpec r : c.runs()) {
      order.append(r.model().width()).append('/').append(r.data().n()).append('/').append(r.seed()).append(' ');
    }
    assertEquals("16/10/0 16/10/1 16/20/0 16/20/1 32/10/0 32/10/1 32/20/0 32/20/1 64/10/0 64/10/1 64/20/0 64/20/1 ",
        order.toString());
  }

  @Test
  void geometricRangeIncludesItsEnd() throws ConfigException {
    SweepConfig c = load(BASE, "model.width={from: 16, to: 4096, factor: 2}");
    assertEquals(List.of(16, 32, 64, 128, 256, 512, 1024, 2048, 4096), widths(c));
    assertEquals(List.of("model.width"), c.axes());
  }

  @Test
  void geometricRangeOfIntegersIsRoundedAndDeduplicated() throws ConfigException {
    SweepConfig c = load(BASE, "model.width={from: 1, to: 3, factor: 1.2}");
    // 1, 1.2, 1.44, 1.728, 2.07, 2.49, 2.99 -> 1, 1, 1, 2, 2, 2, 3
    assertEquals(List.of(1, 2, 3), widths(c));
  }

  @Test
  void arithmeticRangeOfDoubles() throws ConfigException {
    SweepConfig c = load(BASE, "train.lr={from: 0.1, to: 0.5, step: 0.1}");
    List<Double> lrs = c.runs().stream().map(r -> r.train().lr()).toList();
    assertEquals(5, lrs.size());
    assertEquals(0.1, lrs.get(0), 1e-12);
    assertEquals(0.3, lrs.get(2), 1e-12);
    assertEquals(0.5, lrs.get(4), 0.0);
  }

  @Test
  void arithmeticRangeOfIntegers() throws ConfigException {
    SweepConfig c = load(BASE, "data.n={from: 10, to: 40, step: 10}");
    assertEquals(List.of(10, 20, 30, 40), c.runs().stream().map(r -> r.data().n()).toList());
  }

  @Test
  void relativeWidthIsRoundedFactorTimesExpressionAtEachPoint() throws ConfigException {
    SweepConfig c = load("""
        sweep: rel
        data: {n: [10, 20], d: 5}
        model:
          arch: deep
          parameterization: zou
          depth: [1, 3]
          width: {scale: "n^2 * depth", factors: [0.01, 0.1, 1]}
        train: {lr: 0.1, loss: mse, max_steps: 10}
        """);
    assertEquals(List.of("data.n", "model.depth", "model.width"), c.axes());
    // n=10: n^2 = 100; n=20: 400. round(f * n^2 * L).
    assertEquals(List.of(1, 10, 100, 3, 30, 300, 4, 40, 400, 12, 120, 1200), widths(c));
  }

  @Test
  void relativeValuesWithRangeFactorsNegativeExponentsAndDivision() throws ConfigException {
    SweepConfig c = load(BASE, "model.width={scale: \"(n / d)^1.5 * 4\", factors: {from: 1, to: 4, factor: 2}}",
        "train.lr={scale: \"n^-1\", factors: 2}");
    // (20 / 5)^1.5 * 4 = 32, times 1, 2, 4.
    assertEquals(List.of(32, 64, 128), widths(c));
    assertEquals(0.1, c.runs().get(0).train().lr(), 1e-15);
    assertEquals(List.of("model.width"), c.axes());
  }

  @Test
  void seedsAsCountAndAsList() throws ConfigException {
    assertEquals(List.of(0L, 1L, 2L), load(BASE + "seeds: 3\n").runs().stream().map(RunSpec::seed).toList());
    SweepConfig listed = load(BASE + "seeds: [3, 7]\n");
    assertEquals(List.of(3L, 7L), listed.runs().stream().map(RunSpec::seed).toList());
    assertEquals(List.of("seed"), listed.axes());
  }

  @Test
  void overridesReplaceAndAddKeys() throws ConfigException {
    SweepConfig c = load(BASE, "model.width=[16,32]", "train.target_loss.relative=1e-3", "seeds=3",
        "sweep=other", "train.optimizer=sgd", "train.batch_size=5", "execution.wave_size=7");
    assertEquals("other", c.sweep());
    assertEquals(6, c.runs().size());
    assertEquals(TargetLoss.relative(1e-3), c.runs().get(0).train().target());
    assertEquals(5, c.runs().get(0).train().batchSize());
    assertEquals(new ExecutionOptions(7, null), c.execution());
    assertTrue(c.resolvedYaml().contains("sweep: other"), c.resolvedYaml());
  }

  @Test
  void allenZhuDefaultsToItsInputMapAndDeepOutputFixed() throws ConfigException {
    SweepConfig c = load("""
        sweep: az
        data: {n: 8, d: 4}
        model: {arch: deep, parameterization: allen_zhu, width: 32, depth: 2}
        train: {lr: 0.01, loss: half_sum_squared, max_steps: 10}
        """);
    RunSpec r = c.runs().get(0);
    assertEquals(InputMap.ALLEN_ZHU, r.data().inputMap());
    assertFalse(r.model().trainOutput());
    assertTrue(c.resolvedYaml().contains("input_map: allen_zhu"), c.resolvedYaml());
  }

  @Test
  void conditionalKeysApplyOnlyWhereTheyMeanSomething() throws ConfigException {
    SweepConfig c = load("""
        sweep: mixed
        data: {n: 8, d: 4, labels: [sign, teacher_sign], teacher_width: 3}
        model: {arch: two_layer, parameterization: [du, standard], width: 8}
        train: {optimizer: [gd, sgd], batch_size: 4, lr: 0.1, loss: logistic, max_steps: 10}
        """);
    assertEquals(8, c.runs().size());
    for (RunSpec r : c.runs()) {
      assertEquals(r.data().labels() == LabelKind.TEACHER_SIGN ? 3 : 0, r.data().teacherWidth());
      assertEquals(r.train().optimizer() == Optimizer.SGD ? 4 : 0, r.train().batchSize());
      assertEquals(r.model().parameterization().trainOutputByDefault(), r.model().trainOutput());
    }
    assertEquals(Arch.TWO_LAYER, c.runs().get(0).model().arch());
    assertEquals(Loss.LOGISTIC, c.runs().get(0).train().loss());
  }

  @Test
  void identicalGridPointsAreKeptOnce() throws ConfigException {
    SweepConfig c = load(BASE, "model.width=[16, 32, 16]", "seeds=[1, 1]");
    assertEquals(List.of(16, 32), widths(c));
  }

  @Test
  void executionOptions() throws ConfigException {
    SweepConfig c = load(BASE + "execution: {wave_size: 200, partitions: 8}\n");
    assertEquals(new ExecutionOptions(200, 8), c.execution());
  }

  @Test
  void anchorsAndAliasesWithinLimitsWork() throws ConfigException {
    SweepConfig c = load("""
        sweep: alias
        model: {arch: two_layer, parameterization: du, width: &sizes [16, 32]}
        data: {n: *sizes, d: 5}
        train: {lr: 0.5, loss: half_sum_squared, max_steps: 100}
        """);
    assertEquals(List.of(16, 16, 32, 32), widths(c));
    assertEquals(List.of(16, 32, 16, 32), c.runs().stream().map(r -> r.data().n()).toList());
    ConfigException e = assertThrows(ConfigException.class, () -> load(BASE.replace("width: 16", "width: &w 16")
        + "record: {curve_points: *w}\n"));
    assertTrue(e.getMessage().contains("alias *w"), e.getMessage());
  }

  @Test
  void resolvedYamlRoundTripsToTheSameRunsInTheSameOrder() throws ConfigException {
    String yaml = """
        sweep: round-trip
        data: {n: [10, 20], d: 5, labels: sign}
        model: {arch: deep, parameterization: [zou, standard], width: {scale: "n * depth", factors: [0.5, 2]},
                depth: {from: 1, to: 3, step: 1}}
        train: {lr: {from: 0.01, to: 1, factor: 10}, loss: [logistic, mse], max_steps: 50,
                target_loss: {absolute: 1.0e-3}}
        seeds: [3, 7]
        record: {curve_points: 20}
        """;
    SweepConfig first = load(yaml, "train.max_steps=60");
    SweepConfig second = load(first.resolvedYaml());
    assertEquals(first.runs().stream().map(RunSpec::runId).toList(),
        second.runs().stream().map(RunSpec::runId).toList());
    assertEquals(first.axes(), second.axes());
    assertEquals(first.resolvedYaml(), second.resolvedYaml());
    assertEquals(2 * 2 * 2 * 3 * 3 * 2 * 2, first.runs().size());
    assertEquals(60, first.runs().get(0).train().maxSteps());
  }

  @Test
  void minimalResolvedYamlRoundTrips() throws ConfigException {
    SweepConfig first = load(BASE, "model.width={from: 16, to: 64, factor: 2}", "train.lr=[0.5, 1e-3]");
    SweepConfig second = load(first.resolvedYaml());
    assertEquals(first.runs(), second.runs());
    assertEquals(first.sweep(), second.sweep());
  }

  @Test
  void errorsReadWell() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(BASE, "model.width=-3", "train.lr=0",
        "model.widht=4"));
    List<String> lines = e.errors().stream().map(ConfigError::toString).toList();
    assertTrue(lines.contains("model.width: value -3: must be an integer >= 1"), lines.toString());
    assertTrue(lines.contains("train.lr: value 0: must be a finite number > 0"), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(
        "model.widht: value 4: unknown key (did you mean model.width?)")),
        lines.toString());
    for (ConfigError err : e.errors()) {
      assertTrue(e.getMessage().contains(System.lineSeparator() + "  " + err), e.getMessage());
    }
    assertEquals(3, e.errors().size(), lines.toString());
  }

  @Test
  void relativeWidthBelowOneNamesTheCombination() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load(BASE, "model.width={scale: \"n^2 * depth\", factors: [0.001, 1]}"));
    ConfigError err = e.errors().get(0);
    assertEquals("model.width", err.path());
    assertEquals("0", err.value());
    assertTrue(err.message().contains("depth=1, n=20"), err.message());
    assertEquals(1, e.errors().size());
  }

  @Test
  void coreErrorsAreDeduplicatedAcrossGridPoints() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(BASE, "model.depth=2", "seeds=5",
        "data.n=[10, 20, 30]"));
    assertEquals(1, e.errors().size(), e.getMessage());
    assertEquals("model.depth", e.errors().get(0).path());
    assertEquals("2", e.errors().get(0).value());
  }

  @Test
  void coreErrorsAreReadPartByPart() {
    assertEquals(new ConfigError("model.width", "0", "must be an integer >= 1"),
        ConfigErrors.of(new SpecException("model.width", "0", "must be an integer >= 1")));
    assertEquals(new ConfigError("data.labels", "x", "allowed values are a, b"),
        ConfigErrors.of(SpecException.text("data.labels", "x", "allowed values are a, b")));
    assertEquals(new ConfigError("data", null, "missing: a value is required"),
        ConfigErrors.of(new SpecException("data", null, "a value is required")));
    ConfigException e = assertThrows(ConfigException.class, () -> load(BASE, "model.arch=deep"));
    assertEquals(List.of(new ConfigError("model.parameterization", "du",
        "needs arch two_layer (Du et al. analyze one hidden layer)")), e.errors());
  }

  @Test
  void overridesAloneCanMakeAConfig() throws ConfigException {
    SweepConfig c = load("", "sweep=from-flags", "data.n=5", "data.d=3", "model.arch=two_layer",
        "model.parameterization=standard", "model.width=4", "train.lr=0.1", "train.loss=mse", "train.max_steps=2");
    assertEquals("from-flags", c.sweep());
    assertTrue(c.runs().get(0).model().trainOutput());
    assertEquals(c.runs(), load(c.resolvedYaml()).runs());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("""
        sweep: ../x
        data: {n: 10, d: 5, lables: sign}
        model: {arch: two_layer, parameterization: du, width: wide}
        train: {lr: 0.5, loss: hinge, max_steps: 100}
        seeds: 0
        """, "record.curve_points=1", "oops"));
    List<String> paths = e.errors().stream().map(ConfigError::path).toList();
    assertEquals(List.of("(--set)", "sweep", "data.lables", "model.width", "train.loss", "seeds",
        "record.curve_points"), paths, e.getMessage());
    assertTrue(e.getMessage().contains("did you mean data.labels?"), e.getMessage());
  }

  @Test
  void gridPointErrorsAreCappedAndSummarized() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load(BASE, "data.n={from: 1, to: 300, step: 1}", "model.width={scale: n, factors: 0.001}"));
    assertEquals(ConfigLoader.MAX_ERRORS + 1, e.errors().size());
    assertEquals("(errors)", e.errors().get(ConfigLoader.MAX_ERRORS).path());
    assertTrue(e.errors().get(0).message().contains("n=1"), e.errors().get(0).message());
  }

  @Test
  void aliasCountIsLimited() {
    StringBuilder yaml = new StringBuilder(BASE.replace("width: 16", "width: &w [16]")).append("seeds: [");
    for (int i = 0; i < YamlTree.MAX_ALIASES + 1; i++) {
      yaml.append(i == 0 ? "" : ", ").append("*w");
    }
    yaml.append("]\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml.toString()));
    assertEquals("(yaml)", e.errors().get(0).path());
    assertTrue(e.getMessage().contains("more than 50 aliases"), e.getMessage());
  }

  @Test
  void namesThatLookLikeNumbersOrBooleansSurviveTheRoundTrip() throws ConfigException {
    SweepConfig c = load(BASE.replace("sweep: du-width", "sweep: 1e3"), "data.labels=[sign]", "train.loss=mse");
    assertEquals("1e3", c.sweep());
    assertEquals("1e3", load(c.resolvedYaml()).sweep());
    assertTrue(c.resolvedYaml().contains("sweep: \"1e3\""), c.resolvedYaml());
  }

  @Test
  void yamlBooleansAndIntegerFormsAreRead() throws ConfigException {
    SweepConfig c = load(BASE, "record.ntk=off", "train.max_steps=1_000", "model.width=0x10", "data.n=1e2");
    RunSpec r = c.runs().get(0);
    assertFalse(r.record().ntk());
    assertEquals(1000, r.train().maxSteps());
    assertEquals(16, r.model().width());
    assertEquals(100, r.data().n());
  }
}
