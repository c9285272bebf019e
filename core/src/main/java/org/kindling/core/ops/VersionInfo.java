package org.kindling.core.ops;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Version, commit and build time, from {@code kindling-version.properties} filtered by the build.
 *
 * @param version the project version
 * @param commit the source commit, or "unknown"
 * @param buildTime when the build ran (UTC)
 */
public record VersionInfo(String version, String commit, String buildTime) {

  /** The version of the running build. */
  public static VersionInfo current() {
    Properties p = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream("/kindling-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException ignored) {
      // fall through to "unknown"
    }
    return new VersionInfo(
        p.getProperty("version", "unknown"),
        p.getProperty("commit", "unknown"),
        p.getProperty("build.time", "unknown"));
  }

  /** As the JSON served by {@code /__version__}. */
  public String toJson() {
    return "{\"name\":\"kindling\",\"version\":\""
        + version
        + "\",\"commit\":\""
        + commit
        + "\",\"build_time\":\""
        + buildTime
        + "\"}";
  }
}
