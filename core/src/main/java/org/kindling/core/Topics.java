package org.kindling.core;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;

/** The topic catalogue (ARCHITECTURE.md, "The record contract"). */
public final class Topics {
  private Topics() {}

  /** Request bodies exactly as received; key = document_id; headers = attributes. */
  public static final Topic<String, byte[]> RAW =
      new Topic<>("ingest.raw", Serdes.String(), Serdes.ByteArray(), false);

  /** Decoded, schema-valid JSON documents (UTF-8); headers = attributes + URI parts. */
  public static final Topic<String, byte[]> VALIDATED =
      new Topic<>("ingest.validated", Serdes.String(), Serdes.ByteArray(), false);

  /** JSON documents with {@code metadata} added and the client address removed. */
  public static final Topic<String, byte[]> ENRICHED =
      new Topic<>("ingest.enriched", Serdes.String(), Serdes.ByteArray(), false);

  /** One record per rejected submission, replayable. */
  public static final Topic<String, FailureRecord> ERRORS =
      new Topic<>("ingest.errors", Serdes.String(), new FailureRecordSerde(), false);

  /** Windowed and running counts as JSON values; compacted by key. */
  public static final Topic<String, String> COUNTS =
      new Topic<>("ingest.counts", Serdes.String(), Serdes.String(), true);

  /** Every topic of the contract, in pipeline order. */
  public static final List<Topic<?, ?>> ALL = List.of(RAW, VALIDATED, ENRICHED, ERRORS, COUNTS);
}
