package org.kindling.logs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.kindling.logs.rules.Rule;

/**
 * The log source's meters, snake_case, tagged by {@code input} (a followed file's path, {@code
 * syslog-tcp} or {@code syslog-udp}); counters per rule and per error type are created up front so
 * that counting a line is one increment.
 */
public final class LogSourceMetrics {
  /** Error type of a line a rule selected but that cannot become a document. */
  public static final String LOG_PARSE = "log_parse";

  /** Error type of a line or syslog message longer than {@code logs.max.line.bytes}. */
  public static final String LINE_TOO_LONG = "line_too_long";

  private final MeterRegistry registry;
  private final List<Rule> rules;
  private final Map<String, Input> inputs = new ConcurrentHashMap<>();

  /** Records sent and acknowledged, and sends that failed (and are retried). */
  public final Counter recordsAcked;

  public final Counter sendFailures;

  public final Counter checkpointWrites;

  public final Counter checkpointFailures;

  public LogSourceMetrics(MeterRegistry registry, List<Rule> rules) {
    this.registry = registry;
    this.rules = List.copyOf(rules);
    recordsAcked =
        Counter.builder("logs_records_acked")
            .description("Records (submissions and error records) that Kafka acknowledged")
            .register(registry);
    sendFailures =
        Counter.builder("logs_send_failures")
            .description("Sends that failed; the record is sent again after a backoff")
            .register(registry);
    checkpointWrites =
        Counter.builder("logs_checkpoint_writes")
            .description("Checkpoints written")
            .register(registry);
    checkpointFailures =
        Counter.builder("logs_checkpoint_failures")
            .description("Checkpoint writes that failed (retried at the next interval)")
            .register(registry);
  }

  /** A gauge, for the parts that own the measured value. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** The meters of one input, created on first use. */
  public Input input(String name) {
    return inputs.computeIfAbsent(name, n -> new Input(n, registry, rules));
  }

  /** The counters of one input. */
  public static final class Input {
    public final Counter read;
    public final Counter skipped;
    private final Counter[] matched;
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final AtomicLong lagBytes = new AtomicLong();
    private final String name;
    private final MeterRegistry registry;

    Input(String name, MeterRegistry registry, List<Rule> rules) {
      this.name = name;
      this.registry = registry;
      read =
          Counter.builder("logs_lines_read")
              .description("Lines (or syslog messages) read")
              .tag("input", name)
              .register(registry);
      skipped =
          Counter.builder("logs_lines_skipped")
              .description("Lines that no rule matched (not sent anywhere)")
              .tag("input", name)
              .register(registry);
      matched = new Counter[rules.size()];
      for (int i = 0; i < rules.size(); i++) {
        Rule r = rules.get(i);
        matched[i] =
            Counter.builder("logs_lines_matched")
                .description("Lines that a rule made a submission of")
                .tag("input", name)
                .tag("rule", r.name())
                .tag("namespace", r.namespace())
                .tag("document_type", r.type())
                .register(registry);
      }
      for (String type : List.of(LOG_PARSE, LINE_TOO_LONG)) {
        failed.put(type, failedCounter(type));
      }
    }

    private Counter failedCounter(String type) {
      return Counter.builder("logs_lines_failed")
          .description("Lines sent to ingest.errors")
          .tag("input", name)
          .tag("error_type", type)
          .register(registry);
    }

    /** Counts a line that rule number {@code rule} (in {@code logs.rules} order) matched. */
    public void matched(int rule) {
      matched[rule].increment();
    }

    public void failed(String errorType) {
      failed.computeIfAbsent(errorType, this::failedCounter).increment();
    }

    /** Registers {@code logs_lag_bytes} for this input, read from {@link #lagBytes(long)}. */
    public void registerLag() {
      Gauge.builder("logs_lag_bytes", lagBytes, AtomicLong::get)
          .description(
              "Bytes of the followed files (the current one and those rotated away that are still"
                  + " open) not yet acknowledged by Kafka")
          .tag("input", name)
          .register(registry);
    }

    public void lagBytes(long bytes) {
      lagBytes.set(bytes);
    }

    public String name() {
      return name;
    }
  }
}
