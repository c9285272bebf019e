package org.kindling.export;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Topics;
import org.kindling.core.kafka.ConsumerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination's consumer loop, in its own consumer group ({@code export-<name>}) and thread,
 * with its own delivery threads: whatever this destination does (stall, fail, refuse), no other
 * destination and no other stage waits for it.
 *
 * <p>Records the filter takes are encoded and batched ({@link Batcher}); at most {@code
 * max.in.flight} batches are delivered at once ({@link DeliverBatch}, on the delivery threads);
 * while more are ready the consumer pauses its partitions (it keeps polling, so it stays in the
 * group). Offsets are committed only up to the first record not yet acknowledged or durably
 * recorded as failed ({@link OffsetTracker}), so a crash at any point sends again rather than
 * loses. Any failure of the session (Kafka, a failure record that cannot be written) drops what it
 * holds and starts over from the committed offsets ({@link ConsumerLoop}).
 */
public final class DestinationLoop extends ConsumerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationLoop.class);
  private static final Duration POLL = Duration.ofMillis(100);
  // Commits at most once a second when only skipped records moved the position; a completed
  // batch is committed at once.
  private static final long COMMIT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  // The lag asks the brokers for end offsets; every 2 s is enough for a dashboard.
  private static final long LAG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final DestinationInfo info;
  private final Destination destination;
  private final Filter filter;
  private final DeliverBatch deliver;
  private final ExportMetrics metrics;
  private final DeliveryState state;
  private final int maxInFlight;
  private final BatchLimits limits;
  private final Duration shutdownTimeout;
  private volatile Session session;

  /**
   * Batch limits of a destination.
   *
   * @param maxRecords records per batch
   * @param maxBytes encoded bytes per batch
   * @param maxWait how long the first record of a batch may wait
   */
  public record BatchLimits(int maxRecords, long maxBytes, Duration maxWait) {}

  public DestinationLoop(
      DestinationInfo info,
      Properties consumerProps,
      Destination destination,
      Filter filter,
      DeliverBatch deliver,
      ExportMetrics metrics,
      DeliveryState state,
      int maxInFlight,
      BatchLimits limits,
      Duration shutdownTimeout) {
    super(info.group(), consumerProps);
    this.info = info;
    this.destination = destination;
    this.filter = filter;
    this.deliver = deliver;
    this.metrics = metrics;
    this.state = state;
    this.maxInFlight = maxInFlight;
    this.limits = limits;
    this.shutdownTimeout = shutdownTimeout;
  }

  /** The destination this loop delivers to. */
  public DestinationInfo info() {
    return info;
  }

  public ExportMetrics metrics() {
    return metrics;
  }

  @Override
  protected String healthyDetail() {
    StringBuilder sb = new StringBuilder();
    sb.append(info.type()).append(" -> ").append(info.target());
    sb.append(": delivered ").append(metrics.deliveredCount());
    sb.append(", failed ").append(metrics.failedCount());
    long lag = metrics.lag();
    sb.append(", lag ").append(lag < 0 ? "unknown" : Long.toString(lag));
    Session s = session;
    sb.append(", in flight ").append(s == null ? 0 : s.inFlight.get());
    Instant since = state.failingSince();
    if (since != null) {
      sb.append("; failing since ").append(since).append(": ").append(state.lastFailure());
    }
    return sb.toString();
  }

  @Override
  protected void consume(KafkaConsumer<byte[], byte[]> c) throws Exception {
    Session s = new Session(c);
    session = s;
    c.subscribe(filter.topics(), s);
    ConsumerRecords<byte[], byte[]> records;
    while (running() && (records = poll(c, POLL)) != null) {
      s.accept(records);
      s.maintain();
    }
    s.finish();
    session = null;
  }

  @Override
  protected void abandon() {
    Session s = session;
    if (s != null) {
      s.abandon();
      session = null;
    }
  }

  /** A finished delivery: the batch, or the failure that kept it from finishing. */
  private record Completion(Batch batch, Throwable failure) {}

  /** One consumer session: what it read, batched, has in flight and committed. */
  private final class Session implements ConsumerRebalanceListener {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final OffsetTracker tracker = new OffsetTracker();
    private final Batcher batcher =
        new Batcher(limits.maxRecords(), limits.maxBytes(), limits.maxWait());
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    private final LinkedBlockingQueue<Completion> done = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final ExecutorService workers;
    private long lastCommit = System.nanoTime();
    private long lastLag;
    private boolean progress;

    Session(KafkaConsumer<byte[], byte[]> consumer) {
      this.consumer = consumer;
      AtomicInteger n = new AtomicInteger();
      this.workers =
          Executors.newFixedThreadPool(
              maxInFlight,
              r -> {
                Thread t = new Thread(r, info.group() + "-send-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }

    void accept(ConsumerRecords<byte[], byte[]> records) {
      long now = System.nanoTime();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (Topics.ENRICHED.name().equals(r.topic())
            && !(filter.documents()
                && filter.matchesDoctype(
                    AttributeHeaders.get(r.headers(), Attributes.DOCUMENT_NAMESPACE),
                    AttributeHeaders.get(r.headers(), Attributes.DOCUMENT_TYPE)))) {
          // skipped on its headers: a large ping another destination wants is not parsed here
          tracker.received(tp, r.offset(), false);
          continue;
        }
        ExportRecord er = ReadRecord.read(r);
        if (er == null || !filter.matches(er)) {
          tracker.received(tp, r.offset(), false);
          continue;
        }
        tracker.received(tp, r.offset(), true);
        ready.addAll(batcher.add(encode(er), now));
      }
    }

    private Item encode(ExportRecord r) {
      try {
        return Item.of(r, destination.encode(r));
      } catch (UnencodableException e) {
        return Item.unencodable(r, e.getMessage());
      } catch (RuntimeException e) {
        return Item.unencodable(r, e.toString());
      }
    }

    /** Completions, due batches, dispatch, back-pressure, commits and the lag. */
    void maintain() {
      try {
        drainCompletions();
        Batch due = batcher.due(System.nanoTime());
        if (due != null) {
          ready.add(due);
        }
        dispatch();
        Set<TopicPartition> assigned = consumer.assignment();
        if (!ready.isEmpty()) {
          consumer.pause(assigned);
        } else if (!consumer.paused().isEmpty()) {
          consumer.resume(consumer.paused());
        }
        commit(false);
        measureLag();
      } catch (WakeupException e) {
        if (running()) {
          throw e;
        }
        // stop() woke a blocking call; finish() lands what is held
      }
    }

    private void dispatch() {
      while (inFlight.get() < maxInFlight && !ready.isEmpty()) {
        Batch b = ready.poll();
        inFlight.incrementAndGet();
        metrics.inFlight(inFlight.get());
        workers.execute(
            () -> {
              try {
                deliver.deliver(b);
                done.add(new Completion(b, null));
              } catch (InterruptedException e) {
                // abandoned: neither delivered nor recorded, so not committed; sent again later
                Thread.currentThread().interrupt();
              } catch (RuntimeException | Error e) {
                done.add(new Completion(b, e));
              }
            });
      }
    }

    private void drainCompletions() {
      Completion c;
      while ((c = done.poll()) != null) {
        complete(c);
      }
    }

    private void complete(Completion c) {
      inFlight.decrementAndGet();
      metrics.inFlight(inFlight.get());
      if (c.failure() != null) {
        throw new IllegalStateException(
            info.name() + ": a delivery could not finish: " + c.failure(), c.failure());
      }
      for (Item item : c.batch().items()) {
        ExportRecord r = item.record();
        tracker.completed(new TopicPartition(r.topic(), r.partition()), r.offset());
      }
      progress = true;
    }

    private void commit(boolean force) {
      long now = System.nanoTime();
      if (!force && !progress && now - lastCommit < COMMIT_INTERVAL_NANOS) {
        return;
      }
      commit(consumer.assignment());
      lastCommit = now;
      progress = false;
    }

    private void commit(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      tracker
          .committable(partitions, consumer::position)
          .forEach(
              (tp, offset) -> {
                if (!offset.equals(committed.get(tp))) {
                  offsets.put(tp, new OffsetAndMetadata(offset));
                }
              });
      if (!offsets.isEmpty()) {
        consumer.commitSync(offsets);
        offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
      }
    }

    private void measureLag() {
      long now = System.nanoTime();
      if (now - lastLag < LAG_INTERVAL_NANOS) {
        return;
      }
      lastLag = now;
      Set<TopicPartition> assigned = consumer.assignment();
      if (assigned.isEmpty()) {
        return;
      }
      try {
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(2));
        long lag = 0;
        for (TopicPartition tp : assigned) {
          long first = tracker.firstPending(tp);
          long base = first >= 0 ? first : consumer.position(tp, Duration.ofMillis(500));
          Long e = end.get(tp);
          lag += e == null ? 0 : Math.max(0, e - base);
        }
        metrics.lag(lag);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        LOG.debug("{}: lag not measured this time: {}", info.name(), e.toString());
      }
    }

    /** Graceful stop: send what is held, wait for it up to the shutdown timeout, commit. */
    void finish() throws InterruptedException {
      Batch last = batcher.drain();
      if (last != null) {
        ready.add(last);
      }
      long deadline = System.nanoTime() + shutdownTimeout.toNanos();
      while ((!ready.isEmpty() || inFlight.get() > 0) && System.nanoTime() < deadline) {
        dispatch();
        Completion c = done.poll(100, TimeUnit.MILLISECONDS);
        if (c != null) {
          complete(c);
        }
      }
      drainCompletions();
      int left = inFlight.get() + ready.size();
      if (left > 0) {
        LOG.warn(
            "{}: {} batch(es) unfinished after {}; not committed, so the next start sends them"
                + " again",
            info.name(),
            left,
            shutdownTimeout);
      }
      workers.shutdownNow();
      try {
        commit(true);
      } catch (WakeupException e) {
        // stop() came after the last poll: the wake-up is spent now, so commit once more
        commit(true);
      }
      workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** A failed session: drop everything without committing, as a crash would. */
    void abandon() {
      workers.shutdownNow();
      batcher.clear();
      ready.clear();
      done.clear();
      inFlight.set(0);
      metrics.inFlight(0);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // commit what is done while the partitions are still ours; their records still in flight
      // are delivered anyway, and read again by the next owner (at least once)
      try {
        drainCompletions();
        commit(partitions);
      } catch (KafkaException e) {
        LOG.warn(
            "{}: cannot commit {} on revocation; the next owner re-sends",
            info.name(),
            partitions,
            e);
      }
      tracker.forget(partitions);
      committed.keySet().removeAll(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      tracker.forget(partitions);
      committed.keySet().removeAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("{}: reading {}", info.name(), partitions);
    }
  }
}
