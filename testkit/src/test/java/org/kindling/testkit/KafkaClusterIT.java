package org.kindling.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindling.core.Topic;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.kafka.TopicAdmin;

/** The foundation on one real KRaft broker: topic creation and a lossless round trip. */
class KafkaClusterIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @Test
  void shouldCreateTheFiveTopicsWithTheConfiguredSettings() throws Exception {
    new TopicAdmin(
            KAFKA.config(
                Map.of(CoreConfig.TOPICS_PARTITIONS, "3", CoreConfig.TOPICS_RETENTION, "2d")))
        .ensureTopics();
    try (Admin admin = KAFKA.admin()) {
      List<String> names = Topics.ALL.stream().map(Topic::name).toList();
      Map<String, TopicDescription> described =
          admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      assertThat(described).containsOnlyKeys(names);
      for (TopicDescription d : described.values()) {
        assertThat(d.partitions()).as(d.name()).hasSize(3);
      }
      for (Topic<?, ?> t : Topics.ALL) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, t.name());
        Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
        assertThat(c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
            .as(t.name())
            .isEqualTo(t.compacted() ? "compact" : "delete");
        assertThat(c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
        if (!t.compacted()) {
          assertThat(c.get(TopicConfig.RETENTION_MS_CONFIG).value())
              .isEqualTo(String.valueOf(Duration.ofDays(2).toMillis()));
        }
      }
    }
    // A second start-up finds the topics and changes nothing.
    new TopicAdmin(KAFKA.config()).ensureTopics();
  }

  @Test
  void shouldRaiseTheMessageSizeLimitOfATopicMadeWithTheBrokerDefault() throws Exception {
    try (Admin admin = KAFKA.admin()) {
      // as an older version, or an operator with the broker's 1 MiB default, made it
      admin
          .createTopics(
              List.of(
                  new NewTopic("legacy.raw", 1, (short) 1)
                      .configs(
                          Map.of(
                              TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588",
                              TopicConfig.RETENTION_MS_CONFIG, "3600000"))))
          .all()
          .get(30, TimeUnit.SECONDS);
      TopicAdmin topics = new TopicAdmin(KAFKA.config());
      topics.ensure(List.of(topics.newTopic("legacy.raw", false)));
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "legacy.raw");
      Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
      assertThat(c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value())
          .isEqualTo(String.valueOf(16L << 20)); // topics.max.message.bytes
      // the operator's other settings stay
      assertThat(c.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("3600000");
    }
  }

  @Test
  void shouldRoundTripTenThousandRecordsWithoutLossOrDuplicates() throws Exception {
    String topic = UniqueNames.of("roundtrip");
    KAFKA.createTopic(topic, 4);
    int n = 10_000;
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] v = ByteBuffer.allocate(4).putInt(i).array();
        acks.add(producer.send(new ProducerRecord<>(topic, v, v)));
      }
      for (Future<RecordMetadata> a : acks) {
        a.get(60, TimeUnit.SECONDS);
      }
    }
    List<ConsumerRecord<byte[], byte[]>> read = KAFKA.consume(topic, n, Duration.ofSeconds(60));
    Set<Integer> values = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : read) {
      values.add(ByteBuffer.wrap(r.value()).getInt());
    }
    assertThat(read).hasSize(n);
    assertThat(values).hasSize(n);
    // Nothing more arrives after the n expected records.
    assertThat(KAFKA.consumeAll(topic, Duration.ofSeconds(1))).hasSize(n);
  }
}
