package io.github.overparam.core;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the tests in a JVM of its own (this JVM's options and class path, no agents
 * or recordings), for what depends on the JIT's state: whether a kernel allocates once compiled is
 * a property of the code only in a JVM whose compiler has seen nothing else (JDK 17's C2 leaves some
 * Vector API calls un-intrinsified after other code has shaped the shared profiles).
 */
public final class FreshJvm {
  private FreshJvm() {}

  /** The output (stdout and stderr) of {@code main} with {@code args}; an assertion error unless it exits 0. */
  public static String run(Class<?> main, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent") && !option.startsWith("-Xrunjdwp")
          && !option.startsWith("-XX:StartFlightRecording") && !option.startsWith("-XX:+PrintCompilation")) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(main.getSimpleName() + " did not end in 5 minutes:\n" + output);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(main.getSimpleName() + " exited " + process.exitValue() + ":\n" + output);
    }
    return output;
  }
}
