package io.github.overparam.core.model;

/** Hidden-layer nonlinearity, applied elementwise. */
public enum Activation {
  /** max(0, z); derivative 1{z > 0}. */
  RELU {
    @Override
    public double apply(double z) {
      return z > 0 ? z : 0.0;
    }

    @Override
    public double derivative(double z) {
      return z > 0 ? 1.0 : 0.0;
    }
  },
  /** log(1 + e^z), smooth (Kawaguchi and Huang); derivative the logistic sigmoid. */
  SOFTPLUS {
    @Override
    public double apply(double z) {
      // Stable for large |z|: log(1 + e^z) = max(z, 0) + log1p(e^-|z|).
      return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    @Override
    public double derivative(double z) {
      if (z >= 0) {
        return 1.0 / (1.0 + Math.exp(-z));
      }
      double e = Math.exp(z);
      return e / (1.0 + e);
    }
  };

  public abstract double apply(double z);

  public abstract double derivative(double z);
}
