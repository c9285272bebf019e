package org.kindling.sink;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.kindling.core.ops.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer loop of the sink: a consumer group reading one topic into a {@link FileSink}. Any
 * failure (S3 down, a commit refused after a rebalance) drops the open files, closes the consumer
 * without committing and starts over from the committed offsets after a pause, which is exactly the
 * path a restarted process takes.
 */
final class SinkLoop implements Runnable, HealthCheck {
  private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final String name;
  private final String topic;
  private final Properties consumerProps;
  private final Function<Committer, FileSink<?>> sinkFactory;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile String failure = "starting";
  private volatile long restarts;

  SinkLoop(
      String name,
      String topic,
      Properties consumerProps,
      Function<Committer, FileSink<?>> sinkFactory) {
    this.name = name;
    this.topic = topic;
    this.consumerProps = consumerProps;
    this.sinkFactory = sinkFactory;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Result check() {
    String f = failure;
    return f == null ? Result.ok("consuming " + topic) : Result.failed(f);
  }

  /** How many times the loop started over after a failure. */
  long restarts() {
    return restarts;
  }

  @Override
  public void run() {
    long backoff = 500;
    while (running) {
      KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps);
      consumer = c;
      FileSink<?> sink = null;
      try {
        if (!running) {
          c.close();
          return;
        }
        FileSink<?> s =
            sinkFactory.apply(
                (tp, offset, metadata) ->
                    c.commitSync(Map.of(tp, new OffsetAndMetadata(offset, metadata))));
        sink = s;
        c.subscribe(List.of(topic), listener(s));
        while (running) {
          ConsumerRecords<byte[], byte[]> records;
          try {
            records = c.poll(POLL);
          } catch (WakeupException e) {
            break;
          }
          for (ConsumerRecord<byte[], byte[]> r : records) {
            s.accept(r);
          }
          s.maintain(System.nanoTime());
          failure = null;
          backoff = 500;
        }
        // graceful stop: land what is open, then leave the group
        s.flushAll();
        c.close();
        return;
      } catch (Exception e) {
        // as if the process died here: drop the open files before the consumer's close can
        // flush them, and commit nothing
        if (sink != null) {
          sink.abortAll();
        }
        closeQuietly(c);
        if (!running) {
          return;
        }
        restarts++;
        failure = name + " failed, restarting from the committed offsets: " + e;
        LOG.warn("{} failed; restarting from the committed offsets in {} ms", name, backoff, e);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      } finally {
        consumer = null;
      }
    }
  }

  private static void closeQuietly(KafkaConsumer<byte[], byte[]> c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the consumer after a failure", e);
    }
  }

  private static ConsumerRebalanceListener listener(FileSink<?> sink) {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // land what we have while the partitions are still ours; if that fails, the next
        // owner replays the batch from the committed offset
        for (TopicPartition tp : partitions) {
          try {
            sink.flush(tp);
          } catch (Exception e) {
            LOG.warn("cannot flush {} on revocation; its next owner replays it", tp, e);
            sink.revoked(tp);
          }
        }
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        partitions.forEach(sink::revoked);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        partitions.forEach(sink::assigned);
      }
    };
  }

  /** Stops the loop: it flushes, commits and leaves its group. */
  void stop() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
