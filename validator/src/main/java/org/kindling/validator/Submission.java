package org.kindling.validator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kindling.schemas.SchemaEntry;

/**
 * One submission on its way through the steps: the raw body and attributes as received, and what
 * the steps have found so far (URI parts in the attributes, the decoded body, the parsed document,
 * its schema).
 */
public final class Submission {
  private final byte[] raw;
  private final Map<String, String> attributes;
  private byte[] decoded;
  private JsonNode document;
  private SchemaEntry schema;

  /**
   * @param raw the request body as received (possibly gzip)
   * @param attributes the attributes (Kafka headers); copied
   */
  public Submission(byte[] raw, Map<String, String> attributes) {
    this.raw = raw == null ? new byte[0] : raw;
    this.attributes = new LinkedHashMap<>(attributes);
  }

  public byte[] raw() {
    return raw;
  }

  /** The attributes, mutable: steps add the parsed URI parts. */
  public Map<String, String> attributes() {
    return attributes;
  }

  public String attribute(String name) {
    return attributes.get(name);
  }

  /** The body after decompression (the raw body when it was not compressed), or null. */
  public byte[] decoded() {
    return decoded;
  }

  void decoded(byte[] bytes) {
    this.decoded = bytes;
  }

  /** The parsed JSON document, or null before {@link ParsePayload}. */
  public JsonNode document() {
    return document;
  }

  void document(JsonNode node) {
    this.document = node;
  }

  /** The schema the document was validated against, or null before {@link ValidateSchema}. */
  public SchemaEntry schema() {
    return schema;
  }

  void schema(SchemaEntry entry) {
    this.schema = entry;
  }
}
