package io.github.overparam.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.FreshJvm;
import io.github.overparam.core.linalg.Kernels;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The training loop allocates nothing per step: the bytes a thread allocates for a run of 2,010
 * steps exceed those of a 10-step run (same shapes, so same set-up) by less than 4 bytes per step.
 * Set-up (workspaces, the curve arrays) is allocated once and is identical in both runs. In both
 * precisions ({@code f32}: the deep Zou net in float32), and for the two-layer net, whose first
 * layer's gradient is one fused pass, and for two-layer nets of 4 and 8 units (the paired passes
 * of half a vector on 512-bit vectors), and for a two-layer net with 20 inputs in float32 (its gate
 * panels, {@code Kernels.gatePanels}) and in float64 (its forward pass summing f from the tiles,
 * {@code Kernels.forwardRows}, and writing the gates as bytes for the gradient, {@code
 * Kernels.gateBytes}).
 *
 * <p>Measured in a JVM of its own ({@link TrainingAllocationProbe}, all cases in one JVM, whose JIT
 * has compiled nothing else): in this test JVM, after the hundreds of tests before it, JDK 17's C2
 * sometimes left a Vector API call of the two-layer float32 pass un-intrinsified (its per-method
 * trap limit reached by the profiles other tests left), which allocates: a property of the fork's
 * history, not of the code (docs/benchmarks.md, 2026-12-02 and 2026-12-03).
 */
class AllocationTest {

  static List<String> cases() {
    return List.of("gd:deep", "sgd:deep", "gd:resnet", "sgd:cnn", "gd:surrogate", "sgd:surrogate", "gd:f32",
        "sgd:f32", "gd:two_layer", "sgd:two_layer", "gd:two_layer_f32", "gd:two_layer_narrow",
        "gd:two_layer_narrow_f32", "gd:two_layer_panels_f32", "gd:two_layer_rows");
  }

  private static String probe;

  @BeforeAll
  static void runProbe() throws Exception {
    probe = FreshJvm.run(TrainingAllocationProbe.class, cases().toArray(new String[0]));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void trainingStepsAllocateNothing(String c) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(c) + " bytes/step (\\S+)$").matcher(probe);
    assertTrue(m.find(), "no figure for " + c + " in:\n" + probe);
    double perStep = Double.parseDouble(m.group(1));
    assertTrue(perStep < 4, c + ": training allocates " + perStep + " bytes per step");
  }

  @Test
  void theFloat32CaseOfTwentyInputsTrainsThroughGatePanels() {
    assertEquals(Kernels.vectorized(), Kernels.gatePanels(64, 20, 48), "the net trains through its gate panels");
  }

  @Test
  void theFloat64CaseOfTwentyInputsSumsItsOutputFromTheTiles() {
    assertEquals(Kernels.vectorized(), Kernels.forwardRows(64, 20, 128), "the forward pass sums f from its tiles");
    assertEquals(Kernels.vectorized(), Kernels.gateBytes(64, 20, 128), "the gradient reads the gates as bytes");
  }
}
