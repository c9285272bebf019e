package org.kindling.logs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;

/**
 * Reads a topic from its beginning and keeps the records of one test run (those whose user agent
 * names the run's token), by line index: the accounting of the integration tests.
 */
final class RawRecords implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String token;

  /** Line index to the records carrying it (more than one: a copy the validator drops). */
  final Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byLine = new HashMap<>();

  int total;

  RawRecords(String bootstrap, String topic, String token) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    consumer
        .partitionsFor(topic, Duration.ofSeconds(30))
        .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    this.token = token;
  }

  /** Polls for {@code d}. */
  RawRecords poll(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    do {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        int i = AccessLines.index(AttributeHeaders.get(r.headers(), Attributes.USER_AGENT), token);
        if (i >= 0) {
          byLine.computeIfAbsent(i, k -> new ArrayList<>()).add(r);
          total++;
        }
      }
    } while (System.nanoTime() < end);
    return this;
  }

  /** Polls until every line of {@code expected} has a record, or {@code timeout}; returns this. */
  RawRecords awaitLines(Set<Integer> expected, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!byLine.keySet().containsAll(expected) && System.nanoTime() < end) {
      poll(Duration.ofMillis(200));
    }
    return this;
  }

  /** The distinct record keys (document ids). */
  Set<String> keys() {
    Set<String> keys = new HashSet<>();
    byLine
        .values()
        .forEach(l -> l.forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8))));
    return keys;
  }

  /** Lines with more than one record, and whether all copies share key and URI. */
  int copies() {
    return total - byLine.size();
  }

  /** Whether every copy of a line has the same key and uri as the first (so dedup drops it). */
  boolean copiesAreIdentical() {
    for (List<ConsumerRecord<byte[], byte[]>> l : byLine.values()) {
      ConsumerRecord<byte[], byte[]> first = l.get(0);
      for (ConsumerRecord<byte[], byte[]> r : l) {
        if (!java.util.Arrays.equals(first.key(), r.key())
            || !AttributeHeaders.get(first.headers(), Attributes.URI)
                .equals(AttributeHeaders.get(r.headers(), Attributes.URI))) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
