package org.kindling.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.kindling.core.Attributes;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.sink.parquet.ParquetFiles;

/**
 * {@code ingest.errors} to {@code errors/submission_date=YYYY-MM-DD/} in the lake bucket, one row
 * per failure. The date is the submission's (its submission_timestamp attribute), else the
 * failure's. Client addresses are not written (the topic keeps them for replay into the validator).
 */
final class ErrorsFormat extends ParquetFormat<ErrorsFormat.Item> {
  /** A submission timestamp that starts with a date; compiled once, not per record. */
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T.*");

  static final Schema SCHEMA = schema();

  record Item(String directory, GenericRecord row) {}

  private final ParquetFiles files;

  ErrorsFormat(ParquetFiles files) {
    this.files = files;
  }

  private static Schema nullable(Schema s) {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), s);
  }

  private static Schema schema() {
    Schema str = Schema.create(Schema.Type.STRING);
    Schema ts = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    List<Schema.Field> fields =
        List.of(
            new Schema.Field("document_id", nullable(str), null, Schema.Field.NULL_DEFAULT_VALUE),
            new Schema.Field("error_type", nullable(str), null, Schema.Field.NULL_DEFAULT_VALUE),
            new Schema.Field("error_message", nullable(str), null, Schema.Field.NULL_DEFAULT_VALUE),
            new Schema.Field(
                "exception_class", nullable(str), null, Schema.Field.NULL_DEFAULT_VALUE),
            new Schema.Field("stage", nullable(str), null, Schema.Field.NULL_DEFAULT_VALUE),
            new Schema.Field(
                "attributes",
                nullable(Schema.createMap(nullable(str))),
                null,
                Schema.Field.NULL_DEFAULT_VALUE),
            new Schema.Field(
                "payload",
                nullable(Schema.create(Schema.Type.BYTES)),
                null,
                Schema.Field.NULL_DEFAULT_VALUE),
            new Schema.Field("failed_at", nullable(ts), null, Schema.Field.NULL_DEFAULT_VALUE));
    return Schema.createRecord("kindling_errors", null, "org.kindling.lake", false, fields);
  }

  @Override
  public Item parse(ConsumerRecord<byte[], byte[]> r) {
    FailureRecord f;
    try {
      f = FailureRecordSerde.decode(r.value());
    } catch (RuntimeException e) {
      // Not a failure record: keep its bytes as a failure of its own.
      f =
          FailureRecord.of(
              r.value() == null ? new byte[0] : r.value(),
              Map.of(),
              "deserialization",
              e,
              "s3-sink",
              Instant.ofEpochMilli(Math.max(0, r.timestamp())));
    }
    Map<String, String> attrs = new LinkedHashMap<>(f.attributes());
    Attributes.CLIENT_ADDRESS.forEach(attrs::remove);
    String ts = attrs.get(Attributes.SUBMISSION_TIMESTAMP);
    String date =
        ts != null && DATE.matcher(ts).matches() ? ts.substring(0, 10) : Records.date(f.failedAt());
    GenericData.Record row = new GenericData.Record(SCHEMA);
    row.put("document_id", Records.key(r));
    row.put("error_type", f.errorType());
    row.put("error_message", f.errorMessage());
    row.put("exception_class", f.exceptionClass());
    row.put("stage", f.stage());
    row.put("attributes", attrs);
    row.put("payload", ByteBuffer.wrap(f.payload()));
    Instant t = f.failedAt();
    row.put("failed_at", t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
    return new Item("errors/submission_date=" + date, row);
  }

  @Override
  public String directory(Item item) {
    return item.directory();
  }

  @Override
  public RecordFile<Item> open(String directory, Item first, Path tmp) throws IOException {
    return new ParquetRecordFile<>(files, SCHEMA, tmp, Item::row);
  }
}
