package org.kindling.core.failure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.kindling.core.Json;

/**
 * JSON form of {@link FailureRecord} on {@code ingest.errors}:
 *
 * <pre>
 * {"error_type":"json_parse","error_message":"...","exception_class":"...","stage":"validator",
 * "failed_at":"2026-11-22T10:05:00.123456Z","attributes":{...},"payload":"&lt;base64&gt;"}</pre>
 *
 * JSON rather than a binary format so that {@code kcat} and people can read the topic.
 */
public final class FailureRecordSerde implements Serde<FailureRecord> {

  public static final String ERROR_TYPE = "error_type";
  public static final String ERROR_MESSAGE = "error_message";
  public static final String EXCEPTION_CLASS = "exception_class";
  public static final String STAGE = "stage";
  public static final String FAILED_AT = "failed_at";
  public static final String ATTRIBUTES = "attributes";
  public static final String PAYLOAD = "payload";

  /** Encodes a failure record. */
  public static byte[] encode(FailureRecord f) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put(ERROR_TYPE, f.errorType());
    node.put(ERROR_MESSAGE, f.errorMessage());
    node.put(EXCEPTION_CLASS, f.exceptionClass());
    node.put(STAGE, f.stage());
    node.put(FAILED_AT, f.failedAt().toString());
    ObjectNode attrs = node.putObject(ATTRIBUTES);
    f.attributes().forEach(attrs::put);
    node.put(PAYLOAD, Base64.getEncoder().encodeToString(f.payload()));
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new SerializationException("cannot encode failure record", e);
    }
  }

  /** Decodes a failure record. */
  public static FailureRecord decode(byte[] bytes) {
    try {
      JsonNode node = Json.mapper().readTree(bytes);
      Map<String, String> attrs = new LinkedHashMap<>();
      JsonNode a = node.path(ATTRIBUTES);
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        attrs.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
      }
      return new FailureRecord(
          Base64.getDecoder().decode(node.path(PAYLOAD).asText("")),
          attrs,
          node.path(ERROR_TYPE).asText(),
          textOrNull(node, ERROR_MESSAGE),
          textOrNull(node, EXCEPTION_CLASS),
          node.path(STAGE).asText(),
          Instant.parse(node.path(FAILED_AT).asText()));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("not a failure record: " + e.getMessage(), e);
    }
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  @Override
  public Serializer<FailureRecord> serializer() {
    return (topic, data) -> data == null ? null : encode(data);
  }

  @Override
  public Deserializer<FailureRecord> deserializer() {
    return (topic, data) -> data == null ? null : decode(data);
  }
}
