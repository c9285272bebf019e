package org.kindling.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.KindlingConfig;

class EdgeServiceTest {

  private static Properties producer(Map<String, String> settings) {
    return EdgeService.producerProperties(
        KindlingConfig.of(ConfigDefinitions.discover(), settings));
  }

  /**
   * With {@code max.block.ms=0}, a producer buffer smaller than what the edge holds in flight fails
   * sends to a healthy Kafka at once (the edge then spools everything), and so does metadata
   * forgotten after idle minutes.
   */
  @Test
  void shouldSizeTheProducerFromTheEdgesOwnBounds() {
    Properties p = producer(Map.of(EdgeConfig.MAX_INFLIGHT_BYTES, "256MiB"));
    assertThat(Long.parseLong(p.get(ProducerConfig.BUFFER_MEMORY_CONFIG).toString()))
        .isGreaterThan(256L << 20);
    assertThat(Long.parseLong(p.get(ProducerConfig.METADATA_MAX_IDLE_CONFIG).toString()))
        .isGreaterThanOrEqualTo(3_600_000L);
    assertThat(p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)).isEqualTo(0);
    // an operator's own setting wins
    Properties explicit = producer(Map.of("kafka.producer.buffer.memory", "1000000"));
    assertThat(explicit.get(ProducerConfig.BUFFER_MEMORY_CONFIG)).isEqualTo("1000000");
  }
}
