package org.kindling.core.config;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * One documented configuration key.
 *
 * @param name dotted lower-case name ({@code edge.max.payload.bytes}); for a prefix key, the prefix
 *     ending in a dot ({@code kafka.producer.}) under which any sub-key is accepted and passed on
 * @param type value type
 * @param defaultValue the default in its textual form, or null when there is none
 * @param doc what the key does and why the default is what it is
 * @param check an extra check on the parsed value
 * @param checkDescription what the check requires, shown in the error message and the reference
 * @param prefix whether this is a prefix (pass-through) key
 */
public record ConfigKey(
    String name,
    ConfigType type,
    String defaultValue,
    String doc,
    Predicate<Object> check,
    String checkDescription,
    boolean prefix) {

  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(doc, "doc");
    if (!name.matches("[a-z0-9]+(\\.[a-z0-9]+)*\\.?")) {
      throw new IllegalArgumentException("config key must be dotted lower case: " + name);
    }
  }

  /** A key with a default and no extra check. */
  public static ConfigKey of(String name, ConfigType type, String defaultValue, String doc) {
    return new ConfigKey(name, type, defaultValue, doc, v -> true, null, false);
  }

  /** An integer key whose value must lie in [min, max]. */
  public static ConfigKey intRange(
      String name, String defaultValue, long min, long max, String doc) {
    return new ConfigKey(
        name,
        ConfigType.INT,
        defaultValue,
        doc,
        v -> ((Integer) v) >= min && ((Integer) v) <= max,
        "between " + min + " and " + max,
        false);
  }

  /** A string key whose value must be one of {@code allowed}. */
  public static ConfigKey oneOf(
      String name, String defaultValue, java.util.List<String> allowed, String doc) {
    return new ConfigKey(
        name,
        ConfigType.STRING,
        defaultValue,
        doc,
        allowed::contains,
        "one of " + String.join(", ", allowed),
        false);
  }

  /** A positive size or duration or number. */
  public static ConfigKey positive(String name, ConfigType type, String defaultValue, String doc) {
    return new ConfigKey(
        name,
        type,
        defaultValue,
        doc,
        v -> {
          if (v instanceof java.time.Duration d) {
            return !d.isNegative() && !d.isZero();
          }
          return !(v instanceof Number n) || n.doubleValue() > 0;
        },
        "greater than zero",
        false);
  }

  /** Any key under {@code prefix} (which ends in a dot) is accepted and passed through as text. */
  public static ConfigKey prefix(String prefix, String doc) {
    if (!prefix.endsWith(".")) {
      throw new IllegalArgumentException("prefix must end with a dot: " + prefix);
    }
    return new ConfigKey(prefix, ConfigType.STRING, null, doc, v -> true, null, true);
  }

  /** The environment variable that sets this key: {@code edge.port} is {@code EDGE_PORT}. */
  public String envName() {
    return ConfigDefinitions.envName(name);
  }
}
