package org.rapaio.jupyter.kernel.channels;
import java.util.logging.Level;
import java.util.logging.Logger;


/**
 * Replacement for rapaio-jupyter-kernel 3.0.1's LoopThread, put before the kernel's jar on the
 * kernel JVM's class path (scripts/notebooks.sh writes the kernel.json that does so).
 *
 * <p>Why: 3.0.1's {@code start()} calls {@code super.start()} first and sets {@code running = true}
 * after it. When the new thread reaches {@code while (running)} before the starting thread has set
 * the flag, the loop ends at once: the shell, control or heartbeat channel then never polls its
 * socket, and the kernel looks alive but never answers (the start-up hang). Here the flag is set
 * before the thread starts, so the thread always sees it ({@code Thread.start} happens-before
 * everything the new thread does).
 *
 * <p>Second, an exception thrown by one pass of the loop body no longer ends the loop. The channels
 * start polling before {@code Channels.connect} has filled its handler map, so a kernel_info_request
 * that Jupyter queued before the kernel bound its sockets can be read while the map is still null
 * (a NullPointerException in the shell loop, outside the handler's try block) or empty ("Unhandled
 * message"). In 3.0.1 the exception kills the shell thread: another start-up hang. Here the one
 * message is lost, Jupyter's client sends kernel_info_request again a second later, and the kernel
 * answers it.
 *
 * <p>Same class name, constructor and methods as the original, so the kernel's channels use it
 * unchanged.
 */
public final class LoopThread extends Thread {
  private static final Logger LOGGER = Logger.getLogger("LoopThread");

  private static final int MAX_CONSECUTIVE_FAILURES = 100;

  private volatile boolean running;
  private final long sleep;
  private final Runnable loopBody;

  public LoopThread(String name, long sleep, Runnable loopBody) {
    super(name);
    this.sleep = sleep;
    this.loopBody = loopBody;
  }

  @Override
  public void run() {
    int failures = 0;
    while (running) {
      try {
        loopBody.run();
        failures = 0;
      } catch (RuntimeException e) {
        // A persistent failure (a socket closed under the loop) must not spin forever.
        if (++failures >= MAX_CONSECUTIVE_FAILURES) {
          LOGGER.log(Level.SEVERE, getName() + ": " + failures + " failures in a row; loop ends", e);
          running = false;
          return;
        }
        LOGGER.log(Level.WARNING, getName() + ": one pass of the loop failed; the loop goes on", e);
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        running = false;
        return;
      }
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    super.start();
  }

  public void shutdown() {
    running = false;
  }
}
