package org.kindling.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.schemas.SchemaEntry;
import org.kindling.schemas.parquet.DocumentLayout;
import org.kindling.schemas.parquet.JsonSchemaMapper;
import org.kindling.sink.parquet.ParquetFiles;

/**
 * {@code ingest.enriched} to the Parquet lake: {@code
 * <namespace>/<document_type>/v<version>/submission_date=YYYY-MM-DD/}, columns from the doctype's
 * JSON schema (see {@link JsonSchemaMapper}).
 */
final class LakeFormat extends ParquetFormat<LakeFormat.Item> {
  /** Key in additional_properties for a value that is not a JSON object (kept, base64). */
  static final String UNPARSEABLE = "unparseable_document_base64";

  /** A document version as a table name uses it; compiled once, not per record. */
  private static final Pattern VERSION = Pattern.compile("\\d{1,9}");

  /**
   * One document: its directory, the layout of its doctype's schema in use when it was read, and
   * the document. The row is made when the document is written, with the layout of the file it goes
   * to (see {@link #open}).
   */
  record Item(String directory, DocumentLayout layout, JsonNode document) {
    GenericRecord row() {
      return layout.toRecord(document);
    }
  }

  /** The layout built from one schema (by digest; null digest: no schema). */
  private record Cached(String digest, DocumentLayout layout) {}

  private final SchemaLookup schemas;
  private final ParquetFiles files;
  // one layout per doctype version: replaced when a new schema set changes its schema
  private final Map<String, Cached> layouts = new ConcurrentHashMap<>();
  private final Counter unparseable;

  LakeFormat(SchemaLookup schemas, ParquetFiles files, MeterRegistry registry) {
    this.schemas = schemas;
    this.files = files;
    this.unparseable = registry.counter("sink_unparseable_documents");
  }

  /** The table layout of a doctype version; the same one the DDL describes. */
  static DocumentLayout layout(SchemaLookup schemas, String ns, String type, String version) {
    return layout(schemas.schema(ns, type, version).orElse(null), ns, type, version);
  }

  private static DocumentLayout layout(SchemaEntry entry, String ns, String type, String version) {
    String name = ns + "_" + type + "_v" + version;
    return JsonSchemaMapper.documentLayout(name, entry == null ? null : entry.schema());
  }

  /** The layout for the schema in use, built again only when that schema changed. */
  private DocumentLayout layoutInUse(String ns, String type, String version) {
    SchemaEntry entry = schemas.schema(ns, type, version).orElse(null);
    String digest = entry == null ? null : entry.digest();
    Cached c =
        layouts.compute(
            ns + "/" + type + "/" + version,
            (k, old) ->
                old != null && java.util.Objects.equals(old.digest(), digest)
                    ? old
                    : new Cached(digest, layout(entry, ns, type, version)));
    return c.layout();
  }

  @Override
  public Item parse(ConsumerRecord<byte[], byte[]> r) {
    String ns = Records.segment(Records.header(r, Attributes.DOCUMENT_NAMESPACE), "unknown");
    String type = Records.segment(Records.header(r, Attributes.DOCUMENT_TYPE), "unknown");
    String version = Records.header(r, Attributes.DOCUMENT_VERSION);
    version = version != null && VERSION.matcher(version).matches() ? version : "0";
    String dir =
        ns
            + "/"
            + type
            + "/v"
            + version
            + "/submission_date="
            + Records.submissionHour(r).substring(0, 10);
    DocumentLayout layout = layoutInUse(ns, type, version);
    JsonNode doc = null;
    try {
      doc = r.value() == null ? null : Json.mapper().readTree(r.value());
    } catch (IOException e) {
      doc = null;
    }
    if (doc == null || !doc.isObject()) {
      // Upstream stages only pass JSON objects; if one is not, keep its bytes all the same.
      unparseable.increment();
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("document_id", Records.key(r));
      o.put("submission_timestamp", Records.header(r, Attributes.SUBMISSION_TIMESTAMP));
      o.put(
          UNPARSEABLE,
          Base64.getEncoder().encodeToString(r.value() == null ? new byte[0] : r.value()));
      doc = o;
    } else if (!doc.has("document_id") && r.key() != null) {
      // the key is the document id (record contract); keep the column filled
      ((ObjectNode) doc).put("document_id", Records.key(r));
    }
    return new Item(dir, layout, doc);
  }

  @Override
  public String directory(Item item) {
    return item.directory();
  }

  @Override
  public RecordFile<Item> open(String directory, Item first, Path tmp) throws IOException {
    // Every row of a file has the file's columns, even when a new schema set arrives while it is
    // open: the new columns start with the next file of the doctype.
    DocumentLayout fileLayout = first.layout();
    return new ParquetRecordFile<>(
        files, fileLayout.schema(), tmp, item -> fileLayout.toRecord(item.document()));
  }
}
