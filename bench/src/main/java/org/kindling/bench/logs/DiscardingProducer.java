package org.kindling.bench.logs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A producer that acknowledges every record at once and keeps nothing: it takes Kafka out of the
 * timed part of the log source benchmark, so that what is measured is the log source's own work
 * (reading, splitting, rules, ids, records, batches, checkpoints, the send thread).
 */
final class DiscardingProducer implements Producer<String, byte[]> {
  private static final RecordMetadata METADATA =
      new RecordMetadata(new TopicPartition("ingest.raw", 0), 0, 0, 0, 0, 0);

  @Override
  public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    return send(record, null);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
    if (callback != null) {
      callback.onCompletion(METADATA, null);
    }
    return CompletableFuture.completedFuture(METADATA);
  }

  @Override
  public void initTransactions() {}

  @Override
  public void beginTransaction() {}

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {}

  @Override
  public void commitTransaction() {}

  @Override
  public void abortTransaction() {}

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {}

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {}

  @Override
  public void flush() {}

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return List.of();
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return Map.of();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return Uuid.ZERO_UUID;
  }

  @Override
  public void close() {}

  @Override
  public void close(Duration timeout) {}
}
