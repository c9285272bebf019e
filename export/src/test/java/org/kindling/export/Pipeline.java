package org.kindling.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Topics;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.testkit.KafkaClusterExtension;

/**
 * What the integration tests share: documents written to ingest.enriched as the geo-enricher writes
 * them, an export service started on the test's broker, and the failure records read back.
 */
final class Pipeline implements AutoCloseable {
  private final KafkaClusterExtension kafka;
  private final KafkaProducer<byte[], byte[]> producer;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** A document as sent: its id, bytes and attributes. */
  record Sent(String id, byte[] value, Map<String, String> attributes, Instant at) {}

  Pipeline(KafkaClusterExtension kafka) {
    this.kafka = kafka;
    this.producer = kafka.producer();
  }

  /** Writes an enriched document of {@code namespace}/download, as the geo-enricher would. */
  Sent send(String namespace, ObjectNode doc) {
    String id = doc.path("document_id").asText();
    Instant at = Instant.parse(doc.path("submission_timestamp").asText());
    byte[] value = Documents.bytes(doc);
    Map<String, String> attributes = Documents.attributes(namespace, "download", id, at);
    producer.send(
        new ProducerRecord<>(
            Topics.ENRICHED.name(),
            null,
            id.getBytes(StandardCharsets.UTF_8),
            value,
            AttributeHeaders.fromMap(attributes)));
    return new Sent(id, value, attributes, at);
  }

  /** Writes a new enriched download of {@code namespace} submitted now. */
  Sent send(String namespace) {
    String id = UUID.randomUUID().toString();
    return send(namespace, Documents.download(id, Instant.now(), "DE", "Windows"));
  }

  /** Writes a record to ingest.errors. */
  void sendError(FailureRecord f) {
    producer.send(
        new ProducerRecord<>(Topics.ERRORS.name(), null, null, FailureRecordSerde.encode(f)));
  }

  void flush() {
    producer.flush();
  }

  /** An export service on this broker with {@code settings}, started. */
  ExportService start(Map<String, String> settings) throws Exception {
    Map<String, String> all = new HashMap<>();
    all.put("export.shutdown.timeout", "5s");
    all.putAll(settings);
    ExportService s =
        new ExportService(kafka.config(all), registry, Clock.systemUTC(), Sleeper.REAL, System.out);
    s.start();
    return s;
  }

  /** The failure records of {@code stage} on ingest.errors (read until 2 s pass without news). */
  List<ConsumerRecord<byte[], byte[]>> failures(String stage) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        kafka.consumeAll(Topics.ERRORS.name(), Duration.ofSeconds(2))) {
      if (stage.equals(FailureRecordSerde.decode(r.value()).stage())) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public void close() {
    producer.close();
  }
}
