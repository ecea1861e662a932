package io.github.overparam.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The training loop allocates nothing per step: the bytes this thread allocates for a run of 2,010
 * steps exceed those of a 10-step run (same shapes, so same set-up) by less than 4 bytes per step.
 * Set-up (workspaces, the curve arrays) is allocated once and is identical in both runs. In both
 * precisions ({@code f32}: the deep Zou net in float32), and for the two-layer net, whose first
 * layer's gradient is one fused pass, and for two-layer nets of 4 and 8 units (the paired passes
 * of half a vector on 512-bit vectors), and for a two-layer net with 20 inputs in float32 (its gate
 * panels, {@code Kernels.gatePanels}).
 */
class AllocationTest {

  @ParameterizedTest
  @CsvSource({"gd, deep", "sgd, deep", "gd, resnet", "sgd, cnn", "gd, surrogate", "sgd, surrogate", "gd, f32",
      "sgd, f32", "gd, two_layer", "sgd, two_layer", "gd, two_layer_f32", "gd, two_layer_narrow",
      "gd, two_layer_narrow_f32", "gd, two_layer_panels_f32"})
  void trainingStepsAllocateNothing(String optimizer, String variant) {
    ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    boolean panels = variant.equals("two_layer_panels_f32");
    Dataset data = Datasets.generate(DataSpec.sphere(panels ? 64 : 32, panels ? 20 : 8, LabelKind.GAUSSIAN), 1);
    ModelSpec model = switch (variant) {
      case "resnet" -> ModelSpec.of(Arch.RESNET, Parameterization.ALLEN_ZHU, Activation.RELU, 24, 2);
      case "cnn" -> ModelSpec.of(Arch.CNN, Parameterization.ZOU, Activation.RELU, 6, 2).withPatch(3, 2);
      case "two_layer", "two_layer_f32" -> ModelSpec.du(24);
      // Half a vector of units: the paired passes (4 units in float64, 8 in float32 on 512-bit vectors).
      case "two_layer_narrow" -> ModelSpec.du(4);
      case "two_layer_narrow_f32" -> ModelSpec.du(8);
      case "two_layer_panels_f32" -> ModelSpec.du(48);
      default -> ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 24, 2);
    };
    if (panels) {
      assertEquals(Kernels.vectorized(), Kernels.gatePanels(64, 20, 48), "the net trains through its gate panels");
    }
    // Until the JIT has compiled the vector kernels, each vector operation allocates its result
    // (interpreted or C1 code): repeat until the steady state shows, on a busy machine too.
    long few = Long.MAX_VALUE;
    long many = Long.MAX_VALUE;
    double perStep = Double.NaN;
    // At least 20 attempts, and on for up to 30 s while the compiler is still busy (a loaded CI machine).
    long deadline = System.nanoTime() + 30_000_000_000L;
    for (int attempt = 0; !(perStep < 4) && (attempt < 20 || System.nanoTime() < deadline); attempt++) {
      few = Math.min(few, allocated(bean, data, model, optimizer, 10, variant));
      many = Math.min(many, allocated(bean, data, model, optimizer, 2010, variant));
      perStep = (many - few) / 2000.0;
    }
    assertTrue(perStep < 4, "training allocates " + perStep + " bytes per step");
  }

  private static long allocated(ThreadMXBean bean, Dataset data, ModelSpec model,
      String optimizer, int steps, String variant) {
    TrainSpec spec = optimizer.equals("gd")
        ? TrainSpec.gd(1e-3, Loss.MSE, steps, TargetLoss.absolute(1e-300))
        : TrainSpec.sgd(1e-3, 8, Loss.MSE, steps, TargetLoss.absolute(1e-300));
    Network net = Network.initialize(model, data.d(), 1, 5);
    if (variant.equals("surrogate")) {
      net = net.surrogate();
      net.pinGates(data.xTrain());
    } else if (variant.endsWith("f32")) {
      net = net.withPrecision(Precision.F32);
    }
    Drift drift = new Drift(net, data.n());
    long tid = Thread.currentThread().getId();
    long before = bean.getThreadAllocatedBytes(tid);
    Trainer.train(net, data, spec, TrainOptions.of(2, 9, drift));
    return bean.getThreadAllocatedBytes(tid) - before;
  }
}
