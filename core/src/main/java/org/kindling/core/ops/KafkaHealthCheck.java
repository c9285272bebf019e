package org.kindling.core.ops;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Heartbeat check that Kafka answers: a cluster description within a short timeout. The result is
 * cached for a second so that a load balancer polling the heartbeat does not load the brokers.
 */
public final class KafkaHealthCheck implements HealthCheck, AutoCloseable {
  private static final long CACHE_NANOS = Duration.ofSeconds(1).toNanos();

  private final Admin admin;
  private volatile Result cached;
  private volatile long cachedAt;

  /** Uses {@code admin}, which this check closes. */
  public KafkaHealthCheck(Admin admin) {
    this.admin = admin;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public Result check() {
    long now = System.nanoTime();
    Result r = cached;
    if (r != null && now - cachedAt < CACHE_NANOS) {
      return r;
    }
    try {
      int nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
              .nodes()
              .get(3, TimeUnit.SECONDS)
              .size();
      r = Result.ok(nodes + " broker(s) reachable");
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      r = Result.failed("Kafka unreachable: " + e.getClass().getSimpleName());
    }
    cached = r;
    cachedAt = now;
    return r;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
