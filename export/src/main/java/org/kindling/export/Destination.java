package org.kindling.export;

import java.util.List;

/**
 * The wire side of one configured destination: how a record is encoded for it and how a batch is
 * sent. Retries, splitting, failure records and offsets are the caller's ({@link DeliverBatch},
 * {@link DestinationLoop}), so a type only says what one attempt did.
 */
public interface Destination extends AutoCloseable {

  /** Where it delivers, without credentials: for logs, the heartbeat and the start-up banner. */
  String target();

  /**
   * The record's part of a request body.
   *
   * @throws UnencodableException when this destination cannot express the record (it then goes to
   *     ingest.errors without being sent)
   */
  byte[] encode(ExportRecord record) throws UnencodableException;

  /**
   * One attempt at delivering {@code batch} (items that encoded, in order). Must not throw for a
   * failure of the destination: that is an {@link Outcome.Retry} or {@link Outcome.Rejected}.
   */
  Outcome send(List<Item> batch) throws InterruptedException;

  @Override
  default void close() {}
}
