package org.kindling.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One schema of the store: {@code <namespace>/<type>/<type>.<version>.schema.json}.
 *
 * @param namespace the document namespace ({@code glow}, {@code telemetry}, {@code glean})
 * @param type the document type ({@code download}, {@code main})
 * @param version the document version (the {@code 4} of {@code main.4.schema.json})
 * @param schema the parsed JSON schema
 */
public record SchemaEntry(String namespace, String type, int version, JsonNode schema) {
  public SchemaEntry {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(schema, "schema");
  }

  /** The doctype id, {@code <namespace>.<type>} ({@code glow.download}). */
  public String doctype() {
    return namespace + "." + type;
  }

  /** The path of the schema file relative to the root of a schema directory. */
  public String relativePath() {
    return namespace + "/" + type + "/" + type + "." + version + ".schema.json";
  }

  @Override
  public String toString() {
    return namespace + "/" + type + "/" + type + "." + version;
  }
}
