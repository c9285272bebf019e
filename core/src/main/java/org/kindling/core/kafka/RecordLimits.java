package org.kindling.core.kafka;

import org.kindling.core.config.ConfigException;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;

/**
 * The one chain of size limits a submission passes, from the edge to the lake: what every topic of
 * the contract takes ({@code topics.max.message.bytes}, also every producer's {@code
 * max.request.size}), the largest document the validator lets on, and the check that the edge's
 * body limit fits. Derived, so that a document the validator passes is never too large for a later
 * hop:
 *
 * <ul>
 *   <li>a record of ingest.validated or ingest.enriched holds a document plus its attributes and,
 *       after enrichment, its {@code metadata}: at most {@link #ENRICHMENT_MARGIN} more;
 *   <li>a failure record on ingest.errors holds its payload in base64 (4/3 of its size) plus the
 *       attributes: the validator's hold a request body, the geo-enricher's a document.
 * </ul>
 *
 * So the largest document is 3/4 of (the record limit minus the margin), and the edge's body limit
 * must be no larger.
 */
public final class RecordLimits {
  /** Attributes, metadata and framing a record may carry beyond its payload. */
  public static final int ENRICHMENT_MARGIN = 64 * 1024;

  private RecordLimits() {}

  /**
   * What every topic of the contract and every producer takes: {@code topics.max.message.bytes}.
   */
  public static long maxRecordBytes(KindlingConfig config) {
    return config.getSize(CoreConfig.TOPICS_MAX_MESSAGE_BYTES);
  }

  /**
   * The largest decoded document the validator passes: one that every later record (the enriched
   * one, a failure record with it in base64) can carry. A larger valid document is error {@code
   * document_too_large}, with its bytes kept.
   */
  public static long maxDocumentBytes(KindlingConfig config) {
    return (maxRecordBytes(config) - ENRICHMENT_MARGIN) * 3 / 4;
  }

  /**
   * Fails start-up with one line when a request body of {@code maxBodyBytes} could not be carried
   * (its failure record, with the body in base64, would be larger than the topics take).
   */
  public static void checkBody(KindlingConfig config, String key, long maxBodyBytes) {
    long limit = maxDocumentBytes(config);
    if (maxBodyBytes > limit) {
      throw new ConfigException(
          key
              + " is "
              + maxBodyBytes
              + " bytes, more than the "
              + limit
              + " a record can carry with "
              + CoreConfig.TOPICS_MAX_MESSAGE_BYTES
              + "="
              + maxRecordBytes(config)
              + "; raise "
              + CoreConfig.TOPICS_MAX_MESSAGE_BYTES
              + " to at least "
              + (maxBodyBytes * 4 / 3 + ENRICHMENT_MARGIN)
              + " or lower "
              + key);
    }
  }
}
