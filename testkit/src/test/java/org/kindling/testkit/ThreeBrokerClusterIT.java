package org.kindling.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindling.core.Topics;

/**
 * Three brokers, replication 3, min.insync.replicas 2: acks=all writes keep succeeding with one
 * broker down, and every acknowledged record is served after it returns.
 */
class ThreeBrokerClusterIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(3);

  @Test
  void shouldKeepAcceptingWritesWithOneBrokerStopped() throws Exception {
    KAFKA.ensureTopics();
    String topic = Topics.RAW.name();
    try (Admin admin = KAFKA.admin()) {
      TopicDescription d =
          admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      assertThat(d.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
    }
    int perPhase = 2_000;
    List<Integer> acked = new ArrayList<>();
    int stopped = KAFKA.brokerIds().iterator().next();
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      acked.addAll(sendAll(producer, topic, 0, perPhase));
      KAFKA.stopBroker(stopped);
      acked.addAll(sendAll(producer, topic, perPhase, perPhase));
      KAFKA.startBroker(stopped);
      acked.addAll(sendAll(producer, topic, 2 * perPhase, perPhase));
    }
    assertThat(acked).hasSize(3 * perPhase);
    List<ConsumerRecord<byte[], byte[]>> read =
        KAFKA.consume(topic, acked.size(), Duration.ofSeconds(90));
    Set<Integer> values = new HashSet<>();
    read.forEach(r -> values.add(ByteBuffer.wrap(r.value()).getInt()));
    assertThat(values).containsExactlyInAnyOrderElementsOf(acked);
    assertThat(read).hasSize(acked.size());
  }

  private static List<Integer> sendAll(
      KafkaProducer<byte[], byte[]> producer, String topic, int from, int n) throws Exception {
    List<Future<RecordMetadata>> futures = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      byte[] v = ByteBuffer.allocate(4).putInt(i).array();
      futures.add(producer.send(new ProducerRecord<>(topic, v)));
    }
    List<Integer> acked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.get(i).get(120, TimeUnit.SECONDS);
      acked.add(from + i);
    }
    return acked;
  }
}
