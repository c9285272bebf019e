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
import org.apache.kafka.common.errors.WakeupException;
import org.kindling.core.ops.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code ingest.counts} topic into {@link PublicAggregates}. It reads every
 * partition from the beginning at each start and commits nothing: the running totals and the minute
 * cells must all be in memory to write summary.json, the compacted topic is small, and every write
 * is idempotent, so any number of sink instances can run this loop side by side.
 */
final class PublicLoop implements Runnable, HealthCheck {
  private static final Logger LOG = LoggerFactory.getLogger(PublicLoop.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final String topic;
  private final Properties consumerProps;
  private final Supplier<PublicAggregates> aggregates;
  private final Duration summaryInterval;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile String failure = "starting";

  PublicLoop(
      String topic,
      Properties consumerProps,
      Supplier<PublicAggregates> aggregates,
      Duration summaryInterval) {
    this.topic = topic;
    this.consumerProps = consumerProps;
    this.aggregates = aggregates;
    this.summaryInterval = summaryInterval;
  }

  @Override
  public String name() {
    return "s3-sink-public";
  }

  @Override
  public Result check() {
    String f = failure;
    return f == null ? Result.ok("publishing " + topic) : Result.failed(f);
  }

  @Override
  public void run() {
    long backoff = 500;
    while (running) {
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps)) {
        consumer = c;
        if (!running) {
          return;
        }
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
        while (running) {
          ConsumerRecords<byte[], byte[]> records;
          try {
            records = c.poll(Duration.ofMillis(200));
          } catch (WakeupException e) {
            break;
          }
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
          failure = null;
          backoff = 500;
        }
        if (live) {
          agg.publish();
        }
        return;
      } catch (Exception e) {
        if (!running) {
          return;
        }
        failure = "public aggregates failed, restarting: " + e;
        LOG.warn("public aggregates failed; restarting in {} ms", backoff, e);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      } finally {
        consumer = null;
      }
    }
  }

  private static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  void stop() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
