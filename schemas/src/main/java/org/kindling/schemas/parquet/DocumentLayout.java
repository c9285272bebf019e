package org.kindling.schemas.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * The lake columns of one doctype version and the conversion of its documents into rows. Immutable
 * and thread-safe; build it once per (namespace, document type, version) with {@link
 * JsonSchemaMapper#documentLayout}.
 */
public final class DocumentLayout {
  private final Schema schema;
  private final Column.StructColumn root;
  private final int additionalPos;

  DocumentLayout(Schema schema, Column.StructColumn root, int additionalPos) {
    this.schema = schema;
    this.root = root;
    this.additionalPos = additionalPos;
  }

  /** The Avro record schema that parquet-avro writes. */
  public Schema schema() {
    return schema;
  }

  /**
   * One row from one document (a JSON object). Whatever the declared columns cannot hold goes to
   * {@code additional_properties} as JSON text, at its path in the document; that column is null
   * when everything fitted.
   *
   * @throws IllegalArgumentException when {@code document} is not a JSON object
   */
  public GenericData.Record toRecord(JsonNode document) {
    if (!document.isObject()) {
      throw new IllegalArgumentException("a document must be a JSON object");
    }
    GenericData.Record record = new GenericData.Record(schema);
    ObjectNode leftovers = root.fill(record, document, new Column.Result());
    if (leftovers != null) {
      record.put(additionalPos, leftovers.toString());
    }
    return record;
  }
}
