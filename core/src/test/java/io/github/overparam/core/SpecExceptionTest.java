package io.github.overparam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.data.UserTable;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Invalid specs fail with a typed error: the field, the value as written and the reason, read part by part. */
class SpecExceptionTest {

  private static void assertSpec(String field, String value, String reason, Executable constructor) {
    SpecException e = assertThrows(SpecException.class, constructor);
    assertEquals(field, e.field(), e.getMessage());
    assertEquals(value, e.value(), e.getMessage());
    assertEquals(reason, e.reason(), e.getMessage());
  }

  @Test
  void fieldValueAndReason() {
    assertSpec("model.width", "0", "must be an integer >= 1", () -> ModelSpec.du(0));
    assertSpec("model.depth", "2", "arch two_layer has exactly one hidden layer, use depth 1 or arch deep",
        () -> ModelSpec.of(Arch.TWO_LAYER, Parameterization.DU, Activation.RELU, 8, 2));
    assertSpec("model.parameterization", "du", "needs arch two_layer (Du et al. analyze one hidden layer)",
        () -> ModelSpec.of(Arch.DEEP, Parameterization.DU, Activation.RELU, 8, 2));
    assertSpec("train.lr", "NaN", "must be a finite number > 0",
        () -> TrainSpec.gd(Double.NaN, Loss.MSE, 10, TargetLoss.relative(1e-3)));
    assertSpec("train.divergence_factor", "1.0", "must be > 1", () -> new TrainSpec(
        Optimizer.GD, 0.1, 0, Loss.MSE, 10, TargetLoss.relative(1e-3), 1.0));
    assertSpec("record.curve_points", "1", "must be an integer >= 2", () -> new RecordSpec(1, true, 10));
    assertSpec("data.labels", "digit", "needs data.source digits", () -> DataSpec.sphere(10, 5, LabelKind.DIGIT));
    assertSpec("data.n + data.n_test", "1900", "the digits data set has 1797 images",
        () -> new DataSpec(DataSource.DIGITS, 1500, 64, LabelKind.DIGIT_PARITY, false, 0, 400, InputMap.NONE));
    assertSpec("train.loss", "logistic", "needs labels +-1 (data.labels sign, teacher_sign or digit_parity, or"
        + " data.task binary), not gaussian", () -> new RunSpec(DataSpec.sphere(5, 3, LabelKind.GAUSSIAN),
            ModelSpec.du(4), TrainSpec.gd(0.1, Loss.LOGISTIC, 10, TargetLoss.relative(1e-3)), RecordSpec.defaults(),
            0));
    assertSpec("data.d", "9", "must be a multiple of model.channels = 2 (a cnn reads d / channels positions of"
        + " channels values each)", () -> new RunSpec(DataSpec.sphere(5, 9, LabelKind.GAUSSIAN),
            ModelSpec.of(Arch.CNN, Parameterization.ZOU, Activation.RELU, 4, 1).withPatch(3, 2),
            TrainSpec.gd(0.1, Loss.MSE, 10, TargetLoss.relative(1e-3)), RecordSpec.defaults(), 0));
    TrainSpec single = TrainSpec.gd(0.1, Loss.MSE, 10, TargetLoss.relative(1e-3)).withPrecision(Precision.F32);
    assertSpec("train.precision", "f32", "f32 trains the fully connected nets (model.arch two_layer and deep, every"
        + " parameterization and activation), not model.arch resnet (use precision f64)",
        () -> new RunSpec(DataSpec.sphere(5, 3, LabelKind.GAUSSIAN),
            ModelSpec.of(Arch.RESNET, Parameterization.ALLEN_ZHU, Activation.RELU, 4, 1), single,
            RecordSpec.defaults(), 0));
    assertSpec("train.precision", "f32", "f32 trains no frozen-pattern surrogate (record.surrogate true): use"
        + " precision f64", () -> new RunSpec(DataSpec.sphere(5, 3, LabelKind.GAUSSIAN), ModelSpec.du(4), single,
            RecordSpec.defaults().withSurrogate(true), 0));
  }

  @Test
  void messageReadsFieldEqualsValue() {
    SpecException e = assertThrows(SpecException.class, () -> ModelSpec.du(-3));
    assertEquals("model.width = -3: must be an integer >= 1", e.getMessage());
    SpecException missing = assertThrows(SpecException.class, () -> new RunSpec(null, ModelSpec.du(4),
        TrainSpec.gd(0.1, Loss.MSE, 10, TargetLoss.relative(1e-3)), RecordSpec.defaults(), 0));
    assertEquals("data is missing: a value is required", missing.getMessage());
    assertNull(missing.value());
    SpecException text = SpecException.text("data.path", "x y.csv", "no such file");
    assertEquals("data.path = 'x y.csv': no such file", text.getMessage());
    assertEquals("x y.csv", text.value());
  }

  @Test
  void userTableErrorsNameTheColumn() {
    assertSpec("data.features", "b", "value NaN in row 2: every feature must be a finite number",
        () -> UserTable.of(List.of("a", "b"), "y", new double[] {1, 2, 3, Double.NaN}, new double[] {0, 1}, null));
  }
}
