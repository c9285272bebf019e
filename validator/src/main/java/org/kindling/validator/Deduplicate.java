package org.kindling.validator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 5: drops a valid submission whose (namespace, document type, document id) was already seen
 * within the dedup window of record time (either side, so late arrivals are caught too). Ids are
 * only unique within a document type, so the id alone is never the key.
 *
 * <p>The ids live in a persistent window store named {@value #STORE} whose retention is the window:
 * old ids expire segment by segment without a sweep, and the store is changelogged (topic {@code
 * validator-dedup-store-changelog}), so a restart or a move to another instance remembers them.
 * Store and output commit in the same exactly-once transaction. No repartition is needed: {@code
 * ingest.raw} is keyed by document id, so every copy of a document reaches the same task.
 *
 * <p>A dropped duplicate is not an error and does not go to {@code ingest.errors}; it increments
 * {@code duplicate_submission} and is logged at DEBUG (doctype, id, offset). Exact accounting is
 * {@code raw = validated + errors + duplicates}.
 */
final class Deduplicate implements Processor<String, byte[], String, byte[]> {
  static final String STORE = "dedup-store";
  private static final Logger LOG = LoggerFactory.getLogger(Deduplicate.class);

  private final long windowMs;
  private final ValidatorMetrics metrics;
  private ProcessorContext<String, byte[]> context;
  private WindowStore<String, Long> seen;

  Deduplicate(Duration window, ValidatorMetrics metrics) {
    this.windowMs = window.toMillis();
    this.metrics = metrics;
  }

  /** The changelogged window store of seen ids. */
  static StoreBuilder<WindowStore<String, Long>> storeBuilder(Duration window) {
    return Stores.windowStoreBuilder(
            Stores.persistentWindowStore(STORE, window, window, false),
            Serdes.String(),
            Serdes.Long())
        .withLoggingEnabled(Map.of());
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.seen = context.getStateStore(STORE);
  }

  /** {@code <namespace>/<document_type>/<document_id>}: URI segments never contain a slash. */
  static String key(String namespace, String type, String id) {
    return namespace + "/" + type + "/" + id;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String namespace = AttributeHeaders.get(record.headers(), Attributes.DOCUMENT_NAMESPACE);
    String type = AttributeHeaders.get(record.headers(), Attributes.DOCUMENT_TYPE);
    String id = AttributeHeaders.get(record.headers(), Attributes.DOCUMENT_ID);
    String key = key(namespace, type, id);
    long ts = record.timestamp();
    boolean duplicate;
    try (WindowStoreIterator<Long> it =
        seen.fetch(
            key,
            Instant.ofEpochMilli(Math.max(0, ts - windowMs)),
            Instant.ofEpochMilli(ts + windowMs))) {
      duplicate = it.hasNext();
    }
    Map<String, String> tags =
        Map.of(
            Attributes.DOCUMENT_NAMESPACE,
            namespace,
            Attributes.DOCUMENT_TYPE,
            type,
            Attributes.DOCUMENT_VERSION,
            String.valueOf(AttributeHeaders.get(record.headers(), Attributes.DOCUMENT_VERSION)));
    if (duplicate) {
      metrics.duplicate(tags);
      if (LOG.isDebugEnabled()) {
        LOG.debug(
            "duplicate {} dropped ({}-{}@{})",
            key,
            context.recordMetadata().map(m -> m.topic()).orElse("?"),
            context.recordMetadata().map(m -> m.partition()).orElse(-1),
            context.recordMetadata().map(m -> m.offset()).orElse(-1L));
      }
      return;
    }
    seen.put(key, ts, ts);
    metrics.validated(tags);
    context.forward(record);
  }
}
