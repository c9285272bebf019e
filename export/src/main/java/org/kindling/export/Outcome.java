package org.kindling.export;

import java.time.Duration;
import java.util.Set;

/** What one delivery attempt of a batch came to. */
public sealed interface Outcome {

  /** The destination acknowledged every record of the batch. */
  record Delivered() implements Outcome {}

  /**
   * A failure that may pass (429, 5xx, a timeout, a refused connection): try again later.
   *
   * @param reason what happened, for logs, the heartbeat and the failure record
   * @param retryAfter the server's Retry-After hint, or null
   */
  record Retry(String reason, Duration retryAfter) implements Outcome {}

  /**
   * The destination refused the content (400, 413): sending it again unchanged cannot succeed.
   *
   * @param reason what the destination said
   * @param indices the positions in the batch of the refused records when the destination names
   *     them (Amplitude does); null when it does not say which, so the batch is split to find out
   */
  record Rejected(String reason, Set<Integer> indices) implements Outcome {}

  Outcome DELIVERED = new Delivered();
}
