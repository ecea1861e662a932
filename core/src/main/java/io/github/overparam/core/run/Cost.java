package io.github.overparam.core.run;

import java.io.Serializable;

/**
 * What a run cost.
 *
 * @param paramCount all weights
 * @param trainedParamCount weights that training changes
 * @param flops floating-point operations of forward, backward and updates (with the surrogate's)
 * @param wallMicros wall-clock time of the run in microseconds (not deterministic)
 */
public record Cost(long paramCount, long trainedParamCount, long flops, long wallMicros) implements Serializable {
  /** The wall-clock time in whole milliseconds (rounded down). */
  public long wallMs() {
    return wallMicros / 1_000L;
  }
}
