package org.kindling.edge;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
 * down, batches once it is back) and marks Kafka up again on the first ack. A send that is acked
 * after its submission was already spooled makes a duplicate, never a loss.
 */
final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int DRAIN_BATCH_RECORDS = 1000;
  private static final long DRAIN_BATCH_BYTES = 4 << 20;
  // Record batch framing, the record's own varints and the header lengths, rounded up: Kafka's
  // size estimate for one record is the key, value and header bytes plus less than this.
  private static final int RECORD_OVERHEAD = 256;

  /** Where a submission was made durable. */
  enum Outcome {
    KAFKA,
    SPOOL
  }

  private final Producer<String, byte[]> producer;
  private final Spool spool;
  private final long maxRecordBytes;
  private final long timeoutMillis;
  private final EdgeMetrics metrics;
  private final HashedWheelTimer timer;
  private final ScheduledExecutorService drainer;
  private final Duration drainInterval;
  private volatile boolean kafkaUp = true;
  private volatile boolean stopping;

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
   * @param maxRecordBytes the producer's {@code max.request.size}: larger records are refused
   *     before they are sent or spooled
   */
  Dispatcher(
      Producer<String, byte[]> producer,
      Spool spool,
      long maxRecordBytes,
      Duration produceTimeout,
      Duration drainInterval,
      EdgeMetrics metrics) {
    this.producer = producer;
    this.spool = spool;
    this.maxRecordBytes = maxRecordBytes;
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
    long size = recordSize(s);
    if (size > maxRecordBytes) {
      metrics.tooLarge.increment();
      result.completeExceptionally(
          new TooLargeException(
              "record of about " + size + " bytes, max.request.size is " + maxRecordBytes));
      return result;
    }
    if (!kafkaUp || stopping) {
      toSpool(s, result);
      return result;
    }
    AtomicBoolean settled = new AtomicBoolean();
    long start = System.nanoTime();
    Timeout timeout =
        timer.newTimeout(
            t -> {
              if (settled.compareAndSet(false, true)) {
                markDown("no ack within " + timeoutMillis + " ms");
                toSpool(s, result);
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
                metrics.lateAcks.increment();
              }
            } else if (isTooLarge(e)) {
              // Kafka is up and answered: this record can never be stored, spooled or not.
              if (settled.compareAndSet(false, true)) {
                timeout.cancel();
                metrics.tooLarge.increment();
                result.completeExceptionally(new TooLargeException(e.getMessage()));
              }
            } else if (settled.compareAndSet(false, true)) {
              timeout.cancel();
              markDown(e.toString());
              toSpool(s, result);
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

  private void markDown(String why) {
    metrics.produceFailures.increment();
    if (kafkaUp) {
      LOG.warn("Kafka not accepting submissions ({}); spooling to disk", why);
    }
    kafkaUp = false;
  }

  private void toSpool(Submission s, CompletableFuture<Outcome> result) {
    spool
        .append(s)
        .whenComplete(
            (v, e) -> {
              if (e == null) {
                result.complete(Outcome.SPOOL);
              } else {
                result.completeExceptionally(e);
              }
            });
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
        if (batch.isEmpty()) {
          if (spool.records() == 0 && !up) {
            kafkaUp = true; // nothing to probe with; the next live submission probes
          }
          return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.submissions().size());
        int dropped = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis * 5);
        try {
          for (Submission s : batch.submissions()) {
            sent.add(producer.send(record(s)));
          }
          for (int i = 0; i < sent.size(); i++) {
            try {
              sent.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
              if (!isTooLarge(e.getCause())) {
                throw e;
              }
              // Spooled before Kafka could say so (a topic whose max.message.bytes is below the
              // producer's max.request.size): keeping it would stop the drain for good.
              Submission s = batch.submissions().get(i);
              LOG.error(
                  "dropping spooled submission {} ({} bytes): Kafka refuses it as too large ({})",
                  s.key(),
                  s.body().length,
                  e.getCause().getMessage());
              metrics.tooLarge.increment();
              dropped++;
            }
          }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
          markDown("drain: " + (e.getCause() == null ? e : e.getCause()));
          return;
        }
        spool.commit(batch);
        metrics.drained.increment(batch.submissions().size() - dropped);
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
