package org.kindling.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * Where the sink finds the JSON schema of a doctype version, which gives its lake table its
 * columns. {@link SchemaStoreLookup} uses the schema store the validator uses; {@link #NONE} knows
 * no schema, and every document then lands with the standard columns and {@code
 * additional_properties}.
 */
public interface SchemaLookup {
  /** A doctype version. */
  record DocType(String namespace, String type, String version) {
    /** {@code glow.download}. */
    public String id() {
      return namespace + "." + type;
    }
  }

  /** The schema of {@code namespace/type} version {@code version}, or empty. */
  Optional<JsonNode> schema(String namespace, String type, String version);

  /** Every doctype version with a schema (for {@code kindling ddl}). */
  List<DocType> docTypes();

  SchemaLookup NONE =
      new SchemaLookup() {
        @Override
        public Optional<JsonNode> schema(String namespace, String type, String version) {
          return Optional.empty();
        }

        @Override
        public List<DocType> docTypes() {
          return List.of();
        }
      };
}
