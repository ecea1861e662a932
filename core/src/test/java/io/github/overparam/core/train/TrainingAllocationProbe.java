package io.github.overparam.core.train;

import com.sun.management.ThreadMXBean;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Bytes the training loop allocates per step once the JIT has compiled it, for AllocationTest in a
 * JVM of its own ({@link io.github.overparam.core.FreshJvm}): per case, a run of 2,010 steps against
 * one of 10 (same shapes, so the same set-up), repeated at least 20 times and on for up to 30 s
 * until below 4 bytes a step (until the JIT has compiled the vector kernels each vector operation
 * allocates its result). Arguments: cases {@code optimizer:variant}; prints a line {@code
 * optimizer:variant bytes/step X} per case.
 */
public final class TrainingAllocationProbe {
  private TrainingAllocationProbe() {}

  public static void main(String[] args) {
    ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (String c : args) {
      String optimizer = c.substring(0, c.indexOf(':'));
      String variant = c.substring(c.indexOf(':') + 1);
      // The gate panels and the forward pass that sums f from its tiles need more than 16 inputs.
      boolean wide = variant.equals("two_layer_panels_f32") || variant.equals("two_layer_rows");
      Dataset data = Datasets.generate(DataSpec.sphere(wide ? 64 : 32, wide ? 20 : 8, LabelKind.GAUSSIAN), 1);
      ModelSpec model = model(variant);
      long few = Long.MAX_VALUE;
      long many = Long.MAX_VALUE;
      double perStep = Double.NaN;
      long deadline = System.nanoTime() + 30_000_000_000L;
      for (int attempt = 0; !(perStep < 4) && (attempt < 20 || System.nanoTime() < deadline); attempt++) {
        few = Math.min(few, allocated(bean, data, model, optimizer, 10, variant));
        many = Math.min(many, allocated(bean, data, model, optimizer, 2010, variant));
        perStep = (many - few) / 2000.0;
      }
      System.out.printf(Locale.ROOT, "%s bytes/step %.3f%n", c, perStep);
    }
  }

  /** The net of a case's variant. */
  static ModelSpec model(String variant) {
    return switch (variant) {
      case "resnet" -> ModelSpec.of(Arch.RESNET, Parameterization.ALLEN_ZHU, Activation.RELU, 24, 2);
      case "cnn" -> ModelSpec.of(Arch.CNN, Parameterization.ZOU, Activation.RELU, 6, 2).withPatch(3, 2);
      case "two_layer", "two_layer_f32" -> ModelSpec.du(24);
      // Half a vector of units: the paired passes (4 units in float64, 8 in float32 on 512-bit vectors).
      case "two_layer_narrow" -> ModelSpec.du(4);
      case "two_layer_narrow_f32" -> ModelSpec.du(8);
      case "two_layer_panels_f32" -> ModelSpec.du(48);
      // float64, 20 inputs and 128 units: the forward pass that sums f from its tiles (Kernels.forwardRows).
      case "two_layer_rows" -> ModelSpec.du(128);
      default -> ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 24, 2);
    };
  }

  private static long allocated(ThreadMXBean bean, Dataset data, ModelSpec model, String optimizer, int steps,
      String variant) {
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
