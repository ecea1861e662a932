package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.model.Precision;
import io.github.overparam.core.run.RunSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key train.precision: f64 by default (run ids as before), f32 on request, an axis, a clear error. */
class PrecisionConfigTest {
  private static final String YAML = """
      sweep: p
      data: {n: [8, 16], d: 5}
      model: {arch: two_layer, parameterization: du, width: [4, 8]}
      train: {lr: 0.5, loss: half_sum_squared, max_steps: 10}
      seeds: 2
      """;

  @Test
  void f64ByDefaultWithTheRunIdsOfAConfigWithoutTheKey() throws ConfigException {
    SweepConfig plain = ConfigLoader.load(YAML, List.of());
    SweepConfig explicit = ConfigLoader.load(YAML, List.of("train.precision=f64"));
    assertEquals(8, plain.runs().size());
    for (RunSpec r : plain.runs()) {
      assertEquals(Precision.F64, r.train().precision());
    }
    assertEquals(plain.runs().stream().map(RunSpec::runId).toList(), explicit.runs().stream().map(
        RunSpec::runId).toList(), "f64 given or not: the same runs");
  }

  @Test
  void f32IsAValueAndAnAxis() throws ConfigException {
    SweepConfig plain = ConfigLoader.load(YAML, List.of());
    SweepConfig single = ConfigLoader.load(YAML, List.of("train.precision=f32"));
    assertEquals(8, single.runs().size());
    for (int i = 0; i < 8; i++) {
      RunSpec a = plain.runs().get(i);
      RunSpec b = single.runs().get(i);
      assertEquals(Precision.F32, b.train().precision());
      assertEquals(a.weightSeed(), b.weightSeed(), "f32 starts from the f64 run's weights (rounded)");
      assertTrue(!a.runId().equals(b.runId()), "another run");
    }
    SweepConfig both = ConfigLoader.load(YAML, List.of("train.precision=[f64, f32]"));
    assertEquals(16, both.runs().size());
    assertEquals(Precision.F32, ConfigLoader.load(single.resolvedYaml(), List.of()).runs().get(0).train().precision(),
        "the resolved config keeps the precision");
  }

  @Test
  void f32OfANetItDoesNotTrainNamesTheKeyTheValueAndWhatItTrains() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("""
        sweep: r
        data: {n: 8, d: 5}
        model: {arch: resnet, parameterization: allen_zhu, width: 16, depth: 2}
        train: {lr: 0.01, loss: half_sum_squared, max_steps: 10, precision: f32}
        """, List.of()));
    assertTrue(e.getMessage().contains("train.precision") && e.getMessage().contains("f32")
        && e.getMessage().contains("two_layer and deep") && e.getMessage().contains("not model.arch resnet"),
        e.getMessage());
    ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.load(YAML,
        List.of("train.precision=f16")));
    assertTrue(bad.getMessage().contains("train.precision") && bad.getMessage().contains("f64, f32"),
        bad.getMessage());
  }
}
