package io.github.overparam.core.linalg;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** HotSpot's flags as this JVM runs with them, read once by the classes that tune to them. */
final class VmOptions {
  private VmOptions() {}

  /** The integer flag {@code name} (e.g. "UseAVX"), or {@code fallback} where it cannot be read. */
  static int intOption(String name, int fallback) {
    try {
      var bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return Integer.parseInt(bean.getVMOption(name).getValue());
    } catch (RuntimeException | LinkageError e) {
      return fallback;
    }
  }
}
