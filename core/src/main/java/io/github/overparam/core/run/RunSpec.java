package io.github.overparam.core.run;

import static io.github.overparam.core.Checks.notNull;
import static io.github.overparam.core.Checks.require;

import io.github.overparam.core.Names;
import io.github.overparam.core.SpecException;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.random.Seeds;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.TrainSpec;
import java.io.Serializable;

/**
 * Everything that defines one training run: immutable, validated at construction, and identified
 * by {@link #runId()}, a digest of its canonical form.
 *
 * <p>Randomness is derived from identities only: the data set from (seed, data), the initial weights
 * from (seed, data, model), the SGD batch order from (seed, data, model, train). So every width
 * and depth of one seed sees the same data, and runs that differ only in how they train (step
 * size, GD against SGD, ...) start from the same weights: paired comparisons.
 */
public record RunSpec(DataSpec data, ModelSpec model, TrainSpec train, RecordSpec record, long seed) implements
    Serializable {

  public RunSpec {
    notNull("data", data);
    notNull("model", model);
    notNull("train", train);
    notNull("record", record);
    if (train.optimizer() == Optimizer.SGD) {
      require(train.batchSize() <= data.n(), "train.batch_size", train.batchSize(),
          "must be at most data.n = " + data.n());
    }
    if (train.loss() == Loss.LOGISTIC) {
      require(data.classes() && data.outputs() == 1, "train.loss", train.loss(), "needs labels +-1"
          + " (data.labels sign, teacher_sign or digit_parity, or data.task binary), not " + labelsName(data));
    }
    if (train.loss() == Loss.CROSS_ENTROPY) {
      require(data.classes() && data.outputs() > 1, "train.loss", train.loss(), "needs"
          + " one-hot labels over several classes (data.labels digit, or data.task classes), not " + labelsName(data));
    }
    SpecException inputError = model.inputError(data.d());
    if (inputError != null) {
      throw inputError;
    }
    if (record.surrogate()) {
      require(model.activation() == Activation.RELU, "record.surrogate", true,
          "the frozen-pattern surrogate needs model.activation = relu, not "
              + Names.of(model.activation()));
    }
    if (train.precision() == Precision.F32) {
      require(Network.supportsFloat(model), "train.precision", train.precision(), "f32 trains the fully"
          + " connected nets (model.arch two_layer and deep, every parameterization and activation), not model.arch "
          + Names.of(model.arch()) + " (use precision f64)");
      require(!record.surrogate(), "train.precision", train.precision(), "f32 trains no frozen-pattern surrogate"
          + " (record.surrogate true): use precision f64");
    }
  }

  private static String labelsName(DataSpec data) {
    return data.table() == null ? Names.of(data.labels()) : "data.task " + Names.of(data.table().task());
  }

  /** The canonical text form. Never reorder or respell: run ids and seeds are derived from it. */
  public String canonical() {
    return "seed=" + seed + "|data{" + data.canonical() + "}|model{" + model.canonical() + "}|train{"
        + train.canonical() + "}|record{" + record.canonical() + "}";
  }

  /** 16 hex characters identifying this run; the same spec always gives the same id. */
  public String runId() {
    return Seeds.hexId(16, "run", canonical());
  }

  /** Seed of the initial weights. */
  public long weightSeed() {
    return Seeds.derive("weights", Long.toString(seed), data.canonical(), model.canonical());
  }

  /**
   * Seed of the SGD batch order. The precision is left out: a float32 run sees the batches of its
   * float64 twin, so the two differ in their arithmetic only.
   */
  public long batchSeed() {
    return Seeds.derive("batches", Long.toString(seed), data.canonical(), model.canonical(),
        train.withPrecision(Precision.F64).canonical());
  }
}
