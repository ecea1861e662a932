package io.github.overparam.core.model;

/**
 * Initialization, output scaling and which layers train, exactly as each paper states them
 * (DESIGN.md section 1). m is the width, d the input dimension, k the number of outputs.
 */
public enum Parameterization {
  /**
   * Du, Zhai, Poczos, Singh (ICLR 2019): f(x) = m^-1/2 sum_r a_r relu(w_r . x), w_r ~ N(0, I_d),
   * a_r ~ Unif{+1, -1}; W trained, a fixed unless train_output.
   */
  DU(false),
  /**
   * Allen-Zhu, Li, Song (ICML 2019): h_0 = relu(A x), h_l = relu(W_l h_{l-1}) for l = 1..L, y = B h_L;
   * A and W_l entries N(0, 2/m), B entries N(0, 1/k); only W_1..W_L trained.
   */
  ALLEN_ZHU(false),
  /**
   * Zou, Cao, Zhou, Gu (2020): f(x) = v^T relu(W_L ... relu(W_1 x)); W_l entries N(0, 2/m); v fixed,
   * half +1 and half -1; all W_l trained.
   */
  ZOU(false),
  /** What practitioners use: He initialization N(0, 2/fan_in), output N(0, 1/fan_in), every layer trained. */
  STANDARD(true);

  private final boolean trainOutputByDefault;

  Parameterization(boolean trainOutputByDefault) {
    this.trainOutputByDefault = trainOutputByDefault;
  }

  /** Whether the paper trains the output layer. */
  public boolean trainOutputByDefault() {
    return trainOutputByDefault;
  }
}
