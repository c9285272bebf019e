package org.kindling.core.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.kindling.core.ops.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer loop that starts over after any failure: a fresh consumer, a fresh session, from the
 * committed offsets, after a backoff that doubles up to 30 s, which is exactly the path a restarted
 * process takes. The subclass says what one session does ({@link #consume}) and how to drop what a
 * failed session held ({@link #abandon}). Also the loop's heartbeat check: failed while a session
 * has not polled successfully since the last failure.
 */
public abstract class ConsumerLoop implements Runnable, HealthCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final long FIRST_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final String name;
  private final Properties consumerProps;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile String failure = "starting";
  private volatile long restarts;
  private long backoff = FIRST_BACKOFF_MS;

  /**
   * @param name the loop's name (its consumer group, for logs and the heartbeat)
   * @param consumerProps the consumer's settings (see {@link KafkaDefaults#consumer})
   */
  protected ConsumerLoop(String name, Properties consumerProps) {
    this.name = name;
    this.consumerProps = consumerProps;
  }

  /**
   * One session: consumes with {@code consumer} until {@link #running()} turns false, then lands
   * what it holds and returns; throws on any failure (the loop then starts over).
   */
  protected abstract void consume(KafkaConsumer<byte[], byte[]> consumer) throws Exception;

  /**
   * After {@link #consume} threw, before the consumer is closed: drop what the session held without
   * landing or committing it, as if the process had died.
   */
  protected void abandon() {}

  /** The heartbeat's detail while the loop is healthy. */
  protected abstract String healthyDetail();

  /** Whether the loop should go on (false once {@link #stop()} was called). */
  protected final boolean running() {
    return running;
  }

  /**
   * Polls; null when {@link #stop()} woke the consumer. A poll that returns marks the loop healthy
   * and resets the backoff.
   */
  protected final ConsumerRecords<byte[], byte[]> poll(
      KafkaConsumer<byte[], byte[]> c, Duration timeout) {
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = c.poll(timeout);
    } catch (WakeupException e) {
      return null;
    }
    failure = null;
    backoff = FIRST_BACKOFF_MS;
    return records;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Result check() {
    String f = failure;
    return f == null ? Result.ok(healthyDetail()) : Result.failed(f);
  }

  /** How many times the loop started over after a failure. */
  public final long restarts() {
    return restarts;
  }

  @Override
  public final void run() {
    while (running) {
      KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps);
      consumer = c;
      try {
        if (running) {
          consume(c);
        }
        c.close();
        return;
      } catch (Exception e) {
        abandon();
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

  /** Stops the loop: the session lands what it holds and returns, and the consumer leaves. */
  public void stop() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
