package io.github.overparam.core.model;

/**
 * The floating-point format of a net's weights, activations and products (config key
 * {@code train.precision}). The loss, its output gradient and every measurement over a run (the
 * loss curve, distances, flips, the kernels and their spectra) are computed in float64 either way.
 */
public enum Precision {
  /** float64 throughout: the reference. */
  F64,
  /**
   * float32 weights, workspaces and products (the vector kernels carry twice the lanes); fully
   * connected nets only ({@code two_layer} and {@code deep}), without the frozen-pattern surrogate.
   */
  F32
}
