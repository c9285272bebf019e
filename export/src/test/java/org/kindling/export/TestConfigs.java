package org.kindling.export;

import java.util.LinkedHashMap;
import java.util.Map;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.KindlingConfig;
import org.kindling.export.config.DestinationConfig;
import org.kindling.export.config.ParseDestinations;

/** One destination's configuration from key/value pairs relative to it, for tests. */
public final class TestConfigs {
  private TestConfigs() {}

  /** Destination {@code name} of {@code type} with {@code kv} (keys relative to it). */
  public static DestinationConfig destination(String name, String type, String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("export.destinations", name);
    m.put("export.destination." + name + ".type", type);
    for (int i = 0; i < kv.length; i += 2) {
      m.put("export.destination." + name + "." + kv[i], kv[i + 1]);
    }
    return ParseDestinations.parse(KindlingConfig.of(ConfigDefinitions.discover(), m)).get(0);
  }
}
