package org.kindling.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Topics;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.TopicAdmin;

class EmbeddedKafkaIT {
  @TempDir Path dir;

  @Test
  void shouldKeepRecordsAcrossRestart() throws Exception {
    Path data = dir.resolve("kafka");
    List<String> sent = new ArrayList<>();
    try (EmbeddedKafka kafka = new EmbeddedKafka(data, 0).start()) {
      KindlingConfig config = config(kafka);
      new TopicAdmin(config).ensureTopics();
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(KafkaDefaults.producer(config, "it"))) {
        for (int i = 0; i < 100; i++) {
          String v = "record-" + i;
          sent.add(v);
          producer
              .send(new ProducerRecord<>(Topics.RAW.name(), v.getBytes(StandardCharsets.UTF_8)))
              .get();
        }
      }
    }
    try (EmbeddedKafka kafka = new EmbeddedKafka(data, 0).start()) {
      KindlingConfig config = config(kafka);
      new TopicAdmin(config).ensureTopics();
      Properties props = KafkaDefaults.consumer(config, "it-reader", "it");
      List<String> read = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
        consumer.subscribe(List.of(Topics.RAW.name()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (read.size() < sent.size() && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            read.add(new String(r.value(), StandardCharsets.UTF_8));
          }
        }
      }
      assertThat(read).containsExactlyInAnyOrderElementsOf(sent);
    }
  }

  private static KindlingConfig config(EmbeddedKafka kafka) {
    return KindlingConfig.of(
        ConfigDefinitions.discover(),
        Map.of(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers()));
  }
}
