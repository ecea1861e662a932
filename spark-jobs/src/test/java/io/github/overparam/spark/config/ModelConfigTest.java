package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The issue-5 keys: resnet, cnn, last_width, cross_entropy with digit classes, the surrogate, width in lr. */
class ModelConfigTest {

  private static SweepConfig load(String yaml, String... overrides) throws ConfigException {
    return ConfigLoader.load(yaml, List.of(overrides));
  }

  @Test
  void resnetTakesThePapersResidualScaleAtEachWidthUnlessSet() throws ConfigException {
    SweepConfig c = load("""
        sweep: r
        data: {n: 8, d: 5}
        model: {arch: resnet, parameterization: allen_zhu, width: [16, 256], depth: 4}
        train: {lr: 0.01, loss: half_sum_squared, max_steps: 10}
        """);
    assertEquals(2, c.runs().size());
    for (RunSpec r : c.runs()) {
      assertEquals(Arch.RESNET, r.model().arch());
      assertEquals(1.0 / (2 * Math.log(r.model().width())), r.model().residualScale(), 1e-15);
      assertEquals(5, r.model().hiddenLayers());
    }
    SweepConfig set = load(c.resolvedYaml(), "model.residual_scale=0.25");
    assertEquals(0.25, set.runs().get(0).model().residualScale());
  }

  @Test
  void cnnDefaultsToPatchThreeAndOneChannel() throws ConfigException {
    SweepConfig c = load("""
        sweep: c
        data: {n: 8, d: 12}
        model: {arch: cnn, parameterization: zou, width: 4, depth: 2}
        train: {lr: 0.01, loss: half_sum_squared, max_steps: 10}
        """);
    ModelSpec m = c.runs().get(0).model();
    assertEquals(3, m.patch());
    assertEquals(1, m.channels());
    assertEquals(12, m.positions(12));
    assertEquals(load(c.resolvedYaml()).runs(), c.runs(), "the resolved config gives the same runs");
  }

  @Test
  void lastWidthAndLearningRateMayBeRelativeToNAndWidth() throws ConfigException {
    SweepConfig c = load("""
        sweep: kh
        data: {source: digits, n: [40, 80], d: 64, labels: digit, n_test: 100}
        model: {arch: deep, parameterization: standard, activation: softplus, width: 32, depth: 2,
                last_width: {scale: "n", factors: [0.5, 2]}}
        train: {lr: {scale: "1 / (n * width)", factors: [8]}, loss: cross_entropy, max_steps: 10}
        record: {surrogate: false}
        """);
    assertEquals(4, c.runs().size());
    for (RunSpec r : c.runs()) {
      int n = r.data().n();
      assertTrue(r.model().lastWidth() == n / 2 || r.model().lastWidth() == 2 * n, r.model().canonical());
      assertEquals(8.0 / (n * 32), r.train().lr(), 1e-15);
      assertEquals("8 * (1 / (n * width))", r.train().lrRule());
      assertEquals(Loss.CROSS_ENTROPY, r.train().loss());
      assertEquals(LabelKind.DIGIT, r.data().labels());
      assertTrue(r.model().canonical().contains(";last_width=" + r.model().lastWidth()));
    }
  }

  @Test
  void searchReevaluatesWidthRelativeValuesAtEveryProbe() throws ConfigException {
    SweepConfig c = load("""
        sweep: s
        data: {n: 8, d: 5}
        model: {arch: deep, parameterization: zou, depth: 2}
        train: {lr: {scale: "1 / (n * depth * width)", factors: [1]}, loss: half_sum_squared, max_steps: 10}
        search: {min_width: 4, max_width: 256, resolution: 1.19}
        """);
    RunSpec template = c.runs().get(0);
    assertEquals(1.0 / (8 * 2 * 4), template.train().lr(), 1e-15);
    RunSpec probe = c.atWidth().apply(template, 64);
    assertEquals(64, probe.model().width());
    assertEquals(1.0 / (8 * 2 * 64), probe.train().lr(), 1e-15);
    assertEquals(template.seed(), probe.seed());
    assertEquals("1 * (1 / (n * depth * width))", probe.train().lrRule(), "one rule across widths: one group");
    assertEquals(template.train().lrRule(), probe.train().lrRule());
    var e = assertThrows(IllegalArgumentException.class, () -> c.atWidth().apply(template, 0));
    assertTrue(e.getMessage().contains("model.width"), e.getMessage());
  }

  @Test
  void surrogateIsARecordOption() throws ConfigException {
    SweepConfig c = load("""
        sweep: s
        data: {n: 8, d: 5}
        model: {arch: two_layer, parameterization: du, width: 16}
        train: {lr: 0.1, loss: half_sum_squared, max_steps: 10}
        record: {surrogate: true}
        """);
    assertTrue(c.runs().get(0).record().surrogate());
    assertTrue(c.runs().get(0).record().canonical().endsWith(";surrogate=true"));
  }
}
