package io.github.overparam.spark.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** overparam's version and git commit, recorded in every manifest (from a resource filled at build time). */
public final class BuildInfo {
  private static final Properties PROPS = load();

  private BuildInfo() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/overparam-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Fall through to "unknown": provenance is recorded as unknown rather than failing a sweep.
    }
    return p;
  }

  public static String version() {
    return value("version");
  }

  public static String gitCommit() {
    return value("git.commit");
  }

  private static String value(String key) {
    String v = PROPS.getProperty(key);
    return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
  }
}
