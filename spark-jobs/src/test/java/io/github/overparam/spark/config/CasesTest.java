package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.model.Arch;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.data.TableReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code cases:}: grids a product cannot pair, in one sweep. Each case is the document with the
 * case's keys laid over it, its runs are exactly the runs of that document loaded alone, the cases
 * follow one another in order, and the resolved config loads back to the same runs.
 */
class CasesTest {
  private static final String SHARED = """
      sweep: pair
      data: {n: [8, 16], d: 5}
      model: {width: [16, 32]}
      train: {lr: 0.1, loss: half_sum_squared, max_steps: 50}
      seeds: 2
      """;
  private static final String CASES = """
      cases:
        - {model: {arch: two_layer, parameterization: du}}
        - {model: {arch: deep, parameterization: zou, depth: 2, width: 24}, train: {lr: [0.01, 0.02]}}
      """;

  private static SweepConfig load(String yaml, String... overrides) throws ConfigException {
    return ConfigLoader.load(yaml, List.of(overrides));
  }

  private static List<String> errors(String yaml, String... overrides) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, overrides));
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void eachCaseRunsAsItsOwnDocumentAndTheCasesFollowInOrder() throws ConfigException {
    SweepConfig both = load(SHARED + CASES);
    SweepConfig du = load(SHARED, "model.arch=two_layer", "model.parameterization=du");
    SweepConfig deep = load(SHARED, "model.arch=deep", "model.parameterization=zou", "model.depth=2",
        "model.width=24", "train.lr=[0.01, 0.02]");
    List<RunSpec> expected = new ArrayList<>(du.runs());
    expected.addAll(deep.runs());
    assertEquals(expected, both.runs());
    assertEquals(2 * 2 * 2 + 2 * 2 * 2, both.runCount());
    // The case and the keys the cases set come first: what runs of different cases differ in.
    assertEquals(List.of("case", "model.arch", "model.parameterization", "model.depth", "model.width", "train.lr",
        "data.n", "seed"), both.axes());
    // The case's width replaces the document's list whole: one width in the deep case.
    assertTrue(both.runs().stream().filter(r -> r.model().arch() == Arch.DEEP).allMatch(r -> r.model().width() == 24));
  }

  @Test
  void theResolvedConfigLoadsBackToTheSameRunsAndFingerprint() throws ConfigException {
    SweepConfig both = load(SHARED + CASES);
    assertTrue(both.resolvedYaml().contains("cases:\n  - data:\n"), both.resolvedYaml());
    SweepConfig again = load(both.resolvedYaml());
    assertEquals(both.runs(), again.runs());
    assertEquals(both.fingerprint(), again.fingerprint());
    assertEquals(both.resolvedYaml(), again.resolvedYaml());
    SweepGrid grid = ConfigLoader.grid(both.resolvedYaml(), TableReader.NONE);
    assertEquals(2, grid.cases());
    assertEquals(both.runs().get(8), grid.run(8), "run 8 is the deep case's first");
    assertEquals(1, grid.caseOf(8));
  }

  @Test
  void aConfigWithoutCasesKeepsItsResolvedFormAndFingerprint() throws ConfigException {
    SweepConfig plain = load(SHARED, "model.arch=two_layer", "model.parameterization=du");
    assertTrue(!plain.resolvedYaml().contains("cases"), plain.resolvedYaml());
    SweepConfig oneCase = load(SHARED + "cases: [{model: {arch: two_layer, parameterization: du}}]");
    assertEquals(plain.runs(), oneCase.runs());
    assertNotEquals(plain.fingerprint(), oneCase.fingerprint(), "a config with cases is written as cases");
  }

  @Test
  void overridesOfTheDocumentReachEveryCaseUnlessTheCaseSetsTheKey() throws ConfigException {
    SweepConfig c = load(SHARED + CASES, "data.n=12", "model.width=40");
    assertTrue(c.runs().stream().allMatch(r -> r.data().n() == 12));
    assertTrue(c.runs().stream().filter(r -> r.model().arch() == Arch.TWO_LAYER).allMatch(
        r -> r.model().width() == 40));
    assertTrue(c.runs().stream().filter(r -> r.model().arch() == Arch.DEEP).allMatch(r -> r.model().width() == 24));
    SweepConfig replaced = load(SHARED + CASES, "cases=[{model: {arch: deep, parameterization: zou, depth: 3}}]");
    assertTrue(replaced.runs().stream().allMatch(r -> r.model().depth() == 3), "--set cases replaces the list");
  }

  @Test
  void aSearchProbesEveryCaseWithItsOwnRules() throws ConfigException {
    String yaml = """
        sweep: mem
        data: {n: [8, 16], d: 5}
        model: {activation: relu}
        train: {lr: {scale: "1 / width", factors: [1]}, loss: half_sum_squared, max_steps: 50}
        seeds: 2
        search: {min_width: 4, max_width: 64, resolution: 2}
        cases:
          - {model: {arch: two_layer, parameterization: du}}
          - {model: {arch: deep, parameterization: zou, depth: 2}, train: {lr: {scale: "2 / width", factors: [1]}}}
        """;
    SweepConfig c = load(yaml);
    assertEquals(List.of("search", "case", "model.arch", "model.parameterization", "model.depth", "train.lr", "data.n",
        "seed"), c.axes());
    List<RunSpec> templates = c.runs();
    assertEquals(8, templates.size());
    for (RunSpec t : templates) {
      RunSpec probe = c.atWidth().apply(t, 32);
      assertEquals(32, probe.model().width());
      assertEquals(t.model().arch(), probe.model().arch());
      assertEquals(t.model().arch() == Arch.DEEP ? 2.0 / 32 : 1.0 / 32, probe.train().lr(), 1e-15);
    }
  }

  @Test
  void errorsNameTheCaseThatGivesThem() {
    List<String> e = errors(SHARED + CASES, "cases=[{model: {arch: two_layer, parameterization: du}},"
        + " {model: {arch: deep, parameterization: zou, depth: 0, dept: 2}}]");
    assertTrue(e.contains("cases[1].model.depth: value 0: must be an integer >= 1"), e.toString());
    assertTrue(e.stream().anyMatch(l -> l.startsWith("cases[1].model.dept: value 2: unknown key (did you mean"
        + " model.depth?)")), e.toString());
    assertEquals(2, e.size(), e.toString());
  }

  @Test
  void anErrorOfTheDocumentInSomeCasesOnlySaysWhich() {
    List<String> e = errors(SHARED + "cases: [{model: {arch: two_layer, parameterization: du}},"
        + " {model: {arch: deep, parameterization: zou}}]", "model.depth=2");
    assertEquals(1, e.size(), e.toString());
    assertTrue(e.get(0).startsWith("model.depth: value 2: ") && e.get(0).endsWith(" (in cases[0])"), e.toString());
  }

  @Test
  void anErrorEveryCaseGivesIsReportedOnce() {
    List<String> e = errors(SHARED + CASES, "train.loss=squared");
    assertEquals(1, e.size(), e.toString());
    assertTrue(e.get(0).startsWith("train.loss: value squared: allowed values are "), e.toString());
  }

  @Test
  void casesThatGiveTheSameRunAreRefused() {
    List<String> e = errors(SHARED + """
        cases:
          - {model: {arch: two_layer, parameterization: du, width: [16, 32]}}
          - {model: {arch: two_layer, parameterization: du, width: [32, 64]}}
        """);
    assertEquals(2, e.size(), e.toString()); // n = 8 and n = 16 at width 32
    assertTrue(e.get(0).startsWith("cases[1]: gives the same run as cases[0] ("), e.toString());
    assertTrue(e.get(0).endsWith("): cases must not overlap; remove the repeated values from one of them"),
        e.toString());
  }

  @Test
  void theCasesListItselfIsChecked() {
    assertTrue(errors(SHARED + "cases: {model: {arch: deep}}").get(0).startsWith("cases: value {model: {arch: deep}}:"
        + " must be a list of 1 to 100 cases"));
    assertTrue(errors(SHARED + "cases: []").get(0).startsWith("cases: value []: must be a list of 1 to 100 cases"));
    assertEquals(List.of("cases[0]: value 3: a case must be a map of the sections it sets (data, model, train,"
        + " record), e.g. {model: {arch: deep, depth: 2}}"), errors(SHARED + "cases: [3]"));
    assertEquals(List.of("cases[0].seeds: value 4: a case may set the sections data, model, train, record only;"
        + " sweep, seeds, search and execution are shared by every case"), errors(SHARED + "cases: [{seeds: 4}]"));
    assertEquals(List.of("cases[0].modle: value {arch: deep}: a case may set the sections data, model, train, record"
        + " only; sweep, seeds, search and execution are shared by every case (did you mean 'model'?)"),
        errors(SHARED + "cases: [{modle: {arch: deep}}]"));
    assertEquals(List.of("cases[0].model: value deep: must be a map of the keys the case sets (arch,"
        + " parameterization, activation, width, depth, train_output, last_width, residual_scale, patch,"
        + " channels)"), errors(SHARED + "cases: [{model: deep}]"));
  }
}
