package org.kindling.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.Topics;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;

/**
 * Turns a Kafka record of ingest.enriched or ingest.errors into an {@link ExportRecord}. The client
 * address attributes, which the validator's error records keep for a replay, are removed from what
 * a destination sees; the original bytes are kept untouched for a failure record.
 */
public final class ReadRecord {
  private ReadRecord() {}

  /**
   * The export record of {@code r}, or null for a value of ingest.errors that is not a failure
   * record (nothing to deliver; it stays on the topic and in the errors lake).
   */
  public static ExportRecord read(ConsumerRecord<byte[], byte[]> r) {
    if (Topics.ERRORS.name().equals(r.topic())) {
      FailureRecord f;
      try {
        f = FailureRecordSerde.decode(r.value());
      } catch (RuntimeException e) {
        return null;
      }
      return error(r.topic(), r.partition(), r.offset(), r.key(), r.value(), f);
    }
    return document(
        r.topic(),
        r.partition(),
        r.offset(),
        r.key(),
        r.value(),
        AttributeHeaders.toMap(r.headers()));
  }

  /** A document: {@code value} is the enriched JSON, {@code attributes} its headers. */
  public static ExportRecord document(
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      Map<String, String> attributes) {
    Map<String, String> a = new LinkedHashMap<>(attributes);
    a.keySet().removeAll(Attributes.CLIENT_ADDRESS);
    return new ExportRecord(
        topic, partition, offset, key, value == null ? new byte[0] : value, a, parse(value), null);
  }

  /** An error record: {@code value} is the encoded {@code failure}. */
  public static ExportRecord error(
      String topic, int partition, long offset, byte[] key, byte[] value, FailureRecord failure) {
    Map<String, String> attributes = new LinkedHashMap<>(failure.attributes());
    attributes.keySet().removeAll(Attributes.CLIENT_ADDRESS);
    FailureRecord safe =
        new FailureRecord(
            failure.payload(),
            attributes,
            failure.errorType(),
            failure.errorMessage(),
            failure.exceptionClass(),
            failure.stage(),
            failure.failedAt());
    return new ExportRecord(topic, partition, offset, key, value, attributes, null, safe);
  }

  /** The JSON object in {@code value}, or null when it is not one. */
  public static JsonNode parse(byte[] value) {
    if (value == null || value.length == 0) {
      return null;
    }
    try {
      JsonNode n = Json.mapper().readTree(value);
      return n != null && n.isObject() ? n : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
