package io.github.overparam.core.train;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Parameterization;
import java.util.Locale;

/**
 * Bytes a packed step allocates once the JIT has compiled it, for PackedDeepTest in a JVM of its own ({@link io.github.overparam.core.FreshJvm}): 2,010 steps
 * against 10, repeated until below 4 bytes a step or 30 s have passed. Prints {@code bytes/step X}.
 * Argument: {@code two_layer} (Du et al.'s nets of width 6) or {@code deep} (Zou et al.'s nets of
 * width 6, 2 hidden layers), n = 40, d = 10.
 */
public final class PackedAllocationProbe {
  private PackedAllocationProbe() {}

  public static void main(String[] args) {
    ModelSpec spec = args[0].equals("two_layer") ? ModelSpec.du(6)
        : ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 6, 2);
    PackedDeepGd packed = new PackedDeepGd(Network.initialize(spec, 10, 1, 1), 40);
    for (int lane = 0; lane < PackedDeepGd.LANES; lane++) {
      Dataset data = Datasets.generate(DataSpec.sphere(40, 10, LabelKind.GAUSSIAN), lane);
      packed.set(lane, Network.initialize(spec, 10, 1, 1000 + lane), data.xTrain(), data.yTrain(),
          Loss.HALF_SUM_SQUARED, 1e-3);
    }
    Runnable step = () -> {
      packed.evaluate();
      packed.update();
    };
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    double perStep = Double.NaN;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!(perStep < 4) && System.nanoTime() < deadline) {
      long few = allocated(bean, step, 10);
      long many = allocated(bean, step, 2010);
      perStep = (many - few) / 2000.0;
    }
    System.out.printf(Locale.ROOT, "bytes/step %.1f%n", perStep);
  }

  private static long allocated(com.sun.management.ThreadMXBean bean, Runnable step, int steps) {
    long before = bean.getCurrentThreadAllocatedBytes();
    for (int s = 0; s < steps; s++) {
      step.run();
    }
    return bean.getCurrentThreadAllocatedBytes() - before;
  }
}
