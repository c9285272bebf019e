package org.kindling.logs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.ops.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records to Kafka and never gives one up: a send that fails (Kafka down longer than the
 * producer's delivery timeout, no metadata, a full buffer) is sent again after a backoff that
 * doubles up to 10 s, until it is acknowledged or the source shuts down. Callers learn of each
 * acknowledgement through {@link Acks}, which is what lets the file follower checkpoint only what
 * Kafka holds.
 *
 * <p>The number of records in flight (submitted, not yet acknowledged) is bounded by the callers:
 * they stop reading while {@link #hasCapacity()} is false (the file follower pauses, the syslog
 * listener stops reading its TCP connections) and are told through {@link #onCapacity} once half of
 * the bound is free again.
 *
 * <p>Sends happen on one thread of its own, so that a producer blocking on metadata or buffer space
 * ({@code max.block.ms}) never blocks a file reader or a Netty event loop.
 */
public final class PublishRecords implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PublishRecords.class);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 10_000;

  /** Told of the acknowledgement of each record submitted with it. */
  @FunctionalInterface
  public interface Acks {
    void acked();
  }

  private record Pending(ProducerRecord<String, byte[]> record, Acks acks) {}

  /** Records handed over together: one queue operation for a whole read of a file. */
  private record Job(List<ProducerRecord<String, byte[]>> records, Acks acks) {}

  private final Producer<String, byte[]> producer;
  private final int maxInflight;
  private final LogSourceMetrics metrics;
  private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger inflight = new AtomicInteger();
  private final AtomicBoolean waitingForCapacity = new AtomicBoolean();
  private final List<Runnable> capacityListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService retries;
  private final Thread sender;
  private final AtomicLong backoffMs = new AtomicLong(FIRST_BACKOFF_MS);
  private final AtomicLong abandoned = new AtomicLong();
  private volatile boolean running = true;
  private volatile String failure;

  /**
   * @param producer the producer, configured as {@link #producerProperties} does; closed with this
   * @param maxInflight records in flight at most ({@code logs.max.inflight.records})
   */
  public PublishRecords(
      Producer<String, byte[]> producer, int maxInflight, LogSourceMetrics metrics) {
    this.producer = producer;
    this.maxInflight = maxInflight;
    this.metrics = metrics;
    this.retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "logs-send-retry");
              t.setDaemon(true);
              return t;
            });
    this.sender = new Thread(this::sendLoop, "logs-send");
    this.sender.setDaemon(true);
    this.sender.start();
    metrics.gauge("logs_records_inflight", "Records sent and not yet acknowledged", inflight::get);
  }

  /**
   * The producer settings: the platform defaults (acks=all, idempotent) with String keys, and
   * {@code max.block.ms} = 5 s so that the send thread notices a shutdown soon even when Kafka is
   * unreachable (a send that times out waiting for metadata is retried like any other).
   */
  public static java.util.Properties producerProperties(KindlingConfig config) {
    java.util.Properties p = KafkaDefaults.producer(config, "log-source");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
    return p;
  }

  /** Hands {@code record} over; {@code acks} is told once Kafka has acknowledged it. */
  public void submit(ProducerRecord<String, byte[]> record, Acks acks) {
    inflight.incrementAndGet();
    queue.add(new Job(List.of(record), acks));
  }

  /** Hands {@code records} over; {@code acks} is told of each acknowledgement. */
  public void submitAll(List<ProducerRecord<String, byte[]>> records, Acks acks) {
    inflight.addAndGet(records.size());
    queue.add(new Job(records, acks));
  }

  /**
   * Whether callers may submit more; false when {@code logs.max.inflight.records} are in flight, in
   * which case the {@link #onCapacity} listeners run once half of them are acknowledged.
   */
  public boolean hasCapacity() {
    if (inflight.get() < maxInflight) {
      return true;
    }
    waitingForCapacity.set(true);
    // an ack may have come between the read and the flag
    if (inflight.get() < maxInflight) {
      signalCapacity();
      return true;
    }
    return false;
  }

  /** Registers a listener for free capacity (called on a Kafka client thread; must not block). */
  public void onCapacity(Runnable listener) {
    capacityListeners.add(listener);
  }

  /** Records submitted and not yet acknowledged. */
  public int inflight() {
    return inflight.get();
  }

  /** Records given up at shutdown without an acknowledgement. */
  public long abandoned() {
    return abandoned.get();
  }

  /** Whether the last send failed and nothing has been acknowledged since. */
  public boolean failing() {
    return failure != null;
  }

  /** The heartbeat check: failed while sends fail. */
  public HealthCheck healthCheck() {
    return new HealthCheck() {
      @Override
      public String name() {
        return "kafka-producer";
      }

      @Override
      public Result check() {
        String f = failure;
        return f == null
            ? Result.ok(inflight.get() + " record(s) in flight")
            : Result.failed(
                "sends failing, " + inflight.get() + " record(s) waiting to be sent again: " + f);
      }
    };
  }

  private void sendLoop() {
    while (running) {
      Job job;
      try {
        job = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (job != null) {
        for (ProducerRecord<String, byte[]> r : job.records()) {
          send(new Pending(r, job.acks()));
        }
      }
    }
  }

  private void send(Pending p) {
    try {
      producer.send(p.record(), (metadata, e) -> done(p, e));
    } catch (RuntimeException e) {
      done(p, e);
    }
  }

  private void done(Pending p, Exception e) {
    if (e == null) {
      failure = null;
      backoffMs.set(FIRST_BACKOFF_MS);
      metrics.recordsAcked.increment();
      p.acks().acked();
      if (inflight.decrementAndGet() <= maxInflight / 2) {
        signalCapacity();
      }
      return;
    }
    metrics.sendFailures.increment();
    if (failure == null) {
      LOG.warn(
          "Kafka did not take a record ({}); reading pauses at {} records in flight and every"
              + " record is sent again until Kafka takes it",
          e.toString(),
          maxInflight);
    }
    failure = e.getClass().getSimpleName();
    if (!running) {
      abandoned.incrementAndGet();
      inflight.decrementAndGet();
      return;
    }
    long delay = backoffMs.getAndUpdate(b -> Math.min(MAX_BACKOFF_MS, b * 2));
    try {
      retries.schedule(
          () -> queue.add(new Job(List.of(p.record()), p.acks())), delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      abandoned.incrementAndGet();
      inflight.decrementAndGet();
    }
  }

  private void signalCapacity() {
    if (waitingForCapacity.compareAndSet(true, false)) {
      for (Runnable r : capacityListeners) {
        r.run();
      }
    }
  }

  /**
   * Waits until every submitted record is acknowledged (sends failing meanwhile are retried), for
   * at most {@code timeout}; returns whether it got there.
   */
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inflight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return inflight.get() == 0;
  }

  /** Stops sending; what is still in flight is given up (and counted). */
  @Override
  public void close() {
    running = false;
    sender.interrupt();
    try {
      sender.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    retries.shutdownNow();
    for (Job j : queue) {
      abandoned.addAndGet(j.records().size());
    }
    queue.clear();
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("closing the producer failed: {}", e.toString());
    }
    int left = inflight.get();
    if (left > 0) {
      LOG.warn("{} record(s) were not acknowledged by Kafka before the shutdown", left);
    }
  }
}
