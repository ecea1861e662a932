package io.github.overparam.core.bench;

import io.github.overparam.core.linalg.Kernels;
import java.util.SplittableRandom;

/**
 * A full-batch GD step written straight on {@link Kernels}, in float64 or float32, with the fused
 * passes the network does not use yet (ReLU in the forward product's tiles, the ReLU mask in the
 * backpropagated delta's):
 * the ceiling for the training loop in either precision ({@code train.precision}, which the
 * training loop itself runs since 2026-11-30).
 * Same work as {@code Network} + {@code Trainer} on the reference shapes: forward, half-sum-of-squares
 * loss (summed in double) and its gradient, backward over the trained layers, update.
 *
 * <p>Two-layer (depth 0): Du et al., f = m^-1/2 relu(X W) a with a fixed. Deep: Allen-Zhu et al.,
 * fixed input layer A (d x m) and output B (m x 1), depth trained m x m layers. Every buffer is
 * allocated by the constructor.
 */
abstract class KernelGdStep implements Runnable {
  final int n;
  final int d;
  final int m;
  final int depth;
  /** Hidden layers: 1 for two-layer, depth + 1 (the fixed input layer) for deep. */
  final int hidden;
  final double lr = 1e-9;
  double loss;

  KernelGdStep(int n, int d, int m, int depth) {
    this.n = n;
    this.d = d;
    this.m = m;
    this.depth = depth;
    this.hidden = depth == 0 ? 1 : depth + 1;
  }

  static KernelGdStep of(boolean f32, int n, int d, int m, int depth) {
    return f32 ? new F32(n, d, m, depth) : new F64(n, d, m, depth);
  }

  /** Floating-point operations of one step, counted as Network.forwardFlops + backwardFlops. */
  long flops() {
    long forward = 2L * n * d * m + 2L * n * m * (long) m * (hidden - 1) + 2L * n * m;
    long size = (long) m * m;
    long backward;
    if (depth == 0) {
      backward = 2L * n * d * m + 2L * d * m + 2L * n * m;
    } else {
      backward = 2L * n * m + depth * (2L * n * size + 2L * size) + (depth - 1) * 2L * n * size;
    }
    return forward + backward;
  }

  static double[] gaussian(SplittableRandom rng, int size, double std) {
    double[] v = new double[size];
    for (int e = 0; e < size; e++) {
      // Box-Muller; the values only need to be of the right scale.
      double u = 1 - rng.nextDouble();
      v[e] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
    return v;
  }

  static final class F64 extends KernelGdStep {
    private final double[] x;
    private final double[] y;
    /** w[l]: hidden layer l, fan_in x m; w[0] is fixed for deep nets. */
    private final double[][] w;
    private final double[] out;
    private final double[][] z;
    private final double[][] h;
    private final double[][] g;
    private final double[] f;
    private final double[] r;
    private final double[] back1;
    private final double[] back2;
    private final double scale;

    F64(int n, int d, int m, int depth) {
      super(n, d, m, depth);
      SplittableRandom rng = new SplittableRandom(7);
      x = gaussian(rng, n * d, 1 / Math.sqrt(d));
      y = gaussian(rng, n, 1);
      w = new double[hidden][];
      z = new double[hidden][];
      h = new double[hidden][];
      g = new double[hidden][];
      for (int l = 0; l < hidden; l++) {
        int fanIn = l == 0 ? d : m;
        w[l] = gaussian(rng, fanIn * m, depth == 0 ? 1 : Math.sqrt(2.0 / m));
        z[l] = new double[n * m];
        h[l] = new double[n * m];
        g[l] = new double[fanIn * m];
      }
      out = gaussian(rng, m, 1);
      f = new double[n];
      r = new double[n];
      back1 = new double[n * m];
      back2 = new double[n * m];
      scale = depth == 0 ? 1 / Math.sqrt(m) : 1;
    }

    @Override
    public void run() {
      double[] in = x;
      int fanIn = d;
      for (int l = 0; l < hidden; l++) {
        Kernels.multRelu(n, m, fanIn, 1.0, in, w[l], z[l], h[l]);
        in = h[l];
        fanIn = m;
      }
      Kernels.mult(n, 1, m, scale, in, out, f);
      double sum = 0;
      for (int i = 0; i < n; i++) {
        r[i] = f[i] - y[i];
        sum += r[i] * r[i];
      }
      loss = 0.5 * sum;
      int top = hidden - 1;
      double[] delta = back1;
      Kernels.multTransBMasked(n, m, 1, scale, r, out, z[top], delta);
      int lowest = depth == 0 ? 0 : 1;
      for (int l = top; l >= lowest; l--) {
        double[] input = l == 0 ? x : h[l - 1];
        Kernels.multTransA(l == 0 ? d : m, m, n, input, delta, g[l]);
        if (l > lowest) {
          double[] next = delta == back1 ? back2 : back1;
          Kernels.multTransBMasked(n, m, m, 1, delta, w[l], z[l - 1], next);
          delta = next;
        }
      }
      for (int l = lowest; l < hidden; l++) {
        Kernels.addScaled(w[l], -lr, g[l], g[l].length);
      }
    }
  }

  static final class F32 extends KernelGdStep {
    private final float[] x;
    private final float[] y;
    private final float[][] w;
    private final float[] out;
    private final float[][] z;
    private final float[][] h;
    private final float[][] g;
    private final float[] f;
    private final float[] r;
    private final float[] back1;
    private final float[] back2;
    private final float scale;

    F32(int n, int d, int m, int depth) {
      super(n, d, m, depth);
      SplittableRandom rng = new SplittableRandom(7);
      x = Kernels.toFloat(gaussian(rng, n * d, 1 / Math.sqrt(d)));
      y = Kernels.toFloat(gaussian(rng, n, 1));
      w = new float[hidden][];
      z = new float[hidden][];
      h = new float[hidden][];
      g = new float[hidden][];
      for (int l = 0; l < hidden; l++) {
        int fanIn = l == 0 ? d : m;
        w[l] = Kernels.toFloat(gaussian(rng, fanIn * m, depth == 0 ? 1 : Math.sqrt(2.0 / m)));
        z[l] = new float[n * m];
        h[l] = new float[n * m];
        g[l] = new float[fanIn * m];
      }
      out = Kernels.toFloat(gaussian(rng, m, 1));
      f = new float[n];
      r = new float[n];
      back1 = new float[n * m];
      back2 = new float[n * m];
      scale = (float) (depth == 0 ? 1 / Math.sqrt(m) : 1);
    }

    @Override
    public void run() {
      float[] in = x;
      int fanIn = d;
      for (int l = 0; l < hidden; l++) {
        Kernels.multRelu(n, m, fanIn, 1f, in, w[l], z[l], h[l]);
        in = h[l];
        fanIn = m;
      }
      Kernels.mult(n, 1, m, scale, in, out, f);
      double sum = 0; // loss sums stay in double (issue 6)
      for (int i = 0; i < n; i++) {
        r[i] = f[i] - y[i];
        sum += (double) r[i] * r[i];
      }
      loss = 0.5 * sum;
      int top = hidden - 1;
      float[] delta = back1;
      Kernels.multTransBMasked(n, m, 1, scale, r, out, z[top], delta);
      int lowest = depth == 0 ? 0 : 1;
      for (int l = top; l >= lowest; l--) {
        float[] input = l == 0 ? x : h[l - 1];
        Kernels.multTransA(l == 0 ? d : m, m, n, input, delta, g[l]);
        if (l > lowest) {
          float[] next = delta == back1 ? back2 : back1;
          Kernels.multTransBMasked(n, m, m, 1, delta, w[l], z[l - 1], next);
          delta = next;
        }
      }
      for (int l = lowest; l < hidden; l++) {
        Kernels.addScaled(w[l], (float) -lr, g[l], g[l].length);
      }
    }
  }
}
