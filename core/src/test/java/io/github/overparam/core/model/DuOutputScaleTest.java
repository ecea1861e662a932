package io.github.overparam.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Du et al.'s output scale is 1 / sqrt(m) for the m units feeding the output, also when last_width sets m. */
class DuOutputScaleTest {
  @Test
  void outputScaleFollowsTheLastHiddenWidth() {
    ModelSpec plain = new ModelSpec(Arch.TWO_LAYER, Parameterization.DU, Activation.RELU, 64, 1, false);
    assertEquals(1.0 / 8, Network.initialize(plain, 5, 1, 3L).outputScale(), 1e-15);
    ModelSpec last = plain.withLastWidth(16);
    assertEquals(1.0 / 4, Network.initialize(last, 5, 1, 3L).outputScale(), 1e-15);
  }
}
