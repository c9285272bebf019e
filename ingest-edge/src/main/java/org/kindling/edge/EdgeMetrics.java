package org.kindling.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge's meters. Prometheus names: {@code edge_requests_total{status,namespace}}, {@code
 * edge_request_bytes_total{namespace}}, {@code edge_produce_latency_seconds} (histogram), {@code
 * edge_inflight_requests}, {@code edge_inflight_bytes}, {@code edge_spool_*}, {@code
 * edge_kafka_available}.
 */
final class EdgeMetrics {
  /** Namespaces come from clients; past this many distinct ones they are counted as "other". */
  static final int MAX_NAMESPACES = 100;

  private final MeterRegistry registry;
  private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
  final AtomicInteger inflightRequests = new AtomicInteger();
  final AtomicLong inflightBytes = new AtomicLong();
  final AtomicInteger connections = new AtomicInteger();
  final Timer produceLatency;
  final Counter drained;
  final Counter lateAcks;
  final Counter produceFailures;
  final Counter tooLarge;
  final Counter clientShareRefusals;

  EdgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("edge_inflight_requests", inflightRequests, AtomicInteger::get)
        .description("Requests being received or awaiting their ack")
        .register(registry);
    Gauge.builder("edge_inflight_bytes", inflightBytes, AtomicLong::get)
        .description("Request body bytes held in memory")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("edge_connections", connections, AtomicInteger::get)
        .description("Open client connections")
        .register(registry);
    produceLatency =
        Timer.builder("edge_produce_latency")
            .description("Time from send to the acks=all ack from Kafka")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    drained =
        Counter.builder("edge_spool_drained_records")
            .description("Spooled submissions written to Kafka")
            .register(registry);
    lateAcks =
        Counter.builder("edge_produce_late_acks")
            .description(
                "Kafka acks that came after the submission had been spooled (the spooled copy is skipped)")
            .register(registry);
    produceFailures =
        Counter.builder("edge_produce_failures")
            .description("Sends to Kafka that failed or timed out (the submission was spooled)")
            .register(registry);
    tooLarge =
        Counter.builder("edge_kafka_too_large")
            .description(
                "Submissions refused with 413 (or dropped from the spool) because Kafka cannot"
                    + " hold a record that large")
            .register(registry);
    clientShareRefusals =
        Counter.builder("edge_client_share_refusals")
            .description(
                "Submissions refused (503 or 507) because their client held its share of the"
                    + " in-flight bytes or of the spool")
            .register(registry);
  }

  /** Counts one answered request. */
  void request(int status, String namespace) {
    registry
        .counter("edge_requests", "status", Integer.toString(status), "namespace", tag(namespace))
        .increment();
  }

  /** Counts accepted body bytes. */
  void bytes(String namespace, long bytes) {
    registry.counter("edge_request_bytes", "namespace", tag(namespace)).increment(bytes);
  }

  private String tag(String namespace) {
    if (namespace == null) {
      return "none";
    }
    if (namespaces.contains(namespace)) {
      return namespace;
    }
    if (namespaces.size() < MAX_NAMESPACES) {
      namespaces.add(namespace);
      return namespace;
    }
    return "other";
  }
}
