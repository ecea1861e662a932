package io.github.overparam.core.run;

import java.io.Serializable;

/**
 * What a run cost.
 *
 * @param paramCount all weights
 * @param trainedParamCount weights that training changes
 * @param flops floating-point operations of forward, backward and updates (with the surrogate's)
 * @param wallMs wall-clock time of the run in milliseconds (not deterministic)
 */
public record Cost(long paramCount, long trainedParamCount, long flops, long wallMs) implements Serializable {}
