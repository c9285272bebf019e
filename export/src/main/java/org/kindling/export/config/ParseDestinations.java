package org.kindling.export.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.kindling.core.config.ConfigException;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.KindlingConfig;

/**
 * Reads the destinations out of the configuration: the names of {@value ExportConfig#DESTINATIONS}
 * and, for each, the keys under {@code export.destination.<name>.}, every one checked against
 * {@link DestinationKeys}. Anything wrong stops start-up with one line naming the key, in the words
 * the core configuration uses ("unknown configuration key ...", "bad value ... for configuration
 * key ...").
 */
public final class ParseDestinations {
  /**
   * A destination name: it becomes part of configuration keys (so of environment variables, where
   * only letters and digits survive), of the consumer group {@code export-<name>} and of the stage
   * {@code export:<name>}.
   */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,39}");

  private ParseDestinations() {}

  /** Every configured destination, in the order of {@code export.destinations}. */
  public static List<DestinationConfig> parse(KindlingConfig config) {
    List<String> names = config.getList(ExportConfig.DESTINATIONS);
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!NAME.matcher(n).matches()) {
        throw new ConfigException(
            "bad value '"
                + String.join(",", names)
                + "' for configuration key '"
                + ExportConfig.DESTINATIONS
                + "': destination name '"
                + n
                + "' must be lower-case letters and digits starting with a letter (at most 40)");
      }
      if (!seen.add(n)) {
        throw new ConfigException(
            "bad value '"
                + String.join(",", names)
                + "' for configuration key '"
                + ExportConfig.DESTINATIONS
                + "': destination '"
                + n
                + "' is listed twice");
      }
    }
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    names.forEach(n -> byName.put(n, new LinkedHashMap<>()));
    config
        .withPrefix(ExportConfig.DESTINATION_PREFIX)
        .forEach(
            (rest, value) -> {
              int dot = rest.indexOf('.');
              String full = ExportConfig.DESTINATION_PREFIX + rest;
              if (dot <= 0 || dot == rest.length() - 1) {
                throw new ConfigException(
                    "unknown configuration key '"
                        + full
                        + "'; destination keys read export.destination.<name>.<key>");
              }
              String name = rest.substring(0, dot);
              Map<String, String> sub = byName.get(name);
              if (sub == null) {
                throw new ConfigException(
                    "configuration key '"
                        + full
                        + "' is for destination '"
                        + name
                        + "', which "
                        + ExportConfig.DESTINATIONS
                        + " does not list"
                        + (names.isEmpty() ? " (it is empty)" : " (it lists " + names + ")"));
              }
              sub.put(rest.substring(dot + 1), value);
            });
    List<DestinationConfig> out = new ArrayList<>();
    byName.forEach((name, sub) -> out.add(destination(name, sub)));
    return out;
  }

  private static DestinationConfig destination(String name, Map<String, String> raw) {
    String prefix = ExportConfig.DESTINATION_PREFIX + name + ".";
    String typeText = raw.get(DestinationKeys.TYPE);
    if (typeText == null || typeText.isBlank()) {
      throw new ConfigException(
          "configuration key '"
              + prefix
              + DestinationKeys.TYPE
              + "' has no value: destination '"
              + name
              + "' needs a type, one of "
              + String.join(", ", DestinationType.ids()));
    }
    DestinationType type = DestinationType.of(typeText.trim());
    if (type == null) {
      throw new ConfigException(
          "bad value '"
              + typeText
              + "' for configuration key '"
              + prefix
              + DestinationKeys.TYPE
              + "': must be one of "
              + String.join(", ", DestinationType.ids()));
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      DestinationKeys.Key k = DestinationKeys.find(type, e.getKey());
      if (k == null) {
        throw unknown(prefix, type, e.getKey());
      }
      if (!k.key().prefix()) {
        values.put(k.name(), parse(prefix, k.key(), e.getValue()));
      }
    }
    for (DestinationKeys.Key k : DestinationKeys.ALL) {
      if (!k.appliesTo(type) || k.key().prefix() || values.containsKey(k.name())) {
        continue;
      }
      if (k.required()) {
        throw new ConfigException(
            "configuration key '"
                + prefix
                + k.name()
                + "' has no value (required for type "
                + type
                + ")");
      }
      String def = k.defaultFor(type);
      if (def != null) {
        values.put(k.name(), parse(prefix, k.key(), def));
      }
    }
    values.put(DestinationKeys.TYPE, type.id());
    return new DestinationConfig(name, type, values, raw);
  }

  private static Object parse(String prefix, ConfigKey k, String text) {
    Object v;
    try {
      v = k.type().parse(text);
    } catch (RuntimeException ex) {
      throw new ConfigException(
          "bad value '"
              + text
              + "' for configuration key '"
              + prefix
              + k.name()
              + "': "
              + (ex.getMessage() == null ? "expected " + k.type().label() : ex.getMessage()));
    }
    if (!k.check().test(v)) {
      throw new ConfigException(
          "bad value '"
              + text
              + "' for configuration key '"
              + prefix
              + k.name()
              + "': must be "
              + k.checkDescription());
    }
    return v;
  }

  private static ConfigException unknown(String prefix, DestinationType type, String key) {
    for (DestinationType other : DestinationType.values()) {
      if (other != type && DestinationKeys.find(other, key) != null) {
        return new ConfigException(
            "unknown configuration key '"
                + prefix
                + key
                + "': it is a key of "
                + other
                + " destinations, and this one's type is "
                + type);
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : DestinationKeys.names(type)) {
      int d = distance(candidate, key);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return new ConfigException(
        "unknown configuration key '"
            + prefix
            + key
            + "'"
            + (best != null && bestDistance <= 3 ? "; did you mean '" + prefix + best + "'?" : ""));
  }

  /** Levenshtein distance, for "did you mean". */
  static int distance(String a, String b) {
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
}
