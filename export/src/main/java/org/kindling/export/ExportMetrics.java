package org.kindling.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics of one destination, tagged {@code destination=<name>}: {@code export_delivered_total}
 * (records the destination acknowledged), {@code export_retried_total} (attempts that failed and
 * were retried), {@code export_failed_total{error_type}} (records sent to ingest.errors), {@code
 * export_lag} (records of its topics not yet delivered or recorded as failed) and {@code
 * export_in_flight} (batches being delivered).
 */
public final class ExportMetrics {
  private final MeterRegistry registry;
  private final String destination;
  private final Counter delivered;
  private final Counter retried;
  private final Map<String, Counter> failed = new ConcurrentHashMap<>();
  private final AtomicLong failedTotal = new AtomicLong();
  private final AtomicLong lag = new AtomicLong(-1);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Gauge lagGauge;
  private final Gauge inFlightGauge;

  public ExportMetrics(MeterRegistry registry, String destination) {
    this.registry = registry;
    this.destination = destination;
    this.delivered = registry.counter("export_delivered", "destination", destination);
    this.retried = registry.counter("export_retried", "destination", destination);
    for (String t :
        new String[] {
          FailureWriter.EXPORT_FAILED,
          FailureWriter.EXPORT_REJECTED,
          FailureWriter.EXPORT_UNENCODABLE
        }) {
      failedCounter(t);
    }
    // a registry keeps the first gauge of a name and tags, so a stopped service removes its own
    // (close) and a later one, in the same JVM, reports again
    registry.find("export_lag").tag("destination", destination).meters().forEach(registry::remove);
    registry
        .find("export_in_flight")
        .tag("destination", destination)
        .meters()
        .forEach(registry::remove);
    this.lagGauge =
        Gauge.builder("export_lag", lag, l -> Math.max(0, l.get()))
            .tag("destination", destination)
            .description(
                "records of the destination's topics not yet delivered or recorded as failed")
            .register(registry);
    this.inFlightGauge =
        Gauge.builder("export_in_flight", inFlight, AtomicInteger::get)
            .tag("destination", destination)
            .register(registry);
  }

  /** Removes the gauges, which would otherwise report this instance's last values forever. */
  public void close() {
    registry.remove(lagGauge);
    registry.remove(inFlightGauge);
  }

  private Counter failedCounter(String errorType) {
    return failed.computeIfAbsent(
        errorType,
        t -> registry.counter("export_failed", "destination", destination, "error_type", t));
  }

  void delivered(int n) {
    delivered.increment(n);
  }

  void retried() {
    retried.increment();
  }

  void failed(String errorType, int n) {
    failedCounter(errorType).increment(n);
    failedTotal.addAndGet(n);
  }

  void lag(long records) {
    lag.set(records);
  }

  void inFlight(int batches) {
    inFlight.set(batches);
  }

  /** Records delivered so far. */
  public long deliveredCount() {
    return (long) delivered.count();
  }

  /** Attempts retried so far. */
  public long retriedCount() {
    return (long) retried.count();
  }

  /** Records sent to ingest.errors so far. */
  public long failedCount() {
    return failedTotal.get();
  }

  /** The last measured lag, or -1 before the first measurement. */
  public long lag() {
    return lag.get();
  }
}
