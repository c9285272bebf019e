package org.kindling.geo;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;

/** The Streams settings of the geo-enricher's TopologyTestDriver tests: production's defaults. */
final class GeoTestDriver {
  private GeoTestDriver() {}

  /** {@link KafkaDefaults#streams} of the geo-enricher with its state under {@code stateDir}. */
  static Properties props(Path stateDir) {
    KindlingConfig config =
        KindlingConfig.of(
            ConfigDefinitions.discover(),
            Map.of(
                "streams.state.dir",
                stateDir.toString(),
                "kafka.bootstrap.servers",
                "unused:9092"));
    return KafkaDefaults.streams(config, GeoEnricherTopology.APPLICATION_ID);
  }
}
