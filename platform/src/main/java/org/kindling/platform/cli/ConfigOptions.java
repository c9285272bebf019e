package org.kindling.platform.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.ConfigException;
import org.kindling.core.config.KindlingConfig;
import picocli.CommandLine.Option;

/** Options every command that reads configuration shares: a properties file and overrides. */
public final class ConfigOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Properties file with configuration keys (see `kindling config`).")
  Path file;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "KEY=VALUE",
      description = "Set a configuration key, e.g. --set edge.port=8080 (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  /**
   * The configuration from defaults, the file, the environment and the overrides, in that order.
   */
  public KindlingConfig load(Map<String, String> commandDefaults) {
    Map<String, String> merged = new LinkedHashMap<>(commandDefaults);
    merged.putAll(overrides);
    return KindlingConfig.load(ConfigDefinitions.discover(), file, System.getenv(), merged);
  }

  /** As {@link #load(Map)} with no command-specific settings. */
  public KindlingConfig load() {
    return load(Map.of());
  }

  /** Adds one override (a command flag that maps onto a key). */
  public void set(String key, String value) {
    overrides.put(key, value);
  }

  /** Rethrows a config problem as a one-line message. */
  static String describe(ConfigException e) {
    return "configuration error: " + e.getMessage();
  }
}
