package org.kindling.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Resolved configuration. Sources, later ones winning: the documented defaults, an optional
 * properties file, environment variables ({@code EDGE_PORT} sets {@code edge.port}), and explicit
 * overrides (command-line flags). An unknown key or a value that does not parse fails start-up with
 * a {@link ConfigException} that names the key.
 *
 * <p>Environment variables are only read when their name maps onto a known key, or lies in a
 * namespace that only Kindling uses ({@code EDGE_*}, {@code VALIDATOR_*}, ...), where a typo fails.
 * Variables of shared namespaces such as {@code KAFKA_HEAP_OPTS} belong to other programs and are
 * ignored.
 */
public final class KindlingConfig {
  /**
   * Namespaces that other programs also use in the environment; unknown names there are ignored.
   */
  private static final Set<String> SHARED_ENV_NAMESPACES = Set.of("kafka", "java", "s3");

  private final ConfigDefinitions definitions;
  private final Map<String, Object> values;
  private final Map<String, String> raw;

  private KindlingConfig(
      ConfigDefinitions definitions, Map<String, Object> values, Map<String, String> raw) {
    this.definitions = definitions;
    this.values = values;
    this.raw = raw;
  }

  /** Defaults only, for tests and tools. */
  public static KindlingConfig defaults(ConfigDefinitions definitions) {
    return load(definitions, null, Map.of(), Map.of());
  }

  /** Defaults plus overrides, for tests. */
  public static KindlingConfig of(ConfigDefinitions definitions, Map<String, String> overrides) {
    return load(definitions, null, Map.of(), overrides);
  }

  /**
   * Resolves the configuration.
   *
   * @param file a properties file, or null
   * @param env the environment (usually {@code System.getenv()})
   * @param overrides explicit settings, highest precedence
   */
  public static KindlingConfig load(
      ConfigDefinitions definitions,
      Path file,
      Map<String, String> env,
      Map<String, String> overrides) {
    Map<String, String> raw = new LinkedHashMap<>();
    for (ConfigKey k : definitions.keys().values()) {
      if (k.defaultValue() != null) {
        raw.put(k.name(), k.defaultValue());
      }
    }
    if (file != null) {
      Properties props = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(r);
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
      }
      for (String name : props.stringPropertyNames()) {
        requireKnown(definitions, name, "in " + file);
        raw.put(name, props.getProperty(name));
      }
    }
    Set<String> namespaces =
        definitions.keys().keySet().stream()
            .map(n -> n.substring(0, n.indexOf('.') < 0 ? n.length() : n.indexOf('.')))
            .collect(Collectors.toSet());
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = fromEnvName(e.getKey());
      if (name == null) {
        continue;
      }
      if (definitions.isKnown(name)) {
        raw.put(name, e.getValue());
      } else {
        String ns = name.substring(0, name.indexOf('.') < 0 ? name.length() : name.indexOf('.'));
        if (namespaces.contains(ns) && !SHARED_ENV_NAMESPACES.contains(ns)) {
          throw new ConfigException(
              "unknown configuration key '"
                  + name
                  + "' (from environment variable "
                  + e.getKey()
                  + ")"
                  + suggestion(definitions, name));
        }
      }
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      requireKnown(definitions, e.getKey(), "");
      raw.put(e.getKey(), e.getValue());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      ConfigKey k = definitions.key(e.getKey());
      if (k == null) {
        values.put(e.getKey(), e.getValue()); // pass-through under a prefix key
        continue;
      }
      Object v;
      try {
        v = k.type().parse(e.getValue());
      } catch (RuntimeException ex) {
        throw new ConfigException(
            "bad value '"
                + e.getValue()
                + "' for configuration key '"
                + k.name()
                + "': "
                + (ex.getMessage() == null ? "expected " + k.type().label() : ex.getMessage()));
      }
      if (!k.check().test(v)) {
        throw new ConfigException(
            "bad value '"
                + e.getValue()
                + "' for configuration key '"
                + k.name()
                + "': must be "
                + k.checkDescription());
      }
      values.put(k.name(), v);
    }
    return new KindlingConfig(definitions, values, raw);
  }

  private static void requireKnown(ConfigDefinitions defs, String name, String where) {
    if (!defs.isKnown(name)) {
      throw new ConfigException(
          "unknown configuration key '"
              + name
              + "'"
              + (where.isEmpty() ? "" : " " + where)
              + suggestion(defs, name));
    }
  }

  private static String suggestion(ConfigDefinitions defs, String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : defs.keys().keySet()) {
      int d = distance(k, name);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= 3 ? "; did you mean '" + best + "'?" : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** {@code EDGE_MAX_PAYLOAD_BYTES} to {@code edge.max.payload.bytes}; null if not of that form. */
  static String fromEnvName(String env) {
    if (!env.matches("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+")) {
      return null;
    }
    return env.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  public ConfigDefinitions definitions() {
    return definitions;
  }

  private Object value(String key) {
    if (definitions.key(key) == null) {
      throw new IllegalArgumentException("undefined configuration key: " + key);
    }
    return values.get(key);
  }

  /** Whether the key has a value (a default or a setting). */
  public boolean has(String key) {
    return value(key) != null;
  }

  public String getString(String key) {
    return (String) value(key);
  }

  public int getInt(String key) {
    return (Integer) require(key);
  }

  public long getLong(String key) {
    return (Long) require(key);
  }

  public double getDouble(String key) {
    return (Double) require(key);
  }

  public boolean getBoolean(String key) {
    return (Boolean) require(key);
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

  public Path getPath(String key) {
    String v = (String) value(key);
    return v == null ? null : Path.of(v);
  }

  private Object require(String key) {
    Object v = value(key);
    if (v == null) {
      throw new ConfigException("configuration key '" + key + "' has no value");
    }
    return v;
  }

  /** Pass-through settings under a prefix key, with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && definitions.key(k) == null) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  /** A copy with further overrides applied (and checked). */
  public KindlingConfig with(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(raw);
    merged.putAll(overrides);
    return load(definitions, null, Map.of(), merged);
  }

  /** The effective settings as text, for logging. */
  public Map<String, String> asText() {
    return new TreeMap<>(raw);
  }
}
