package org.kindling.sink;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.kindling.schemas.SchemaEntry;
import org.kindling.schemas.SchemaStore;

/**
 * The schema set as the sink's schema lookup, resolved as the validator resolves it, so a
 * document's columns come from the same schema it was validated against (including the generic
 * Glean schema where the set has the Glean fallback). The set is asked for on each call, so a set
 * replaced while the sink runs gives the next files their columns.
 */
public final class SchemaStoreLookup implements SchemaLookup {
  private final Supplier<SchemaStore> store;

  /** A lookup in a fixed set. */
  public SchemaStoreLookup(SchemaStore store) {
    this(() -> store);
  }

  /** A lookup in the set {@code store} returns at each call. */
  public SchemaStoreLookup(Supplier<SchemaStore> store) {
    this.store = store;
  }

  @Override
  public Optional<SchemaEntry> schema(String namespace, String type, String version) {
    return store.get().resolve(namespace, type, version);
  }

  @Override
  public List<DocType> docTypes() {
    return store.get().all().stream()
        .map(e -> new DocType(e.namespace(), e.type(), Integer.toString(e.version())))
        .toList();
  }
}
