package io.github.overparam.core.model;

/** The network's shape. Depth and width are values of {@link ModelSpec}, not architectures. */
public enum Arch {
  /** One hidden layer (Du et al.); depth must be 1. */
  TWO_LAYER,
  /** Fully connected, depth hidden m x m layers on top of the input layer (Allen-Zhu et al., Zou et al.). */
  DEEP
}
