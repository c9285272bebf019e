package org.kindling.core.kafka;

import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;

/**
 * Kafka client settings every stage starts from. Each value carries the reason for it; anything can
 * be overridden with {@code kafka.producer.*}, {@code kafka.consumer.*}, {@code kafka.streams.*}.
 */
public final class KafkaDefaults {
  private KafkaDefaults() {}

  /** Producer settings for durable, ordered, de-duplicated writes. */
  public static Properties producer(KindlingConfig config, String clientId) {
    Properties p = new Properties();
    p.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    // A submission is only answered 200 once every in-sync replica has it.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // Retries after a lost ack must not write the record twice.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // At most 5 in flight keeps ordering under idempotence while still pipelining.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    // JSON telemetry compresses 5-10x; zstd gives the best ratio for its CPU cost.
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    // 5 ms of lingering fills batches at load without adding visible latency to a 200.
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // 256 KiB batches: many small pings per request, amortising the acks=all round trip.
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // As large as the topics take (topics.max.message.bytes): the one size chain of RecordLimits.
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) RecordLimits.maxRecordBytes(config));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.putAll(config.withPrefix(CoreConfig.KAFKA_PRODUCER_PREFIX));
    return p;
  }

  /** Consumer settings for sinks that commit offsets themselves after data is durable. */
  public static Properties consumer(KindlingConfig config, String groupId, String clientId) {
    Properties p = new Properties();
    p.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    // Offsets are committed only after the data they cover is stored.
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new group starts from the beginning: nothing already in Kafka is skipped.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Only read what producers (including the Streams apps' transactions) committed.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.putAll(config.withPrefix(CoreConfig.KAFKA_CONSUMER_PREFIX));
    return p;
  }

  /** Admin client settings. */
  public static Properties admin(KindlingConfig config) {
    Properties p = new Properties();
    p.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
    p.putAll(config.withPrefix(CoreConfig.KAFKA_ADMIN_PREFIX));
    return p;
  }

  /**
   * Streams settings: exactly-once processing, failures routed to {@code ingest.errors}.
   *
   * @param applicationId the app's id, the module name ({@code validator}, {@code geo-enricher})
   */
  public static Properties streams(KindlingConfig config, String applicationId) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
    // Read-process-write in one transaction: no loss and no duplicates across restarts.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(
        StreamsConfig.STATE_DIR_CONFIG,
        config.getPath(CoreConfig.STREAMS_STATE_DIR).toAbsolutePath().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(CoreConfig.STREAMS_THREADS));
    // A warm copy of every store on another instance, where there is one: a failed-over task
    // (or the dedup store's 24 h of ids) resumes at once instead of restoring its changelog while
    // its partition waits. With a single instance no standby is placed.
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
    p.put(
        StreamsConfig.REPLICATION_FACTOR_CONFIG,
        config.getInt(CoreConfig.TOPICS_REPLICATION_FACTOR));
    // Under exactly-once, the commit interval is the transaction length: 100 ms bounds the
    // end-to-end latency a downstream read_committed reader sees.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    // A record that cannot be deserialized, processed or produced goes to ingest.errors and the
    // app continues: a poison record must never stop a stage.
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        RouteToErrorsHandler.Deserialization.class);
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        RouteToErrorsHandler.Processing.class);
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        RouteToErrorsHandler.Production.class);
    // The processing handler also covers global stores (Kindling has none today): a future global
    // table gets the same poison-record rule, and Streams stops warning at every start that it is
    // off. Kafka 4.3 deprecates the flag because a later version always turns it on, so the key is
    // spelled out rather than taken from the deprecated constant. The partition assignor reads a
    // copy of the Streams config made from the main consumer's settings, so the flag goes there too
    // (or that copy warns as well).
    String globalHandler = "processing.exception.handler.global.enabled";
    p.put(globalHandler, true);
    p.put(StreamsConfig.mainConsumerPrefix(globalHandler), true);
    p.put(RouteToErrorsHandler.STAGE_CONFIG, applicationId);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        (int) RecordLimits.maxRecordBytes(config));
    // New apps start at the beginning of their input: nothing already accepted is skipped.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.putAll(config.withPrefix(CoreConfig.KAFKA_STREAMS_PREFIX));
    return p;
  }
}
