package org.kindling.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.kindling.core.Attributes;
import org.kindling.core.failure.FailureRecord;

/**
 * One record on its way to a destination: an accepted document of {@code ingest.enriched} or a
 * rejected submission of {@code ingest.errors}, with where it came from (for offsets and failure
 * records).
 *
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset
 * @param key the Kafka key (the document id), or null
 * @param value the record value exactly as read: the enriched document's JSON bytes, or the encoded
 *     failure record; kept so that a failed delivery stores the original bytes
 * @param attributes the submission's attributes (Kafka headers of a document; the failure record's
 *     attributes of an error)
 * @param document the parsed document, or null for an error record or a value that is not a JSON
 *     object
 * @param failure the decoded failure record of an error, else null
 */
public record ExportRecord(
    String topic,
    int partition,
    long offset,
    byte[] key,
    byte[] value,
    Map<String, String> attributes,
    JsonNode document,
    FailureRecord failure) {

  /** Whether this is a rejected submission from ingest.errors rather than a document. */
  public boolean isError() {
    return failure != null;
  }

  /** An attribute, or null. */
  public String attribute(String name) {
    return attributes.get(name);
  }

  /**
   * The idempotency key a destination deduplicates on: the document id (from the document, else the
   * attribute, else the Kafka key); for an error record without one, its topic coordinates.
   */
  public String id() {
    if (document != null && document.path(Attributes.DOCUMENT_ID).isTextual()) {
      return document.path(Attributes.DOCUMENT_ID).asText();
    }
    String id = attributes.get(Attributes.DOCUMENT_ID);
    if (id != null && !id.isEmpty()) {
      return id;
    }
    if (key != null && key.length > 0) {
      return new String(key, StandardCharsets.UTF_8);
    }
    return topic + "-" + partition + "-" + offset;
  }

  /**
   * When the record happened: a document's submission timestamp (the document's field, else the
   * attribute), an error record's failed_at; null when absent or not a timestamp.
   */
  public Instant time() {
    if (failure != null) {
      return failure.failedAt();
    }
    String t = null;
    if (document != null && document.path(Attributes.SUBMISSION_TIMESTAMP).isTextual()) {
      t = document.path(Attributes.SUBMISSION_TIMESTAMP).asText();
    }
    if (t == null) {
      t = attributes.get(Attributes.SUBMISSION_TIMESTAMP);
    }
    if (t == null) {
      return null;
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** namespace/type/version, for logs and messages. */
  public String doctype() {
    return attributes.getOrDefault(Attributes.DOCUMENT_NAMESPACE, "?")
        + "/"
        + attributes.getOrDefault(Attributes.DOCUMENT_TYPE, "?")
        + "/"
        + attributes.getOrDefault(Attributes.DOCUMENT_VERSION, "?");
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset + " " + doctype() + " " + id();
  }
}
