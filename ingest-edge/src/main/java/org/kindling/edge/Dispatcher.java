package org.kindling.edge;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an accepted submission durable: in Kafka ({@code ingest.raw}, acks=all) when Kafka answers
 * within the produce timeout, otherwise in the {@link Spool}. Never blocks the caller: the producer
 * runs with {@code max.block.ms=0}, so a missing partition leader or a full buffer fails the send
 * at once and the submission goes to the spool instead.
 *
 * <p>Once a send fails or times out, Kafka counts as down and new submissions go straight to the
 * spool; a background task drains the spool in order (one probe record at a time while Kafka is
 * down, batches once it is back) and marks Kafka up again on the first ack.
 *
 * <p>A send that times out is spooled, but the producer keeps retrying it and may still deliver it
 * (a late ack, typically right after a broker comes back). So that such a submission reaches Kafka
 * once and not twice, the drain waits until every timed-out send has its final answer from the
 * producer (bounded by {@code delivery.timeout.ms}) and skips the spooled copies of those that were
 * delivered late. The drain's own sends are waited for to their final answer too, never abandoned
 * on a timer. Only a process that stops while such a send is unresolved can still write a
 * submission twice (never lose it): the spooled copy is sent again on the next start.
 *
 * <p>Decisions on the rarer outcomes, each at-least-once with the validator's dedup downstream,
 * never a record the client was told failed (unless the client retries it):
 *
 * <ul>
 *   <li>A send that times out and whose spool append then fails (spool full) is not answered at
 *       once: the answer waits for the producer's final word (bounded by {@code
 *       delivery.timeout.ms}): delivered is 200, not delivered is the spool's 507.
 *   <li>A send that fails after its timeout was spooled: the spooled copy is sent. The failure may
 *       hide a write whose ack was lost, so Kafka can hold the submission twice; the validator
 *       drops the second copy (same namespace, type and id).
 *   <li>A record Kafka refuses for good (too large for the topic, or another non-retriable record
 *       error) before the 200 is answered 413; after it (a spooled one) it is moved to {@link
 *       RefusedRecords}, kept on disk and offered again every {@link #REFUSED_RETRY}; it never
 *       stops the drain.
 *   <li>A client may hold at most a share of the spool ({@link ClientShares}): beyond it its
 *       submissions get 507 while other clients' are still spooled.
 * </ul>
 */
final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int DRAIN_BATCH_RECORDS = 1000;
  private static final long DRAIN_BATCH_BYTES = 4 << 20;
  // Record batch framing, the record's own varints and the header lengths, rounded up: Kafka's
  // size estimate for one record is the key, value and header bytes plus less than this.
  private static final int RECORD_OVERHEAD = 256;

  /** How often refused records are offered to Kafka again. */
  static final Duration REFUSED_RETRY = Duration.ofMinutes(1);

  /** Where a submission was made durable. */
  enum Outcome {
    KAFKA,
    SPOOL
  }

  private final Producer<String, byte[]> producer;
  private final Spool spool;
  private final RefusedRecords refused;
  private final ClientShares spoolShares;
  private volatile long maxRecordBytes;
  private long lastRefusedAttempt;
  private final long timeoutMillis;
  private final EdgeMetrics metrics;
  private final HashedWheelTimer timer;
  private final ScheduledExecutorService drainer;
  private final Duration drainInterval;
  private volatile boolean kafkaUp = true;
  private volatile boolean stopping;

  /** Timed-out (spooled) sends whose final answer from the producer has not arrived yet. */
  private final AtomicInteger unresolved = new AtomicInteger();

  /**
   * Identities of spooled submissions that are in Kafka already: delivered late by their original
   * send, or by a drain pass that failed on a later record of the same batch.
   */
  private final Set<String> deliveredLate = ConcurrentHashMap.newKeySet();

  /**
   * A submission that no Kafka record can hold: larger than the producer's {@code
   * max.request.size}, or refused by the broker as larger than the topic's {@code
   * max.message.bytes}. Retrying cannot help, so it is neither spooled nor retried.
   */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param maxRecordBytes the largest record Kafka takes (the producer's {@code max.request.size},
   *     or the topic's {@code max.message.bytes} when smaller): larger records are refused before
   *     they are sent or spooled
   * @param clientShare the part of the spool one client may hold, in (0, 1]
   */
  Dispatcher(
      Producer<String, byte[]> producer,
      Spool spool,
      long maxRecordBytes,
      Duration produceTimeout,
      Duration drainInterval,
      EdgeMetrics metrics,
      double clientShare)
      throws IOException {
    this.producer = producer;
    this.spool = spool;
    this.refused = new RefusedRecords(spool.dir());
    this.spoolShares = new ClientShares(spool.maxBytes(), clientShare);
    this.maxRecordBytes = maxRecordBytes;
    this.lastRefusedAttempt = System.nanoTime();
    this.timeoutMillis = produceTimeout.toMillis();
    this.drainInterval = drainInterval;
    this.metrics = metrics;
    this.timer =
        new HashedWheelTimer(r -> daemon(r, "edge-produce-timer"), 10, TimeUnit.MILLISECONDS);
    this.drainer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "edge-spool-drain"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Starts the background drain task. */
  void start() {
    drainer.scheduleWithFixedDelay(this::drain, 0, drainInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Changes the largest record Kafka takes (the topic's limit was read again). */
  void maxRecordBytes(long bytes) {
    maxRecordBytes = bytes;
  }

  /** The largest record Kafka takes. */
  long maxRecordBytes() {
    return maxRecordBytes;
  }

  /** Spooled submissions that Kafka refused for good and that are kept on disk. */
  int refused() {
    return refused.count();
  }

  /** Whether the last attempt to write to Kafka succeeded. */
  boolean kafkaAvailable() {
    return kafkaUp;
  }

  /**
   * Makes {@code s} durable; completes with where it went, or fails ({@link TooLargeException},
   * spool full, disk error).
   */
  CompletableFuture<Outcome> submit(Submission s) {
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    if (sizeBound(s) > maxRecordBytes) {
      long size = recordSize(s);
      if (size > maxRecordBytes) {
        metrics.tooLarge.increment();
        result.completeExceptionally(
            new TooLargeException(
                "record of about " + size + " bytes, Kafka takes " + maxRecordBytes));
        return result;
      }
    }
    if (!kafkaUp || stopping) {
      toSpool(s, result);
      return result;
    }
    AtomicBoolean settled = new AtomicBoolean();
    // After a timeout, the send stays unresolved until both its spool append and its final
    // producer answer are in, so that the drain never sees one without the other.
    AtomicInteger pendingAfterTimeout = new AtomicInteger(2);
    Runnable resolvedPart =
        () -> {
          if (pendingAfterTimeout.decrementAndGet() == 0) {
            unresolved.decrementAndGet();
          }
        };
    // The final answer of a send that timed out: null until it arrives; then whether it was
    // delivered. A failed spool append waits for it (see the class comment).
    CompletableFuture<Boolean> finalAnswer = new CompletableFuture<>();
    long start = System.nanoTime();
    Timeout timeout =
        timer.newTimeout(
            t -> {
              if (settled.compareAndSet(false, true)) {
                unresolved.incrementAndGet();
                markDown("no ack within " + timeoutMillis + " ms");
                appendToSpool(s)
                    .whenComplete(
                        (v, e) -> {
                          resolvedPart.run();
                          if (e == null) {
                            result.complete(Outcome.SPOOL);
                          } else {
                            // not in the spool: the client is told what Kafka finally says
                            finalAnswer.whenComplete(
                                (delivered, x) -> {
                                  if (Boolean.TRUE.equals(delivered)) {
                                    result.complete(Outcome.KAFKA);
                                  } else {
                                    result.completeExceptionally(e);
                                  }
                                });
                          }
                        });
              }
            },
            timeoutMillis,
            TimeUnit.MILLISECONDS);
    try {
      producer.send(
          record(s),
          (metadata, e) -> {
            if (e == null) {
              metrics.produceLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
              kafkaUp = true;
              if (settled.compareAndSet(false, true)) {
                timeout.cancel();
                result.complete(Outcome.KAFKA);
              } else {
                // Spooled on timeout: the drain must not send that copy as well.
                metrics.lateAcks.increment();
                deliveredLate.add(identity(s));
                finalAnswer.complete(true);
                resolvedPart.run();
              }
            } else if (isTooLarge(e)) {
              // Kafka is up and answered: this record can never be stored, spooled or not.
              if (settled.compareAndSet(false, true)) {
                timeout.cancel();
                metrics.tooLarge.increment();
                result.completeExceptionally(new TooLargeException(e.getMessage()));
              } else {
                finalAnswer.complete(false);
                resolvedPart.run(); // the spooled copy is moved to the refused records by the drain
              }
            } else if (settled.compareAndSet(false, true)) {
              timeout.cancel();
              markDown(e.toString());
              toSpool(s, result);
            } else {
              // Spooled on timeout and failed since: the spooled copy is sent (possibly a second
              // copy, if the failure hid a write whose ack was lost; dedup drops it).
              finalAnswer.complete(false);
              resolvedPart.run();
            }
          });
    } catch (RuntimeException e) {
      if (settled.compareAndSet(false, true)) {
        timeout.cancel();
        markDown(e.toString());
        toSpool(s, result);
      }
    }
    return result;
  }

  private void markDown(String why) {
    metrics.produceFailures.increment();
    if (kafkaUp) {
      LOG.warn("Kafka not accepting submissions ({}); spooling to disk", why);
    }
    kafkaUp = false;
  }

  private void toSpool(Submission s, CompletableFuture<Outcome> result) {
    appendToSpool(s)
        .whenComplete(
            (v, e) -> {
              if (e == null) {
                result.complete(Outcome.SPOOL);
              } else {
                result.completeExceptionally(e);
              }
            });
  }

  /** Appends to the spool within the client's share of it. */
  private CompletableFuture<Void> appendToSpool(Submission s) {
    String client = s.attributes().get(Attributes.REMOTE_ADDR);
    long size = spoolSize(s);
    if (!spoolShares.tryTake(client, size)) {
      metrics.clientShareRefusals.increment();
      return CompletableFuture.failedFuture(
          new Spool.SpoolFullException(
              "this client's share of the spool is used (" + spoolShares.limit() + " bytes)"));
    }
    return spool
        .append(s)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                spoolShares.give(client, size);
              }
            });
  }

  /** About the bytes {@code s} takes in the spool (its record, as {@link SpoolRecordCodec}). */
  private static long spoolSize(Submission s) {
    long n = SpoolRecordCodec.RECORD_HEADER + 12L + s.body().length;
    if (s.key() != null) {
      n += s.key().length();
    }
    for (Map.Entry<String, String> e : s.attributes().entrySet()) {
      n += 8 + e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length());
    }
    return n;
  }

  /**
   * A looser bound than {@link #recordSize} that encodes nothing (a UTF-8 character takes at most 3
   * bytes), so that the usual submission, far below the limit, costs no encoding on the event loop.
   */
  private static long sizeBound(Submission s) {
    long n = RECORD_OVERHEAD + s.body().length;
    if (s.key() != null) {
      n += 3L * s.key().length();
    }
    for (Map.Entry<String, String> e : s.attributes().entrySet()) {
      n += 10 + 3L * e.getKey().length();
      if (e.getValue() != null) {
        n += 3L * e.getValue().length();
      }
    }
    return n;
  }

  /** An upper bound of the size Kafka counts for {@code s} as a record. */
  static long recordSize(Submission s) {
    long n = RECORD_OVERHEAD + s.body().length;
    if (s.key() != null) {
      n += s.key().getBytes(StandardCharsets.UTF_8).length;
    }
    for (Map.Entry<String, String> e : s.attributes().entrySet()) {
      n += 10 + e.getKey().getBytes(StandardCharsets.UTF_8).length;
      if (e.getValue() != null) {
        n += e.getValue().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return n;
  }

  private static boolean isTooLarge(Throwable e) {
    return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException;
  }

  /**
   * Whether Kafka refuses this record for good: no retry, by this producer or another pass, can
   * deliver it (too large, or a record the broker finds invalid). Such a spooled record must not
   * stop the drain of all the others.
   */
  static boolean isRefusedForGood(Throwable e) {
    return isTooLarge(e)
        || e instanceof InvalidRecordException
        || e instanceof CorruptRecordException
        || e instanceof SerializationException;
  }

  /**
   * What tells two submissions apart: the document id and the edge's own microsecond arrival time
   * (a client's retry of the same document arrives at another time and stays a separate record).
   */
  static String identity(Submission s) {
    return s.key() + "@" + s.attributes().get(Attributes.SUBMISSION_TIMESTAMP);
  }

  static ProducerRecord<String, byte[]> record(Submission s) {
    RecordHeaders headers = new RecordHeaders();
    s.attributes()
        .forEach(
            (k, v) -> {
              if (v != null) {
                headers.add(k, v.getBytes(StandardCharsets.UTF_8));
              }
            });
    return new ProducerRecord<>(Topics.RAW.name(), null, null, s.key(), s.body(), headers);
  }

  /** One drain pass: moves spooled records into Kafka until the spool is empty or Kafka fails. */
  void drain() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        boolean up = kafkaUp;
        Spool.Batch batch = spool.read(up ? DRAIN_BATCH_RECORDS : 1, DRAIN_BATCH_BYTES);
        // Checked after the read: a send that timed out before its record was read is counted
        // here, so its record is not sent while the send may still deliver it.
        if (unresolved.get() > 0) {
          return; // a late ack may still come for a spooled submission; try again later
        }
        if (batch.isEmpty()) {
          if (spool.records() == 0) {
            deliveredLate.clear();
            if (!up) {
              kafkaUp = true; // nothing to probe with; the next live submission probes
            }
            retryRefused();
          }
          return;
        }
        List<Submission> toSend = new ArrayList<>(batch.submissions().size());
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.submissions().size());
        Throwable failure = null;
        try {
          for (Submission s : batch.submissions()) {
            if (!deliveredLate.contains(identity(s))) {
              toSend.add(s);
              sent.add(producer.send(record(s)));
            }
          }
        } catch (RuntimeException e) {
          failure = e;
        }
        // To the final answer (the producer gives one within delivery.timeout.ms): a send given up
        // on here could still be delivered and would be sent again by the next pass. What was
        // delivered (or kept as refused) is remembered, so a pass that fails half-way does not
        // handle it twice.
        int kept = 0;
        for (int i = 0; i < sent.size(); i++) {
          Submission s = toSend.get(i);
          try {
            sent.get(i).get();
            deliveredLate.add(identity(s));
          } catch (ExecutionException e) {
            if (!isRefusedForGood(e.getCause())) {
              failure = failure == null ? e.getCause() : failure;
              continue;
            }
            // Kafka takes it neither now nor on a retry: keep it on disk, out of the way.
            LOG.error(
                "spooled submission {} ({} bytes) refused by Kafka ({}); kept in {}",
                s.key(),
                s.body().length,
                e.getCause().getMessage(),
                RefusedRecords.DIR);
            refused.add(s);
            lastRefusedAttempt = System.nanoTime();
            metrics.tooLarge.increment();
            kept++;
            deliveredLate.add(identity(s)); // settled: not handled again by a retried pass
          }
        }
        if (failure != null) {
          markDown("drain: " + failure);
          return;
        }
        for (Submission s : batch.submissions()) {
          deliveredLate.remove(identity(s));
          spoolShares.give(s.attributes().get(Attributes.REMOTE_ADDR), spoolSize(s));
        }
        spool.commit(batch);
        metrics.drained.increment(toSend.size() - kept);
        if (!kafkaUp) {
          LOG.info("Kafka accepts submissions again; draining the spool");
        }
        kafkaUp = true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.error("draining the spool failed; will retry", e);
    }
  }

  /** Offers the refused records to Kafka again, at most every {@link #REFUSED_RETRY}. */
  private void retryRefused() throws IOException, InterruptedException {
    long now = System.nanoTime();
    if (refused.count() == 0 || now - lastRefusedAttempt < REFUSED_RETRY.toNanos()) {
      return;
    }
    lastRefusedAttempt = now;
    List<Submission> remaining = new ArrayList<>();
    int delivered = 0;
    for (Submission s : refused.read()) {
      if (!remaining.isEmpty() || recordSize(s) > maxRecordBytes) {
        remaining.add(s);
        continue;
      }
      try {
        producer.send(record(s)).get();
        delivered++;
      } catch (ExecutionException e) {
        remaining.add(s);
      }
    }
    if (delivered > 0) {
      refused.replace(remaining);
      LOG.info("{} refused submission(s) accepted by Kafka now", delivered);
    }
  }

  /**
   * Stops the drain task, waiting up to {@code timeout} for a pass in progress; what is left stays
   * in the spool for the next start. New submissions go to the spool from now on.
   */
  void stopDraining(Duration timeout) {
    stopping = true;
    drainer.shutdown();
    try {
      if (!drainer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        drainer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    timer.stop();
    drainer.shutdownNow();
  }
}
