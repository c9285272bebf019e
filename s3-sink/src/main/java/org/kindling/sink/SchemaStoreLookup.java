package org.kindling.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.kindling.schemas.SchemaEntry;
import org.kindling.schemas.SchemaStore;

/**
 * The validator's schema store as the sink's schema lookup, so a document's columns come from the
 * same schema it was validated against (including the generic Glean schema for Glean pings).
 */
public final class SchemaStoreLookup implements SchemaLookup {
  private final SchemaStore store;

  public SchemaStoreLookup(SchemaStore store) {
    this.store = store;
  }

  @Override
  public Optional<JsonNode> schema(String namespace, String type, String version) {
    return store.resolve(namespace, type, version).map(SchemaEntry::schema);
  }

  @Override
  public List<DocType> docTypes() {
    return store.all().stream()
        .map(e -> new DocType(e.namespace(), e.type(), Integer.toString(e.version())))
        .toList();
  }
}
