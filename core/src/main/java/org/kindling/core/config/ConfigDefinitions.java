package org.kindling.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/** All known configuration keys, grouped by the module that defines them. */
public final class ConfigDefinitions {
  private final Map<String, ConfigKey> keys = new LinkedHashMap<>();
  private final List<ConfigKey> prefixes = new ArrayList<>();
  private final Map<String, List<ConfigKey>> byTitle = new LinkedHashMap<>();

  /** Definitions from the given modules. */
  public static ConfigDefinitions of(List<? extends ConfigModule> modules) {
    ConfigDefinitions defs = new ConfigDefinitions();
    for (ConfigModule m : modules) {
      defs.add(m);
    }
    return defs;
  }

  /** Definitions of every module on the class path (see {@link ConfigModule}). */
  public static ConfigDefinitions discover() {
    List<ConfigModule> found = new ArrayList<>();
    for (ConfigModule m : ServiceLoader.load(ConfigModule.class)) {
      if (!(m instanceof CoreConfig)) {
        found.add(m);
      }
    }
    // Class path order differs between launchers; the reference must not.
    found.sort(java.util.Comparator.comparing(ConfigModule::title));
    List<ConfigModule> modules = new ArrayList<>();
    modules.add(new CoreConfig());
    modules.addAll(found);
    return of(modules);
  }

  private void add(ConfigModule module) {
    List<ConfigKey> list = byTitle.computeIfAbsent(module.title(), t -> new ArrayList<>());
    for (ConfigKey k : module.keys()) {
      ConfigKey previous = k.prefix() ? null : keys.putIfAbsent(k.name(), k);
      if (previous != null && previous != k) {
        throw new IllegalStateException("config key defined twice: " + k.name());
      }
      if (k.prefix()) {
        prefixes.add(k);
      }
      list.add(k);
    }
  }

  /** The definition of {@code name}, or null. */
  public ConfigKey key(String name) {
    return keys.get(name);
  }

  /** The prefix key covering {@code name}, or null. */
  public ConfigKey prefixFor(String name) {
    for (ConfigKey p : prefixes) {
      if (name.startsWith(p.name()) && name.length() > p.name().length()) {
        return p;
      }
    }
    return null;
  }

  /** Whether {@code name} is a known key or lies under a known prefix. */
  public boolean isKnown(String name) {
    return keys.containsKey(name) || prefixFor(name) != null;
  }

  /** Every plain (non-prefix) key. */
  public Map<String, ConfigKey> keys() {
    return keys;
  }

  /** Keys grouped by module title, in definition order. */
  public Map<String, List<ConfigKey>> byTitle() {
    return byTitle;
  }

  /** The environment variable name of a key: dots become underscores, letters upper case. */
  public static String envName(String key) {
    String base = key.endsWith(".") ? key.substring(0, key.length() - 1) + "_*" : key;
    return base.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /** The configuration reference as a Markdown table per module (the README's reference). */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder();
    byTitle.forEach(
        (title, list) -> {
          sb.append("#### ").append(title).append("\n\n");
          sb.append("| key | env | type | default | description |\n");
          sb.append("| --- | --- | --- | --- | --- |\n");
          for (ConfigKey k : list) {
            String doc = k.doc().replace("|", "\\|").replace("\n", " ");
            if (k.checkDescription() != null) {
              doc += " (" + k.checkDescription() + ")";
            }
            sb.append("| `")
                .append(k.prefix() ? k.name() + "*" : k.name())
                .append("` | `")
                .append(envName(k.name()))
                .append("` | ")
                .append(k.type().label())
                .append(" | ")
                .append(k.defaultValue() == null ? "" : "`" + k.defaultValue() + "`")
                .append(" | ")
                .append(doc)
                .append(" |\n");
          }
          sb.append("\n");
        });
    return sb.toString();
  }
}
