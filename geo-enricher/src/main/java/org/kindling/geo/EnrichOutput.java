package org.kindling.geo;

import org.kindling.core.failure.FailureRecord;
import org.kindling.geo.counts.CountEvent;

/**
 * One output of the enrich step, routed by {@link #kind()}: an enriched document for {@code
 * ingest.enriched}, a failure for {@code ingest.errors}, or a count event for the counters.
 *
 * @param kind which output this is
 * @param document the enriched JSON (kind DOCUMENT)
 * @param failure the failure (kind FAILURE)
 * @param countEvent the geo cells to count (kind COUNT)
 */
public record EnrichOutput(
    Kind kind, byte[] document, FailureRecord failure, CountEvent countEvent) {

  /** The three outputs. */
  public enum Kind {
    DOCUMENT,
    FAILURE,
    COUNT
  }

  public static EnrichOutput document(byte[] document) {
    return new EnrichOutput(Kind.DOCUMENT, document, null, null);
  }

  public static EnrichOutput failure(FailureRecord failure) {
    return new EnrichOutput(Kind.FAILURE, null, failure, null);
  }

  public static EnrichOutput count(CountEvent event) {
    return new EnrichOutput(Kind.COUNT, null, null, event);
  }
}
