package org.kindling.export;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one batch to its destination until every record is either acknowledged or durably
 * recorded on ingest.errors, and only then returns, so that the caller may commit the batch's
 * offsets:
 *
 * <ul>
 *   <li>items that did not encode go to ingest.errors as {@code export_unencodable};
 *   <li>a retryable failure (429, 5xx, timeout, refused connection) is retried after {@link
 *       Backoff}, up to {@code maxAttempts}; then the part goes to ingest.errors as {@code
 *       export_failed};
 *   <li>a rejection (400, 413) naming the refused records sends those to ingest.errors as {@code
 *       export_rejected} and the rest again; one that does not name them splits the part in halves,
 *       each sent on its own, so that one bad record does not take good ones with it.
 * </ul>
 *
 * Throws when a failure record cannot be written; the batch is then not done.
 */
public final class DeliverBatch {
  private static final Logger LOG = LoggerFactory.getLogger(DeliverBatch.class);

  private final String name;
  private final Destination destination;
  private final Backoff backoff;
  private final int maxAttempts;
  private final FailureWriter failures;
  private final ExportMetrics metrics;
  private final DeliveryState state;
  private final Sleeper sleeper;

  public DeliverBatch(
      String name,
      Destination destination,
      Backoff backoff,
      int maxAttempts,
      FailureWriter failures,
      ExportMetrics metrics,
      DeliveryState state,
      Sleeper sleeper) {
    this.name = name;
    this.destination = destination;
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.failures = failures;
    this.metrics = metrics;
    this.state = state;
    this.sleeper = sleeper;
  }

  /** What became of a batch's records. */
  public record Result(int delivered, int failed) {}

  /** Delivers {@code batch}; see the class comment. */
  public Result deliver(Batch batch) throws InterruptedException {
    int delivered = 0;
    int failed = 0;
    List<Item> sendable = new ArrayList<>(batch.size());
    for (Item item : batch.items()) {
      if (item.encoded() == null) {
        fail(List.of(item), FailureWriter.EXPORT_UNENCODABLE, item.unencodable());
        failed++;
      } else {
        sendable.add(item);
      }
    }
    Deque<List<Item>> work = new ArrayDeque<>();
    if (!sendable.isEmpty()) {
      work.push(sendable);
    }
    while (!work.isEmpty()) {
      List<Item> part = work.pop();
      for (int attempt = 1; ; attempt++) {
        Outcome outcome = destination.send(part);
        if (outcome instanceof Outcome.Delivered) {
          state.delivered();
          metrics.delivered(part.size());
          delivered += part.size();
          break;
        }
        if (outcome instanceof Outcome.Rejected r) {
          List<Item> refused = new ArrayList<>();
          List<Item> rest = new ArrayList<>();
          split(part, r.indices(), refused, rest);
          if (!refused.isEmpty()) {
            fail(refused, FailureWriter.EXPORT_REJECTED, r.reason());
            failed += refused.size();
            if (!rest.isEmpty()) {
              work.push(rest);
            }
          } else if (part.size() > 1) {
            int half = part.size() / 2;
            work.push(List.copyOf(part.subList(half, part.size())));
            work.push(List.copyOf(part.subList(0, half)));
          } else {
            fail(part, FailureWriter.EXPORT_REJECTED, r.reason());
            failed += part.size();
          }
          break;
        }
        Outcome.Retry retry = (Outcome.Retry) outcome;
        state.failed(retry.reason());
        if (attempt >= maxAttempts) {
          fail(
              part,
              FailureWriter.EXPORT_FAILED,
              "gave up after " + attempt + " attempts: " + retry.reason());
          failed += part.size();
          break;
        }
        metrics.retried();
        var wait = backoff.delay(attempt, retry.retryAfter());
        LOG.debug(
            "{}: attempt {} of {} records failed ({}); retrying in {} ms",
            name,
            attempt,
            part.size(),
            retry.reason(),
            wait.toMillis());
        sleeper.sleep(wait);
      }
    }
    return new Result(delivered, failed);
  }

  /** Sorts {@code part} into the items at {@code indices} and the others. */
  private static void split(
      List<Item> part, Set<Integer> indices, List<Item> refused, List<Item> rest) {
    for (int i = 0; i < part.size(); i++) {
      (indices != null && indices.contains(i) ? refused : rest).add(part.get(i));
    }
  }

  private void fail(List<Item> items, String errorType, String reason) throws InterruptedException {
    LOG.warn(
        "{}: {} record(s) to ingest.errors as {}: {} (first: {})",
        name,
        items.size(),
        errorType,
        reason,
        items.get(0).record());
    failures.write(items, errorType, reason);
    metrics.failed(errorType, items.size());
  }
}
