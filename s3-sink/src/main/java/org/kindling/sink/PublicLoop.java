package org.kindling.sink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.kindling.core.kafka.ConsumerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code ingest.counts} topic into {@link PublicAggregates}. It reads every
 * partition from the beginning at each start and commits nothing: the running totals and the minute
 * cells must all be in memory to write summary.json, the compacted topic is small, and every write
 * is idempotent, so any number of sink instances can run this loop side by side.
 */
final class PublicLoop extends ConsumerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(PublicLoop.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final String topic;
  private final Supplier<PublicAggregates> aggregates;
  private final Duration summaryInterval;

  PublicLoop(
      String name,
      String topic,
      Properties consumerProps,
      Supplier<PublicAggregates> aggregates,
      Duration summaryInterval) {
    super(name, consumerProps);
    this.topic = topic;
    this.aggregates = aggregates;
    this.summaryInterval = summaryInterval;
  }

  @Override
  protected String healthyDetail() {
    return "publishing " + topic;
  }

  @Override
  protected void consume(KafkaConsumer<byte[], byte[]> c) throws Exception {
    PublicAggregates agg = aggregates.get();
    List<TopicPartition> parts = new ArrayList<>();
    for (PartitionInfo p : c.partitionsFor(topic)) {
      parts.add(new TopicPartition(topic, p.partition()));
    }
    c.assign(parts);
    c.seekToBeginning(parts);
    Map<TopicPartition, Long> end = c.endOffsets(parts);
    boolean live = false;
    long lastPublish = System.nanoTime();
    ConsumerRecords<byte[], byte[]> records;
    while (running() && (records = poll(c, POLL)) != null) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        agg.accept(text(r.key()), text(r.value()), live);
      }
      if (!live) {
        live = true;
        for (TopicPartition tp : parts) {
          live &= c.position(tp) >= end.get(tp);
        }
        if (live) {
          LOG.info("caught up with {}; publishing", topic);
          agg.publish();
          lastPublish = System.nanoTime();
        }
      } else if (System.nanoTime() - lastPublish >= summaryInterval.toNanos()) {
        agg.publish();
        lastPublish = System.nanoTime();
      }
    }
    if (live) {
      agg.publish();
    }
  }

  private static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
