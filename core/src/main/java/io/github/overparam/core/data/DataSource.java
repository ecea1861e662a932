package io.github.overparam.core.data;

/** Where the inputs come from. */
public enum DataSource {
  /** Inputs drawn uniformly from the unit sphere S^{d-1} (Du et al., Allen-Zhu et al.). */
  SPHERE
}
