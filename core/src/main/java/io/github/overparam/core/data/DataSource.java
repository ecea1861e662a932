package io.github.overparam.core.data;

/** Where the inputs come from. */
public enum DataSource {
  /** Inputs drawn uniformly from the unit sphere S^{d-1} (Du et al., Allen-Zhu et al.). */
  SPHERE,
  /**
   * The 1,797 UCI handwritten digits (8 x 8 images, d = 64), natural data for the generalization
   * claims (Kawaguchi and Huang; Zhang et al.). Train and test points are drawn without
   * replacement by a permutation derived from the seed; each image is centered by the mean image of
   * the whole set and normalized to the unit sphere, as the theory assumes.
   */
  DIGITS,
  /** A user's CSV table (with a header row), read on the driver: see {@link UserTable} and {@link TableSpec}. */
  CSV,
  /** A user's Parquet table, read on the driver: see {@link UserTable} and {@link TableSpec}. */
  PARQUET;

  /** Whether the points come from a user table ({@code csv} or {@code parquet}). */
  public boolean userTable() {
    return this == CSV || this == PARQUET;
  }
}
