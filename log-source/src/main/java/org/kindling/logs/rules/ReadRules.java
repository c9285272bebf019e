package org.kindling.logs.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.kindling.core.SubmitUri;
import org.kindling.core.config.ConfigException;
import org.kindling.core.config.KindlingConfig;
import org.kindling.logs.LogSourceConfig;
import org.kindling.logs.parse.ParseRegexLog;

/**
 * Builds the rules from {@code logs.rules} and the {@code logs.rule.NAME.*} settings, checking
 * every setting at start-up: an unknown rule or setting, a bad doctype, status or expression stops
 * start-up with a message that names the key.
 */
public final class ReadRules {
  /** The built-in rule's name. */
  public static final String DOWNLOAD = "download";

  /** The settings a rule has. */
  public static final List<String> SETTINGS =
      List.of("doctype", "methods", "status", "path", "set");

  /**
   * The built-in rule's path: a download of a product build, as the Glow map counts them (seed
   * 000). The version must start with a digit, so pages such as {@code /firefox/new/} are not
   * downloads.
   */
  public static final String DOWNLOAD_PATH =
      "/(?<product>[a-z][a-z0-9-]{0,31})/(?<version>[0-9][0-9a-z.]*)/(?<os>[a-z0-9-]+)"
          + "/(?<locale>[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})?)/[^/]+";

  /**
   * The built-in rule's settings ({@link #DOWNLOAD_PATH} is matched by {@link MatchDownloadPath}).
   */
  public static final Map<String, String> DOWNLOAD_DEFAULTS =
      Map.of(
          "doctype", "glow/download/1",
          "methods", "GET",
          "status", "200,206,302",
          "path", DOWNLOAD_PATH,
          "set", "");

  private static final Pattern CONSTANT_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,63}");
  private static final String ANY_UUID = "00000000-0000-0000-0000-000000000000";

  private ReadRules() {}

  /** The configured rules, in order. */
  public static List<Rule> from(KindlingConfig config) {
    Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    config
        .withPrefix(LogSourceConfig.RULE_PREFIX)
        .forEach(
            (key, value) -> {
              int dot = key.lastIndexOf('.');
              String name = dot < 0 ? "" : key.substring(0, dot);
              String setting = key.substring(dot + 1);
              if (name.isEmpty() || !SETTINGS.contains(setting)) {
                throw new ConfigException(
                    "unknown rule setting '"
                        + LogSourceConfig.RULE_PREFIX
                        + key
                        + "': expected "
                        + LogSourceConfig.RULE_PREFIX
                        + "NAME.{"
                        + String.join(",", SETTINGS)
                        + "}");
              }
              settings.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(setting, value);
            });
    List<String> names = config.getList(LogSourceConfig.RULES);
    for (String name : settings.keySet()) {
      if (!names.contains(name)) {
        throw new ConfigException(
            "rule '"
                + name
                + "' has settings ("
                + LogSourceConfig.RULE_PREFIX
                + name
                + ".*) but is not in "
                + LogSourceConfig.RULES);
      }
    }
    List<Rule> rules = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new ConfigException(
            "rule '" + name + "' is listed twice in " + LogSourceConfig.RULES);
      }
      Map<String, String> s = new LinkedHashMap<>();
      if (name.equals(DOWNLOAD)) {
        s.putAll(DOWNLOAD_DEFAULTS);
      }
      s.putAll(settings.getOrDefault(name, Map.of()));
      rules.add(build(name, s));
    }
    return rules;
  }

  /** One rule from its settings; the keys in messages are {@code logs.rule.NAME.*}. */
  public static Rule build(String name, Map<String, String> s) {
    String key = LogSourceConfig.RULE_PREFIX + name + ".";
    String doctype = require(s, key, "doctype");
    String[] d = doctype.trim().split("/", -1);
    if (d.length != 3) {
      throw new ConfigException(
          "bad value '" + doctype + "' for '" + key + "doctype': expected namespace/type/version");
    }
    try {
      SubmitUri.generic(d[0], d[1], d[2], ANY_UUID);
    } catch (SubmitUri.InvalidException e) {
      throw new ConfigException(
          "bad value '" + doctype + "' for '" + key + "doctype': " + e.getMessage());
    }
    Set<String> methods = new LinkedHashSet<>();
    for (String m : list(s.getOrDefault("methods", "GET"))) {
      methods.add(m.toUpperCase(Locale.ROOT));
    }
    Set<Integer> statuses = new LinkedHashSet<>();
    for (String st : list(s.getOrDefault("status", "200,206,302"))) {
      int v;
      try {
        v = Integer.parseInt(st);
      } catch (NumberFormatException e) {
        v = -1;
      }
      if (v < 100 || v > 599) {
        throw new ConfigException(
            "bad value '" + st + "' for '" + key + "status': expected HTTP statuses 100-599");
      }
      statuses.add(v);
    }
    if (methods.isEmpty() || statuses.isEmpty()) {
      throw new ConfigException(key + "methods and " + key + "status must not be empty");
    }
    String regex = require(s, key, "path");
    Pattern path;
    try {
      path = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(
          "bad value for '" + key + "path': not a regular expression: " + e.getDescription());
    }
    List<String> groups = ParseRegexLog.groupNames(regex);
    Map<String, String> constants = new LinkedHashMap<>();
    for (String kv : list(s.getOrDefault("set", ""))) {
      int eq = kv.indexOf('=');
      String field = eq < 0 ? kv : kv.substring(0, eq).trim();
      if (eq < 0 || !CONSTANT_NAME.matcher(field).matches()) {
        throw new ConfigException(
            "bad value '" + kv + "' for '" + key + "set': expected field=value,...");
      }
      if (groups.contains(field)) {
        throw new ConfigException(
            "field '" + field + "' of '" + key + "set' is also a group of " + key + "path");
      }
      constants.put(field, kv.substring(eq + 1).trim());
    }
    if (groups.isEmpty() && constants.isEmpty()) {
      throw new ConfigException(
          "rule '"
              + name
              + "' makes empty documents: give "
              + key
              + "path named groups or "
              + key
              + "set fields");
    }
    return new Rule(
        name, d[0], d[1], d[2], Set.copyOf(methods), Set.copyOf(statuses), path, groups, constants);
  }

  private static String require(Map<String, String> s, String key, String setting) {
    String v = s.get(setting);
    if (v == null || v.isBlank()) {
      throw new ConfigException("configuration key '" + key + setting + "' has no value");
    }
    return v;
  }

  private static List<String> list(String v) {
    List<String> out = new ArrayList<>();
    for (String p : v.split(",")) {
      if (!p.isBlank()) {
        out.add(p.trim());
      }
    }
    return out;
  }
}
