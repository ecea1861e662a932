package io.github.overparam.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Synthetic data: geometry, labels, determinism, nesting in n and the statistics. */
class DataTest {

  @Test
  void inputsLieOnTheUnitSphereAndAreUniform() {
    Dataset ds = Datasets.generate(DataSpec.sphere(4000, 3, LabelKind.GAUSSIAN), 7);
    double[] mean = new double[3];
    for (int i = 0; i < ds.n(); i++) {
      double norm2 = 0;
      for (int j = 0; j < 3; j++) {
        double v = ds.xTrain().get(i, j);
        norm2 += v * v;
        mean[j] += v / ds.n();
      }
      assertEquals(1.0, norm2, 1e-12);
    }
    // Uniform on S^2: each coordinate has mean 0 and variance 1/3; the sample mean's standard error
    // is sqrt(1/3 / 4000) = 0.009, so 0.05 is over five standard errors.
    for (double m : mean) {
      assertEquals(0.0, m, 0.05);
    }
  }

  @Test
  void allenZhuMapFixesLastCoordinate() {
    Dataset ds = Datasets.generate(DataSpec.sphere(50, 6, LabelKind.GAUSSIAN).withInputMap(InputMap.ALLEN_ZHU), 1);
    for (int i = 0; i < ds.n(); i++) {
      double norm2 = 0;
      for (int j = 0; j < 6; j++) {
        norm2 += ds.xTrain().get(i, j) * ds.xTrain().get(i, j);
      }
      assertEquals(1.0, norm2, 1e-12);
      assertEquals(1 / Math.sqrt(2), ds.xTrain().get(i, 5), 1e-15);
    }
  }

  @Test
  void sameSeedSameDataAndDataNestInN() {
    DataSpec small = DataSpec.sphere(20, 5, LabelKind.GAUSSIAN);
    Dataset a = Datasets.generate(small, 3);
    Dataset b = Datasets.generate(small, 3);
    assertArrayEquals(a.xTrain().data, b.xTrain().data);
    assertArrayEquals(a.yTrain().data, b.yTrain().data);
    Dataset big = Datasets.generate(small.withN(40).withTest(10), 3);
    assertArrayEquals(a.xTrain().data, Arrays.copyOf(big.xTrain().data, 20 * 5));
    assertArrayEquals(a.yTrain().data, Arrays.copyOf(big.yTrain().data, 20));
    assertEquals(10, big.xTest().numRows);
    Dataset other = Datasets.generate(small, 4);
    assertNotEquals(a.xTrain().get(0, 0), other.xTrain().get(0, 0));
    assertNotEquals(a.id(), other.id());
    assertNotEquals(a.id(), big.id());
  }

  @Test
  void labelKinds() {
    Dataset sign = Datasets.generate(DataSpec.sphere(200, 4, LabelKind.SIGN), 1);
    int plus = 0;
    for (double y : sign.yTrain().data) {
      assertTrue(y == 1.0 || y == -1.0);
      plus += y > 0 ? 1 : 0;
    }
    assertTrue(plus > 70 && plus < 130, "about half +1: " + plus);

    Dataset teacher = Datasets.generate(DataSpec.teacher(100, 4, 8, false), 1);
    Dataset teacherSign = Datasets.generate(DataSpec.teacher(100, 4, 8, true), 1);
    for (int i = 0; i < 100; i++) {
      double t = teacherSign.yTrain().get(i, 0);
      assertTrue(t == 1.0 || t == -1.0);
    }
    // A deterministic function of x: equal inputs give equal labels.
    Dataset again = Datasets.generate(DataSpec.teacher(100, 4, 8, false), 1);
    assertArrayEquals(teacher.yTrain().data, again.yTrain().data);
    assertTrue(Arrays.stream(teacher.yTrain().data).distinct().count() > 90);
  }

  @Test
  void randomLabelsPermuteTheTrueLabels() {
    DataSpec spec = DataSpec.teacher(60, 4, 8, false);
    double[] truth = Datasets.generate(spec, 2).yTrain().data.clone();
    double[] random = Datasets.generate(spec.withRandomLabels(true), 2).yTrain().data.clone();
    assertNotEquals(Arrays.toString(truth), Arrays.toString(random));
    Arrays.sort(truth);
    Arrays.sort(random);
    assertArrayEquals(truth, random, "same multiset of labels");
  }

  @Test
  void statisticsMatchBruteForce() {
    DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}, {0.6, 0.8}, {-1, 0}});
    DMatrixRMaj y = new DMatrixRMaj(new double[][] {{1}, {1}, {-1}, {-1}});
    DatasetStats s = DatasetStats.of(x, y);
    // Closest pair: (0,1) and (0.6,0.8): sqrt(0.36 + 0.04).
    assertEquals(Math.sqrt(0.4), s.delta(), 1e-15);
    // Differently labeled: (0,1)-(0.6,0.8) again.
    assertEquals(Math.sqrt(0.4), s.phi(), 1e-15);
    assertEquals(1.0, s.maxAbsCos(), 1e-15); // x_0 = -x_3
    DMatrixRMaj ySame = new DMatrixRMaj(new double[][] {{1}, {1}, {1}, {1}});
    assertTrue(Double.isNaN(DatasetStats.of(x, ySame).phi()));
  }

  /**
   * On sphere data of several sizes (odd n, so that the vector loop leaves a tail; d = 1 to 100), the
   * statistics have the bits of the plain pairwise loop they replaced.
   */
  @Test
  void statisticsHaveThePlainLoopsBits() {
    int[][] shapes = {{1, 3}, {2, 1}, {3, 10}, {17, 10}, {129, 3}, {301, 100}};
    for (int[] shape : shapes) {
      Dataset data = Datasets.generate(DataSpec.sphere(shape[0], shape[1], LabelKind.SIGN), 11);
      DMatrixRMaj x = data.xTrain();
      DMatrixRMaj y = data.yTrain();
      int n = x.numRows;
      int d = x.numCols;
      double minDist2 = Double.POSITIVE_INFINITY;
      double minPhi2 = Double.POSITIVE_INFINITY;
      double maxCos = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          double dot = 0;
          double dist2 = 0;
          double ni = 0;
          double nj = 0;
          for (int k = 0; k < d; k++) {
            double u = x.get(i, k);
            double v = x.get(j, k);
            dot += u * v;
            double diff = u - v;
            dist2 += diff * diff;
            ni += u * u;
            nj += v * v;
          }
          minDist2 = Math.min(minDist2, dist2);
          if (y.get(i, 0) != y.get(j, 0)) {
            minPhi2 = Math.min(minPhi2, dist2);
          }
          maxCos = Math.max(maxCos, Math.abs(dot) / Math.sqrt(ni * nj));
        }
      }
      DatasetStats s = DatasetStats.of(x, y);
      String at = "n = " + n + ", d = " + d;
      if (n < 2) {
        assertTrue(Double.isNaN(s.delta()), at);
        continue;
      }
      assertEquals(Math.sqrt(minDist2), s.delta(), 0.0, "delta, " + at);
      assertEquals(Double.isInfinite(minPhi2) ? Double.NaN : Math.sqrt(minPhi2), s.phi(), 0.0, "phi, " + at);
      assertEquals(maxCos, s.maxAbsCos(), 0.0, "max |cos|, " + at);
    }
  }
}
