package org.kindling.export.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindling.core.config.ConfigException;

/**
 * The resolved settings of one destination (defaults plus what is set under {@code
 * export.destination.<name>.}), parsed and checked by {@link ParseDestinations}. Getters take the
 * key relative to the destination ({@code batch.max.records}).
 */
public final class DestinationConfig {
  private final String name;
  private final DestinationType type;
  private final Map<String, Object> values;
  private final Map<String, String> raw;

  DestinationConfig(
      String name, DestinationType type, Map<String, Object> values, Map<String, String> raw) {
    this.name = name;
    this.type = type;
    this.values = values;
    this.raw = raw;
  }

  /** The destination's name, as listed in {@code export.destinations}. */
  public String name() {
    return name;
  }

  public DestinationType type() {
    return type;
  }

  /** Its consumer group: {@code export-<name>}. */
  public String group() {
    return "export-" + name;
  }

  /** The stage of its failure records on ingest.errors: {@code export:<name>}. */
  public String stage() {
    return "export:" + name;
  }

  /** The full configuration key of {@code key}: {@code export.destination.<name>.<key>}. */
  public String fullKey(String key) {
    return ExportConfig.DESTINATION_PREFIX + name + "." + key;
  }

  private Object value(String key) {
    DestinationKeys.Key k = DestinationKeys.find(type, key);
    if (k == null || k.key().prefix()) {
      throw new IllegalArgumentException("not a key of a " + type + " destination: " + key);
    }
    return values.get(key);
  }

  /** Whether the key has a value (a default or a setting). */
  public boolean has(String key) {
    Object v = value(key);
    return v != null && !(v instanceof String s && s.isEmpty());
  }

  public String getString(String key) {
    return (String) value(key);
  }

  public int getInt(String key) {
    return (Integer) require(key);
  }

  public Duration getDuration(String key) {
    return (Duration) require(key);
  }

  /** A size in bytes. */
  public long getSize(String key) {
    return (Long) require(key);
  }

  @SuppressWarnings("unchecked")
  public List<String> getList(String key) {
    Object v = value(key);
    return v == null ? List.of() : (List<String>) v;
  }

  /** A key that must have a value; fails start-up naming it otherwise. */
  public String require(String key, String why) {
    if (!has(key)) {
      throw new ConfigException(
          "configuration key '" + fullKey(key) + "' has no value (required " + why + ")");
    }
    return getString(key);
  }

  private Object require(String key) {
    Object v = value(key);
    if (v == null) {
      throw new ConfigException("configuration key '" + fullKey(key) + "' has no value");
    }
    return v;
  }

  /** Settings under a prefix key ({@code webhook.header.}), with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && k.length() > prefix.length()) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  /** A start-up failure for a value that parses but cannot be used. */
  public ConfigException bad(String key, String reason) {
    Object v = raw.containsKey(key) ? raw.get(key) : values.get(key);
    return new ConfigException(
        "bad value '" + v + "' for configuration key '" + fullKey(key) + "': " + reason);
  }

  @Override
  public String toString() {
    return name + " (" + type + ")";
  }
}
