package org.kindling.export;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.kindling.core.Service;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.ops.HealthCheck;
import org.kindling.export.config.DestinationConfig;
import org.kindling.export.config.DestinationKeys;
import org.kindling.export.config.ExportConfig;
import org.kindling.export.config.ParseDestinations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export stage: one {@link DestinationLoop} per configured destination, each with its own
 * consumer group {@code export-<name>}, thread and delivery threads, and one producer shared for
 * the failure records on ingest.errors. The configuration is read and every destination built in
 * the constructor, so a bad setting fails before anything starts.
 */
public final class ExportService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(ExportService.class);

  private final KindlingConfig config;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Sleeper sleeper;
  private final List<DestinationConfig> configs;
  private final List<Destination> destinations = new ArrayList<>();
  private final List<DestinationLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private Producer<byte[], byte[]> producer;

  /** The stage as configured. */
  public ExportService(KindlingConfig config, MeterRegistry registry) {
    this(config, registry, Clock.systemUTC(), Sleeper.REAL, System.out);
  }

  /** The stage with the given clock, sleeper (backoff waits) and standard output. */
  public ExportService(
      KindlingConfig config,
      MeterRegistry registry,
      Clock clock,
      Sleeper sleeper,
      PrintStream stdout) {
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.sleeper = sleeper;
    this.configs = ParseDestinations.parse(config);
    for (DestinationConfig c : configs) {
      destinations.add(Destinations.create(c, clock, stdout));
    }
  }

  /**
   * The configured destinations, without starting anything (for the start-up banner of {@code
   * kindling local} and for logs); fails like start-up on a bad setting.
   */
  public static List<DestinationInfo> describe(KindlingConfig config) {
    List<DestinationInfo> out = new ArrayList<>();
    for (DestinationConfig c : ParseDestinations.parse(config)) {
      out.add(info(c, Destinations.create(c, Clock.systemUTC(), System.out)));
    }
    return out;
  }

  private static DestinationInfo info(DestinationConfig c, Destination d) {
    return new DestinationInfo(
        c.name(), c.type().id(), d.target(), c.group(), Filter.of(c).topics());
  }

  @Override
  public String name() {
    return "export";
  }

  /** What this stage delivers to. */
  public List<DestinationInfo> destinations() {
    List<DestinationInfo> out = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      out.add(info(configs.get(i), destinations.get(i)));
    }
    return out;
  }

  @Override
  public void start() {
    if (configs.isEmpty()) {
      LOG.warn("export: no destinations configured ({} is empty)", ExportConfig.DESTINATIONS);
      return;
    }
    producer = new KafkaProducer<>(KafkaDefaults.producer(config, "export-failures"));
    for (int i = 0; i < configs.size(); i++) {
      DestinationLoop loop = loop(configs.get(i), destinations.get(i));
      loops.add(loop);
      Thread t = new Thread(loop, loop.name());
      t.start();
      threads.add(t);
      LOG.info("export: {}", loop.info());
    }
  }

  private DestinationLoop loop(DestinationConfig c, Destination d) {
    ExportMetrics metrics = new ExportMetrics(registry, c.name());
    DeliveryState state = new DeliveryState(clock);
    DeliverBatch deliver =
        new DeliverBatch(
            c.name(),
            d,
            backoff(c),
            c.getInt(DestinationKeys.RETRY_MAX_ATTEMPTS),
            new FailureWriter(producer, c.stage(), clock),
            metrics,
            state,
            sleeper);
    Properties props = KafkaDefaults.consumer(config, c.group(), c.group());
    return new DestinationLoop(
        info(c, d),
        props,
        d,
        Filter.of(c),
        deliver,
        metrics,
        state,
        c.getInt(DestinationKeys.MAX_IN_FLIGHT),
        limits(c),
        config.getDuration(ExportConfig.SHUTDOWN_TIMEOUT));
  }

  static Backoff backoff(DestinationConfig c) {
    return new Backoff(
        c.getDuration(DestinationKeys.RETRY_INITIAL_BACKOFF),
        c.getDuration(DestinationKeys.RETRY_MAX_BACKOFF),
        c.getDuration(DestinationKeys.RETRY_AFTER_MAX),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  static DestinationLoop.BatchLimits limits(DestinationConfig c) {
    return new DestinationLoop.BatchLimits(
        c.getInt(DestinationKeys.BATCH_MAX_RECORDS),
        c.getSize(DestinationKeys.BATCH_MAX_BYTES),
        c.getDuration(DestinationKeys.BATCH_MAX_WAIT));
  }

  /** The loop of destination {@code name}, or null (for tests). */
  public DestinationLoop loop(String name) {
    for (DestinationLoop l : loops) {
      if (l.info().name().equals(name)) {
        return l;
      }
    }
    return null;
  }

  @Override
  public List<HealthCheck> healthChecks() {
    return new ArrayList<>(loops);
  }

  @Override
  public void close() {
    loops.forEach(DestinationLoop::stop);
    long waitMs = config.getDuration(ExportConfig.SHUTDOWN_TIMEOUT).toMillis() + 15_000;
    for (Thread t : threads) {
      try {
        t.join(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    loops.forEach(l -> l.metrics().close());
    if (producer != null) {
      producer.close();
    }
    destinations.forEach(Destination::close);
    LOG.info("export stopped");
  }
}
