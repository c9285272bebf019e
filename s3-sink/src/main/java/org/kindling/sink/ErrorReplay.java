package org.kindling.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Topics;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.core.kafka.KafkaDefaults;

/**
 * {@code kindling replay}: publishes failed submissions again to {@code ingest.raw}, with their
 * original bytes and attributes, so they go through the pipeline once more (after a schema or code
 * fix).
 *
 * <p>It reads the {@code ingest.errors} topic, not the errors lake: the topic keeps every attribute
 * (the lake drops client addresses, which the geo-enricher needs on a replay) and the exact payload
 * bytes, and needs no S3 credentials. The window is therefore the topic's retention ({@code
 * topics.retention}, 7 days by default). It reads every partition from the beginning up to the end
 * offsets at start, without a consumer group, and selects records by {@code error_type} and {@code
 * failed_at} in [since, until).
 */
public final class ErrorReplay {
  /** What a replay did. */
  public record Result(long scanned, long matched, long published) {}

  private ErrorReplay() {}

  /**
   * @param errorType only this error_type; null for all
   */
  public static Result replay(
      KindlingConfig config, String errorType, Instant since, Instant until) {
    long scanned = 0;
    long matched = 0;
    long published = 0;
    var consumerProps = KafkaDefaults.consumer(config, "kindling-replay", "kindling-replay");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps);
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(KafkaDefaults.producer(config, "kindling-replay"))) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(Topics.ERRORS.name())) {
        parts.add(new TopicPartition(p.topic(), p.partition()));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      while (!done(consumer, parts, end)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
            continue;
          }
          scanned++;
          FailureRecord f;
          try {
            f = FailureRecordSerde.decode(r.value());
          } catch (RuntimeException e) {
            continue; // not a failure record: nothing to replay
          }
          if ((errorType != null && !errorType.equals(f.errorType()))
              || f.failedAt().isBefore(since)
              || !f.failedAt().isBefore(until)) {
            continue;
          }
          matched++;
          Headers headers = AttributeHeaders.fromMap(f.attributes());
          sent.add(
              producer.send(
                  new ProducerRecord<>(Topics.RAW.name(), null, r.key(), f.payload(), headers)));
        }
      }
      producer.flush();
      for (Future<RecordMetadata> s : sent) {
        try {
          s.get();
          published++;
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "replay stopped: cannot publish to " + Topics.RAW.name(), e.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    }
    return new Result(scanned, matched, published);
  }

  private static boolean done(
      KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts, Map<TopicPartition, Long> end) {
    for (TopicPartition tp : parts) {
      if (c.position(tp) < end.get(tp)) {
        return false;
      }
    }
    return true;
  }
}
