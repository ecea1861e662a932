package io.github.overparam.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The shipped UCI digits: loading, splits, validation, and true against random labels. */
class DigitsTest {

  static DataSpec digits(int n, int nTest, boolean random) {
    return new DataSpec(DataSource.DIGITS, n, 64, LabelKind.DIGIT_PARITY, random, 0, nTest, InputMap.NONE);
  }

  @Test
  void loadsSplitsAndNests() {
    Dataset all = Datasets.generate(digits(1000, 797, false), 4);
    assertEquals(1000, all.n());
    assertEquals(64, all.d());
    assertEquals(797, all.xTest().numRows);
    int even = 0;
    for (int i = 0; i < all.n(); i++) {
      double norm2 = 0;
      for (int j = 0; j < 64; j++) {
        norm2 += all.xTrain().get(i, j) * all.xTrain().get(i, j);
      }
      assertEquals(1.0, norm2, 1e-12);
      even += all.yTrain().get(i, 0) > 0 ? 1 : 0;
    }
    // 0, 2, 4, 6, 8 make up 50.3% of the 1,797 digits.
    assertTrue(even > 440 && even < 570, "even digits in 1000: " + even);
    // First n images of the seed's permutation: data sets nest in n; the test set does not move.
    Dataset small = Datasets.generate(digits(100, 797, false), 4);
    assertArrayEquals(small.xTrain().data, Arrays.copyOf(all.xTrain().data, 100 * 64));
    assertArrayEquals(small.xTest().data, all.xTest().data);
    Dataset other = Datasets.generate(digits(100, 0, false), 5);
    assertTrue(!Arrays.equals(small.xTrain().data, other.xTrain().data), "another seed, another split");
  }

  @Test
  void validationNamesTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DataSpec(DataSource.DIGITS, 10, 10, LabelKind.DIGIT_PARITY, false, 0, 0, InputMap.NONE));
    assertTrue(e.getMessage().startsWith("data.d = 10"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> digits(1500, 400, false));
    assertTrue(e.getMessage().startsWith("data.n + data.n_test = 1900"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DataSpec(DataSource.DIGITS, 10, 64, LabelKind.GAUSSIAN, false, 0, 0, InputMap.NONE));
    assertTrue(e.getMessage().startsWith("data.labels = gaussian"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DataSpec.sphere(10, 5, LabelKind.DIGIT_PARITY));
    assertTrue(e.getMessage().contains("needs data.source digits"), e.getMessage());
  }

  /**
   * Zhang et al. (2017) at small scale, the contrast Kawaguchi and Huang's generalization claim
   * rests on: the same over-parameterized net fits true and randomly permuted parity labels of 300
   * digits, but only the true labels generalize (held-out accuracy well above chance against near
   * chance; 500 test digits, so chance is 0.5 +- 0.045 at two standard errors).
   */
  @Test
  void trueLabelsGeneralizeRandomLabelsDoNot() {
    ModelSpec model = ModelSpec.of(Arch.TWO_LAYER, Parameterization.STANDARD, Activation.RELU, 512, 1);
    TrainSpec train = TrainSpec.gd(2.0, Loss.LOGISTIC, 20_000, TargetLoss.absolute(0.02));
    RecordSpec record = new RecordSpec(20, false, 0);
    RunResult truth = Runs.execute(new RunSpec(digits(300, 500, false), model, train, record, 1));
    RunResult random = Runs.execute(new RunSpec(digits(300, 500, true), model, train, record, 1));
    System.out.printf("digits parity: true labels train %.3f test %.3f (%d steps); random labels train %.3f"
        + " test %.3f (%d steps)%n", truth.generalization().trainAccuracy(), truth.generalization().testAccuracy(),
        truth.outcome().steps(),
        random.generalization().trainAccuracy(), random.generalization().testAccuracy(), random.outcome().steps());
    assertEquals(Status.CONVERGED, truth.status());
    assertEquals(Status.CONVERGED, random.status());
    assertEquals(1.0, truth.generalization().trainAccuracy());
    assertEquals(1.0, random.generalization().trainAccuracy());
    assertTrue(truth.generalization().testAccuracy() > 0.85, "true labels test accuracy "
        + truth.generalization().testAccuracy());
    assertTrue(Math.abs(random.generalization().testAccuracy() - 0.5) < 0.07, "random labels test accuracy "
        + random.generalization().testAccuracy());
    assertTrue(random.outcome().steps() > truth.outcome().steps(), "random labels take longer to fit (Zhang et al.)");
  }
}
