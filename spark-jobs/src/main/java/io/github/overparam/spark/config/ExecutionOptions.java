package io.github.overparam.spark.config;

/**
 * How a sweep is executed; does not change any run or its result.
 *
 * @param waveSize {@code execution.wave_size}: runs per committed wave, or null to choose from the
 *     cluster's parallelism
 * @param partitions {@code execution.partitions}: Spark tasks per wave, or null to choose from the
 *     cluster's parallelism
 */
public record ExecutionOptions(Integer waveSize, Integer partitions) {
  public ExecutionOptions {
    if (waveSize != null && waveSize < 1) {
      throw new IllegalArgumentException("execution.wave_size = " + waveSize + ": must be an integer >= 1");
    }
    if (partitions != null && partitions < 1) {
      throw new IllegalArgumentException("execution.partitions = " + partitions + ": must be an integer >= 1");
    }
  }

  /** Both chosen automatically. */
  public static ExecutionOptions auto() {
    return new ExecutionOptions(null, null);
  }
}
