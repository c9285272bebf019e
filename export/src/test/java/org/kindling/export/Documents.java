package org.kindling.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.Topics;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;

/**
 * Enriched documents and error records as the pipeline writes them (the shape of the geo-enricher's
 * AddMetadata: submission_timestamp, document_id, normalized_country_code and a metadata object;
 * attributes as headers), for tests.
 */
public final class Documents {
  private Documents() {}

  /** An enriched Glow download. */
  public static ObjectNode download(String id, Instant at, String country, String os) {
    ObjectNode d = Json.mapper().createObjectNode();
    d.put("product", "firefox");
    d.put("version", "146.0");
    d.put("os", "win64");
    d.put("locale", "de");
    d.put("channel", "release");
    d.put("submission_timestamp", at.toString());
    d.put("document_id", id);
    d.put("normalized_country_code", country);
    ObjectNode m = d.putObject("metadata");
    ObjectNode g = m.putObject("geo");
    g.put("country", country);
    g.put("continent", "EU");
    g.put("subdivision1", "BE");
    g.putNull("subdivision2");
    g.put("city", "Berlin");
    g.put("latitude", 52.5);
    g.put("longitude", 13.4);
    g.put("db_version", "2019-11-19T00:00:00Z");
    ObjectNode ua = m.putObject("user_agent");
    ua.put("browser", "Firefox");
    ua.put("version", "146");
    ua.put("os", os);
    ObjectNode h = m.putObject("header");
    h.putNull("date");
    h.putNull("dnt");
    h.putNull("x_debug_id");
    ObjectNode u = m.putObject("uri");
    u.put("document_namespace", "glow");
    u.put("document_type", "download");
    u.put("document_version", "1");
    u.putNull("app_name");
    u.putNull("app_version");
    u.put("app_update_channel", "release");
    u.putNull("app_build_id");
    return d;
  }

  /** The attributes (headers) of an enriched document of that doctype. */
  public static Map<String, String> attributes(
      String namespace, String type, String id, Instant at) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(Attributes.SUBMISSION_TIMESTAMP, at.toString());
    a.put(Attributes.URI, "/submit/" + namespace + "/" + type + "/1/" + id);
    a.put(Attributes.DOCUMENT_NAMESPACE, namespace);
    a.put(Attributes.DOCUMENT_TYPE, type);
    a.put(Attributes.DOCUMENT_VERSION, "1");
    a.put(Attributes.DOCUMENT_ID, id);
    a.put(Attributes.GEO_COUNTRY, "DE");
    return a;
  }

  public static byte[] bytes(ObjectNode doc) {
    try {
      return Json.mapper().writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A consumer record of ingest.enriched. */
  public static ConsumerRecord<byte[], byte[]> enriched(
      int partition, long offset, byte[] value, Map<String, String> attributes) {
    String id = attributes.get(Attributes.DOCUMENT_ID);
    byte[] key = id == null ? null : id.getBytes(StandardCharsets.UTF_8);
    return new ConsumerRecord<>(
        Topics.ENRICHED.name(),
        partition,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        key == null ? -1 : key.length,
        value.length,
        key,
        value,
        AttributeHeaders.fromMap(attributes),
        Optional.empty());
  }

  /** The export record of an enriched Glow download in namespace {@code ns}. */
  public static ExportRecord record(String ns, String id, Instant at, long offset) {
    ObjectNode d = download(id, at, "DE", "Windows");
    return ReadRecord.read(enriched(0, offset, bytes(d), attributes(ns, "download", id, at)));
  }

  /** A consumer record of ingest.errors holding {@code f}. */
  public static ConsumerRecord<byte[], byte[]> error(int partition, long offset, FailureRecord f) {
    byte[] value = FailureRecordSerde.encode(f);
    return new ConsumerRecord<>(
        Topics.ERRORS.name(),
        partition,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        -1,
        value.length,
        null,
        value,
        new org.apache.kafka.common.header.internals.RecordHeaders(),
        Optional.empty());
  }

  /** A validator rejection (with the client address the validator keeps). */
  public static FailureRecord rejection(String id, Instant at) {
    Map<String, String> a = attributes("glow", "download", id, at);
    a.put(Attributes.REMOTE_ADDR, "203.0.113.7");
    a.put(Attributes.X_FORWARDED_FOR, "198.51.100.1");
    return new FailureRecord(
        "{\"product\":1}".getBytes(StandardCharsets.UTF_8),
        a,
        "schema_validation",
        "$.product: integer found, string expected",
        "com.networknt.schema.ValidationException",
        "validator",
        at);
  }
}
