package io.github.overparam.core.train;

import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.Gradients;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Workspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Trainer#train} for several narrow nets at once, trained side by side in the lanes of
 * {@link PackedDeepGd}: each net's {@link Trajectory} has the bits of the same net trained alone
 * (PackedTrainerTest), whatever it was packed with, so a sweep's results never depend on which runs
 * share a task. Full-batch GD only, with the trainer's stopping rules (target, max_steps,
 * divergence) and records (the loss curve with its flip fractions and distances, evaluated by the
 * net's own forward pass at the recorded steps); a net leaves its lane at the step it stops, and the
 * others go on.
 *
 * <p>Packing pays where a net alone fills its vectors badly ({@link #packsWidth}), and only as many at
 * a time as fill enough lanes ({@link #minPack}); the measured speed-ups are given with each.
 * Stateless; one call per task thread at a time.
 */
public final class PackedTrainer {
  private PackedTrainer() {}

  /**
   * Whether nets of {@code arch} whose widest hidden layer has {@code width} units pack on {@code n}
   * points: where a full pack trains faster than its nets alone (docs/benchmarks.md, 2026-12-02
   * 09:00, one 512-bit core). Du et al.'s two-layer nets up to 12 units but not a whole number of
   * vectors wide, where alone their fused passes fill the vectors (packed against alone: 1.8-2.9
   * times at 4-6 units, 1.33-1.48 at 11 and 12; 0.94-0.98 at 8 and 16, 0.81-0.89 at 23 and 45).
   * Deep nets up to 12 units, and up to 40 while n x width stays within {@link #DEEP_PACK_ENTRIES}
   * (1.04-1.47 times at 13-40 units on 64-2,048 points, 0.94-1.00 past it; since the strips and the
   * ReLU in registers, 1.26-1.82 at 8-32 units on 256 points).
   */
  public static boolean packsWidth(Arch arch, int width, int n) {
    if (arch == Arch.TWO_LAYER) {
      return width <= 12 && width % LANES != 0;
    }
    return width <= Math.max(12, Math.min(40, DEEP_PACK_ENTRIES / Math.max(1, n)));
  }

  /** n x width of the widest deep nets packed beyond 12 units ({@link #packsWidth}). */
  static final int DEEP_PACK_ENTRIES = 24_576;

  /** Nets per pack on this JVM. */
  public static final int LANES = PackedDeepGd.LANES;

  /**
   * Nets a pack of nets {@code width} units wide keeps training together: when fewer are left (the
   * others stopped), each goes on alone, since a pack's step costs the same however many of its lanes
   * are in use. A pack of k nets pays where k / {@link #LANES} times its speed-up s exceeds 1, so the
   * threshold is the least k above {@link #LANES} / s (docs/benchmarks.md, 2026-12-03 11:15, one
   * 512-bit core, a full pack against its nets alone, median of 3 rounds at n = 32, 128 and 256):
   * <ul>
   *   <li>deep nets of 4 units: s 2.8-3.0, 3 of 8;
   *   <li>deep nets of 5-8 units: s 1.63-1.87, 5 of 8;
   *   <li>deep nets of 9-12 units: s 1.45-1.55 at 11, 6 of 8 (5 of 8 ran 3-9% slower than alone);
   *   <li>wider deep nets: s 1.21-1.51 at 13-32 (most at or below 1.35), 7 of 8 (6 of 8 ran up to 9%
   *       slower than alone at 13 and 23 units);
   *   <li>two-layer nets of 4 units: s 2.05-2.23, 4 of 8; of 5-7 units: s 2.97-3.75, 3 of 8;
   *   <li>two-layer nets of 9-12 units: s 1.46-1.66, 6 of 8.
   * </ul>
   * The fractions of {@link #LANES} scale the same to a 256-bit core's 4 lanes (at least 2).
   */
  static int minActive(Arch arch, int width) {
    // The lanes a pack may leave empty, in eighths of LANES.
    int idle;
    if (arch == Arch.TWO_LAYER) {
      idle = width <= 4 ? 4 : width < 8 ? 5 : 2;
    } else {
      idle = width <= 4 ? 5 : width <= 8 ? 3 : width <= 12 ? 2 : 1;
    }
    return Math.max(2, LANES - idle * LANES / 8);
  }

  /**
   * The fewest nets shaped as {@code net} worth training as a pack ({@link #train}): fewer train
   * faster alone.
   */
  public static int minPack(Network net) {
    return minActive(net.spec().arch(), widest(net));
  }

  private static int widest(Network net) {
    int width = 0;
    for (int l = 0; l < net.hiddenLayers(); l++) {
      width = Math.max(width, net.shapes().fanOut(l));
    }
    return width;
  }

  /**
   * Whether {@code net} trains packed under {@code spec} and {@code options}: the vector kernels,
   * full-batch GD, a net {@link PackedDeepGd} trains of a width that packs on {@code n} points
   * ({@link #packsWidth}), and no loss log or exact step count (the surrogate's options).
   */
  public static boolean packs(Network net, int n, TrainSpec spec, TrainOptions options) {
    if (!PackedDeepGd.available() || spec.optimizer() != Optimizer.GD || options.exactSteps().isPresent()
        || options.lossLog().isPresent() || !PackedDeepGd.packs(net, spec.loss())) {
      return false;
    }
    return packsWidth(net.spec().arch(), widest(net), n);
  }

  /** One net of a pack: what {@link Trainer#train} takes. */
  public record Job(Network net, Dataset data, TrainSpec spec, TrainOptions options) {}

  /**
   * Trains every job's net in place (each must {@link #packs}; all share n, d and their layers'
   * shapes; at most {@link #LANES}) and returns their trajectories in order: packed, or each alone
   * by {@link Trainer#train} where they are fewer than {@link #minPack}. {@code nanos[k]} receives job
   * k's share of the time spent here: each stretch between two nets' stops divided evenly among the
   * nets still training (a net trained alone: its own time), so that the shares add up to the whole.
   */
  public static List<Trajectory> train(List<Job> jobs, long[] nanos) {
    int count = jobs.size();
    if (count < 1 || count > LANES || nanos.length < count) {
      throw new IllegalArgumentException("packed training: " + count + " nets (at most " + LANES + "), "
          + nanos.length + " time slots");
    }
    long start = System.nanoTime();
    Job first = jobs.get(0);
    int n = first.data().n();
    for (int k = 0; k < count; k++) {
      Job job = jobs.get(k);
      if (!packs(job.net(), n, job.spec(), job.options()) || !PackedDeepGd.sameShapes(first.net(), job.net())
          || job.data().n() != n) {
        throw new IllegalArgumentException("packed training: net " + k + " (model " + job.net().spec().canonical()
            + ", n = " + job.data().n() + ") does not pack with net 0 (model " + first.net().spec().canonical()
            + ", n = " + n + ")");
      }
    }
    Arrays.fill(nanos, 0, count, 0L);
    if (count < minPack(first.net())) {
      // Too few to fill the lanes: each alone, as Trainer trains it.
      List<Trajectory> out = new ArrayList<>(count);
      for (int k = 0; k < count; k++) {
        Job job = jobs.get(k);
        long t0 = System.nanoTime();
        out.add(Trainer.train(job.net(), job.data(), job.spec(), job.options()));
        nanos[k] = System.nanoTime() - t0;
      }
      return out;
    }
    PackedDeepGd packed = new PackedDeepGd(first.net(), n);
    Lane[] lanes = new Lane[count];
    for (int k = 0; k < count; k++) {
      Job job = jobs.get(k);
      packed.set(k, job.net(), job.data().xTrain(), job.data().yTrain(), job.spec().loss(), job.spec().lr());
      lanes[k] = new Lane(job);
    }
    int width = widest(first.net());
    int active = count;
    long segment = start;
    int step = 0;
    while (active > 0) {
      packed.evaluate();
      int stopped = 0;
      for (int k = 0; k < count; k++) {
        Lane lane = lanes[k];
        if (lane.progress.status() == null && lane.evaluate(step, packed.loss(k), packed, k)) {
          stopped++;
        }
      }
      if (stopped > 0) {
        // The stretch since the last stop, shared by the nets that trained through it.
        long now = System.nanoTime();
        long share = (now - segment) / active;
        for (int k = 0; k < count; k++) {
          if (lanes[k].progress.status() == null || lanes[k].steps == step) {
            nanos[k] += share;
          }
        }
        segment = now;
        active -= stopped;
        for (int k = 0; k < count; k++) {
          if (lanes[k].progress.status() != null && lanes[k].steps == step) {
            packed.clear(k);
          }
        }
        if (active > 0 && active < minActive(first.net().spec().arch(), width)) {
          // Too few nets left to fill the lanes: each goes on alone, from this step's evaluation.
          for (int k = 0; k < count; k++) {
            if (lanes[k].progress.status() == null) {
              long t0 = System.nanoTime();
              lanes[k].alone(step, packed, k);
              nanos[k] += System.nanoTime() - t0;
            }
          }
          active = 0;
        }
      }
      if (active == 0) {
        break;
      }
      packed.update();
      for (Lane lane : lanes) {
        if (lane.progress.status() == null) {
          lane.flops += lane.backward;
        }
      }
      step++;
    }
    List<Trajectory> out = new ArrayList<>(count);
    for (Lane lane : lanes) {
      out.add(lane.trajectory());
    }
    return out;
  }

  /** One net's trainer state, as {@link Trainer#train} keeps it for a full-batch GD run. */
  private static final class Lane {
    private final Job job;
    private final Workspace full;
    private final CurveRecorder curve;
    private final long forward;
    private final long backward;
    private final Progress progress;
    private long flops;
    private int steps;
    /** The step whose weights the net and its workspace hold (-1: none yet). */
    private int synced = -1;

    Lane(Job job) {
      this.job = job;
      int n = job.data().n();
      full = job.net().workspace(n);
      full.pinInput(job.data().xTrain());
      curve = new CurveRecorder(job.spec().maxSteps(), job.options().curvePoints());
      progress = new Progress(job.spec());
      forward = job.net().forwardFlops(n);
      backward = job.net().backwardFlops(n);
    }

    /**
     * The trainer's evaluation of {@code step} from its loss; whether the net stopped there. With
     * {@code packed} null the net holds the step's weights and its workspace their forward pass.
     */
    boolean evaluate(int step, double loss, PackedDeepGd packed, int lane) {
      Drift drift = job.options().drift();
      boolean scheduled = curve.due(step);
      flops += forward;
      if (step == 0) {
        sync(step, packed, lane);
        drift.capturePatterns(full);
      }
      boolean ended = progress.evaluate(step, loss);
      if (scheduled || ended) {
        // The net's own forward pass at these weights: the same bits as the packed one, and the
        // activation patterns and weights the drift reads.
        sync(step, packed, lane);
        curve.add(step, loss, drift.flipFraction(full), drift.maxNeuronDistance());
      }
      if (ended) {
        steps = step;
      }
      return ended;
    }

    /**
     * Trains on alone from {@code step}, evaluated in the pack and not stopped there: the trainer's
     * full-batch GD loop on the net's own passes (the same bits as its lane's).
     */
    void alone(int step, PackedDeepGd packed, int lane) {
      sync(step, packed, lane);
      Network net = job.net();
      Dataset data = job.data();
      Loss loss = job.spec().loss();
      int n = data.n();
      double weight = loss.normalizer(n, data.yTrain().numCols) * n / n;
      Gradients gradients = net.gradients();
      while (true) {
        loss.gradient(full.outputs(), data.yTrain(), weight, full.outputGradient());
        net.backward(data.xTrain(), full, gradients);
        net.step(gradients, job.spec().lr());
        flops += backward;
        step++;
        net.forward(data.xTrain(), full);
        synced = step;
        if (evaluate(step, loss.value(full.outputs(), data.yTrain()), null, lane)) {
          return;
        }
      }
    }

    /** The net's weights and its full-data forward pass at {@code step}'s weights. */
    private void sync(int step, PackedDeepGd packed, int lane) {
      if (synced != step && packed != null) {
        packed.weightsInto(lane, job.net());
        job.net().forward(job.data().xTrain(), full);
        synced = step;
      }
    }

    Trajectory trajectory() {
      return progress.trajectory(steps, curve, flops, full);
    }
  }
}
