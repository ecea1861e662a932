package io.github.overparam.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The same spec gives a bit-identical result (wall time aside), in any order, on any thread. */
class DeterminismTest {

  static List<RunSpec> specs() {
    List<RunSpec> specs = new ArrayList<>();
    RecordSpec record = new RecordSpec(30, true, 100);
    for (int seed = 0; seed < 2; seed++) {
      specs.add(new RunSpec(DataSpec.sphere(20, 5, LabelKind.GAUSSIAN), ModelSpec.du(64),
          TrainSpec.gd(0.5, Loss.HALF_SUM_SQUARED, 200, TargetLoss.relative(1e-3)), record, seed));
      specs.add(new RunSpec(DataSpec.sphere(24, 5, LabelKind.SIGN),
          ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 32, 2),
          TrainSpec.sgd(0.1, 6, Loss.LOGISTIC, 150, TargetLoss.absolute(1e-2)), record, seed));
      specs.add(new RunSpec(DataSpec.teacher(16, 4, 5, false),
          ModelSpec.of(Arch.DEEP, Parameterization.STANDARD, Activation.SOFTPLUS, 24, 2),
          TrainSpec.gd(0.05, Loss.MSE, 100, TargetLoss.relative(1e-2)), record, seed));
      specs.add(new RunSpec(DataSpec.sphere(12, 6, LabelKind.GAUSSIAN),
          ModelSpec.of(Arch.RESNET, Parameterization.ALLEN_ZHU, Activation.RELU, 24, 2),
          TrainSpec.gd(0.02, Loss.HALF_SUM_SQUARED, 120, TargetLoss.relative(1e-2)), record.withSurrogate(true), seed));
      specs.add(new RunSpec(DataSpec.sphere(16, 8, LabelKind.GAUSSIAN),
          ModelSpec.of(Arch.CNN, Parameterization.ZOU, Activation.RELU, 6, 2).withPatch(3, 2),
          TrainSpec.sgd(0.01, 4, Loss.MSE, 80, TargetLoss.relative(1e-2)), record.withSurrogate(true), seed));
      specs.add(new RunSpec(new DataSpec(DataSource.DIGITS, 40, 64, LabelKind.DIGIT,
          false, 0, 20, InputMap.NONE),
          new ModelSpec(Arch.DEEP, Parameterization.STANDARD, Activation.SOFTPLUS, 16, 2, true).withLastWidth(8),
          TrainSpec.gd(0.1, Loss.CROSS_ENTROPY, 60, TargetLoss.absolute(1e-3)), record, seed));
      // float32 (train.precision f32): two-layer GD, deep SGD, softplus, cross-entropy.
      int first = specs.size() - 6;
      for (int i : new int[] {0, 1, 2, 5}) {
        RunSpec s = specs.get(first + i);
        specs.add(new RunSpec(s.data(), s.model(), s.train().withPrecision(Precision.F32), s.record(), seed));
      }
    }
    return specs;
  }

  /** Compares every component except wall time; arrays and nested records by content, bit for bit. */
  static void assertSameResult(RunResult a, RunResult b) {
    for (RecordComponent c : RunResult.class.getRecordComponents()) {
      if (c.getName().equals("wallMicros")) {
        continue;
      }
      try {
        Object va = c.getAccessor().invoke(a);
        Object vb = c.getAccessor().invoke(b);
        if (va instanceof Record ra) {
          for (RecordComponent inner : ra.getClass().getRecordComponents()) {
            if (inner.getName().equals("wallMicros")) { // cost.wallMicros: wall time is not deterministic
              continue;
            }
            assertDeepEquals(inner.getAccessor().invoke(va), inner.getAccessor().invoke(vb),
                c.getName() + "." + inner.getName());
          }
        } else {
          assertDeepEquals(va, vb, c.getName());
        }
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static void assertDeepEquals(Object a, Object b, String what) {
    if (a instanceof Record ra && !(a instanceof RunSpec)) {
      try {
        for (RecordComponent inner : ra.getClass().getRecordComponents()) {
          assertDeepEquals(inner.getAccessor().invoke(a), inner.getAccessor().invoke(b), what + "." + inner.getName());
        }
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    } else if (a instanceof double[] da) {
      // Bitwise: NaN equals NaN, and 0.0 differs from -0.0.
      long[] la = Arrays.stream(da).mapToLong(Double::doubleToRawLongBits).toArray();
      long[] lb = Arrays.stream((double[]) b).mapToLong(Double::doubleToRawLongBits).toArray();
      assertArrayEquals(la, lb, what);
    } else if (a instanceof int[] ia) {
      assertArrayEquals(ia, (int[]) b, what);
    } else if (a instanceof Double da) {
      assertEquals(Double.doubleToRawLongBits(da), Double.doubleToRawLongBits((Double) b), what);
    } else {
      assertEquals(a, b, what);
    }
  }

  @Test
  void sameSpecSameResultInAnyOrderOnAnyThread() throws Exception {
    List<RunSpec> specs = specs();
    List<RunResult> sequential = new ArrayList<>();
    for (RunSpec s : specs) {
      sequential.add(Runs.execute(s));
    }
    List<RunSpec> shuffled = new ArrayList<>(specs);
    Collections.shuffle(shuffled, new Random(42));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<RunResult>> futures = new ArrayList<>();
      for (RunSpec s : shuffled) {
        futures.add(pool.submit(() -> Runs.execute(s)));
      }
      for (int i = 0; i < shuffled.size(); i++) {
        RunResult parallel = futures.get(i).get();
        RunResult reference = sequential.get(specs.indexOf(shuffled.get(i)));
        assertSameResult(reference, parallel);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void runIdIsStableAndSensitiveToEveryPart() {
    RunSpec a = specs().get(0);
    assertEquals(a.runId(), new RunSpec(a.data(), a.model(), a.train(), a.record(), a.seed()).runId());
    assertEquals(16, a.runId().length());
    assertNotEquals(a.runId(), new RunSpec(a.data(), a.model(), a.train(), a.record(), a.seed() + 1).runId());
    assertNotEquals(a.runId(), new RunSpec(a.data(), a.model().withWidth(65), a.train(), a.record(), a.seed()).runId());
    assertNotEquals(a.runId(), new RunSpec(a.data(), a.model(), a.train().withLr(0.25), a.record(), a.seed()).runId());
    // Same data and model, different training: same initial weights (paired design), different run.
    RunSpec b = new RunSpec(a.data(), a.model(), a.train().withLr(0.25), a.record(), a.seed());
    assertEquals(a.weightSeed(), b.weightSeed());
    assertNotEquals(a.batchSeed(), b.batchSeed());
    // Precision: another run from the same initial weights, with the same SGD batches.
    RunSpec single = new RunSpec(a.data(), a.model(), a.train().withPrecision(Precision.F32), a.record(), a.seed());
    assertNotEquals(a.runId(), single.runId());
    assertEquals(a.weightSeed(), single.weightSeed());
    assertEquals(a.batchSeed(), single.batchSeed());
    assertEquals(a.canonical().replace("divergence_factor=1000000.0}", "divergence_factor=1000000.0;precision=f32}"),
        single.canonical());
    // Pinned: a change of canonical form would silently re-key every stored sweep.
    assertEquals(Objects.requireNonNull(a.canonical()), "seed=0|data{source=sphere;n=20;d=5;labels=gaussian;"
        + "random_labels=false;teacher_width=0;n_test=0;input_map=none}|model{arch=two_layer;parameterization=du;"
        + "activation=relu;width=64;depth=1;train_output=false}|train{optimizer=gd;lr=0.5;batch_size=0;"
        + "loss=half_sum_squared;max_steps=200;target_loss=relative=0.001;divergence_factor=1000000.0}|"
        + "record{curve_points=30;ntk=true;ntk_max_n=100}");
  }
}
