package org.kindling.sink;

import java.util.List;
import java.util.Optional;
import org.kindling.schemas.SchemaEntry;

/**
 * Where the sink finds the JSON schema of a doctype version, which gives its lake table its
 * columns. {@link SchemaStoreLookup} uses the schema set the validator uses (replaced when its
 * folder changes); {@link #NONE} knows no schema, and every document then lands with the standard
 * columns and {@code additional_properties}.
 */
public interface SchemaLookup {
  /** A doctype version. */
  record DocType(String namespace, String type, String version) {
    /** {@code glow.download}. */
    public String id() {
      return namespace + "." + type;
    }
  }

  /** The schema of {@code namespace/type} version {@code version} in the set in use, or empty. */
  Optional<SchemaEntry> schema(String namespace, String type, String version);

  /** Every doctype version with a schema (for {@code kindling ddl}). */
  List<DocType> docTypes();

  SchemaLookup NONE =
      new SchemaLookup() {
        @Override
        public Optional<SchemaEntry> schema(String namespace, String type, String version) {
          return Optional.empty();
        }

        @Override
        public List<DocType> docTypes() {
          return List.of();
        }
      };
}
