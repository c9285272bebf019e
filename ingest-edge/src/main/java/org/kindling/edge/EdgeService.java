package org.kindling.edge;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kindling.core.Service;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.RecordLimits;
import org.kindling.core.ops.HealthCheck;
import org.kindling.core.ops.KafkaHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge stage: the HTTP server on {@code edge.port} (submissions and the load balancer's
 * endpoints; metrics and the detailed heartbeat are served on {@code ops.port} by whoever runs the
 * stage, from the registry and {@link #healthChecks()}), the Kafka producer into {@code ingest.raw}
 * and the local spool. {@link #close()} stops accepting, lets in-flight submissions finish, flushes
 * the producer and keeps whatever is left in the spool for the next start.
 */
public final class EdgeService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeService.class);
  private static final Duration HEALTH_REFRESH = Duration.ofSeconds(2);
  private static final long BUFFER_HEADROOM = 16L << 20;
  // Record batch framing around one record: what max.message.bytes counts beyond the record.
  private static final int BATCH_OVERHEAD = 128;

  private final KindlingConfig config;
  private final MeterRegistry registry;
  private final Producer<String, byte[]> producer;
  private final Admin admin;
  private final Clock clock;
  private volatile HealthCheck.Result adminResult = HealthCheck.Result.ok("not checked yet");
  private Spool spool;
  private Dispatcher dispatcher;
  private EdgeContext context;
  private EdgeServer server;
  private KafkaHealthCheck adminCheck;
  private ScheduledExecutorService health;
  private KafkaClientMetrics producerMetrics;

  /** The edge with a Kafka producer and admin client built from {@code config}. */
  public EdgeService(KindlingConfig config, MeterRegistry registry) {
    this(config, registry, new KafkaProducer<>(producerProperties(config)), null, true);
  }

  /**
   * The edge writing through {@code producer} (closed with the service), which should be configured
   * as {@link #producerProperties} does; for tests.
   */
  public EdgeService(
      KindlingConfig config, MeterRegistry registry, Producer<String, byte[]> producer) {
    this(config, registry, producer, Clock.systemUTC(), false);
  }

  private EdgeService(
      KindlingConfig config,
      MeterRegistry registry,
      Producer<String, byte[]> producer,
      Clock clock,
      boolean withAdmin) {
    this.config = config;
    this.registry = registry;
    this.producer = producer;
    this.clock = clock == null ? Clock.systemUTC() : clock;
    this.admin = withAdmin ? Admin.create(KafkaDefaults.admin(config)) : null;
  }

  /**
   * The producer settings of the edge: the platform defaults (acks=all, idempotent) with String
   * keys and {@code max.block.ms=0}, so that {@code send()} never blocks an event loop: without
   * partition metadata or buffer space it fails at once and the submission goes to the spool.
   */
  public static Properties producerProperties(KindlingConfig config) {
    Properties p = KafkaDefaults.producer(config, "ingest-edge");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
    Map<String, String> explicit = config.withPrefix(CoreConfig.KAFKA_PRODUCER_PREFIX);
    // The producer's buffer holds every body in flight: smaller than edge.max.inflight.bytes, a
    // full buffer would fail sends to a healthy Kafka at once (max.block.ms=0) and spool them.
    long buffer = config.getSize(EdgeConfig.MAX_INFLIGHT_BYTES) + BUFFER_HEADROOM;
    putUnlessSet(p, explicit, ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(buffer));
    // Metadata forgotten after idle minutes would fail the first send at once (max.block.ms=0);
    // the health task also asks for it every few seconds.
    putUnlessSet(p, explicit, ProducerConfig.METADATA_MAX_IDLE_CONFIG, "86400000");
    // A send's final answer within half a minute: the drain waits for it, and so does a client
    // whose spool append failed after a timeout.
    putUnlessSet(p, explicit, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
    putUnlessSet(p, explicit, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    return p;
  }

  private static void putUnlessSet(
      Properties p, Map<String, String> explicit, String key, String value) {
    if (!explicit.containsKey(key)) {
      p.put(key, value);
    }
  }

  /** The producer's {@code max.request.size}: the largest record the edge can write. */
  static long maxRequestSize(KindlingConfig config) {
    Object v = producerProperties(config).get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return v == null ? 1_048_576 : Long.parseLong(v.toString()); // Kafka's default when unset
  }

  @Override
  public String name() {
    return "ingest-edge";
  }

  @Override
  public void start() throws Exception {
    // a body the validator would reject must still fit its failure record on ingest.errors
    RecordLimits.checkBody(
        config, EdgeConfig.MAX_PAYLOAD_BYTES, config.getSize(EdgeConfig.MAX_PAYLOAD_BYTES));
    EdgeMetrics metrics = new EdgeMetrics(registry);
    spool =
        Spool.open(
            config.getPath(EdgeConfig.SPOOL_DIR),
            config.getSize(EdgeConfig.SPOOL_MAX_BYTES),
            config.getSize(EdgeConfig.SPOOL_SEGMENT_BYTES),
            registry);
    Duration produceTimeout = config.getDuration(EdgeConfig.PRODUCE_TIMEOUT);
    dispatcher =
        new Dispatcher(
            producer,
            spool,
            maxRequestSize(config),
            produceTimeout,
            config.getDuration(EdgeConfig.SPOOL_DRAIN_INTERVAL),
            metrics,
            config.getDouble(EdgeConfig.CLIENT_MAX_SHARE));
    Gauge.builder("edge_spool_refused_records", dispatcher, Dispatcher::refused)
        .description("Spooled submissions Kafka refused for good, kept on disk and retried")
        .register(registry);
    // The producer's own metrics (send rate, buffer, request latency, errors) on /metrics.
    producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(registry);
    Gauge.builder("edge_kafka_available", dispatcher, d -> d.kafkaAvailable() ? 1 : 0)
        .description("1 while Kafka accepts submissions, 0 while the edge spools")
        .register(registry);
    fetchMetadata(produceTimeout.multipliedBy(5));
    health =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "edge-health");
              t.setDaemon(true);
              return t;
            });
    if (admin != null) {
      adminCheck = new KafkaHealthCheck(admin);
      // The admin check blocks up to seconds; it runs here, never on an event loop.
      health.scheduleWithFixedDelay(
          () -> {
            adminResult = adminCheck.check();
            readTopicLimit();
          },
          0,
          HEALTH_REFRESH.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    health.scheduleWithFixedDelay(
        this::keepMetadata,
        HEALTH_REFRESH.toMillis(),
        HEALTH_REFRESH.toMillis(),
        TimeUnit.MILLISECONDS);
    context =
        new EdgeContext(
            config, dispatcher, spool, metrics, registry, kafkaCheck(), clock, hostName());
    dispatcher.start();
    server =
        new EdgeServer(
            config.getString(EdgeConfig.HOST),
            config.getInt(EdgeConfig.PORT),
            config.getInt(EdgeConfig.IO_THREADS),
            new EdgeInitializer(context, (int) config.getSize(EdgeConfig.MAX_HEADER_SIZE)));
    LOG.info("ingest-edge listening on port {}", server.port());
  }

  /**
   * Asks the producer for the partitions of ingest.raw until it has them, so that the first
   * submissions find metadata (with max.block.ms=0 a send without metadata fails at once).
   */
  private void fetchMetadata(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (!producer.partitionsFor(Topics.RAW.name()).isEmpty()) {
          return;
        }
      } catch (RuntimeException e) {
        // org.apache.kafka.common.errors.TimeoutException until the metadata has arrived
      }
      Thread.sleep(50);
    }
    LOG.warn("no metadata for {} yet; submissions go to the spool until Kafka answers", Topics.RAW);
  }

  /**
   * Reads the {@code max.message.bytes} of ingest.raw, so that a submission Kafka would refuse is
   * answered 413 before it is accepted (and never spooled), also after an operator changed the
   * topic.
   */
  private void readTopicLimit() {
    try {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.RAW.name());
      Config c = admin.describeConfigs(List.of(topic)).all().get(5, TimeUnit.SECONDS).get(topic);
      ConfigEntry e = c == null ? null : c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      if (e != null && e.value() != null) {
        long limit = Math.min(maxRequestSize(config), Long.parseLong(e.value()) - BATCH_OVERHEAD);
        if (limit != dispatcher.maxRecordBytes()) {
          LOG.info("{} takes records up to {} bytes", Topics.RAW, limit);
          dispatcher.maxRecordBytes(limit);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debug("cannot read the settings of {}: {}", Topics.RAW, e.toString());
    }
  }

  /** Keeps the producer's metadata of ingest.raw fresh (see {@link #producerProperties}). */
  private void keepMetadata() {
    try {
      producer.partitionsFor(Topics.RAW.name());
    } catch (RuntimeException e) {
      // not there yet: the producer fetches it; the next submissions spool until it has it
    }
  }

  private HealthCheck kafkaCheck() {
    return new HealthCheck() {
      @Override
      public String name() {
        return "kafka";
      }

      @Override
      public Result check() {
        if (!dispatcher.kafkaAvailable()) {
          return Result.failed("Kafka not accepting submissions; spooling");
        }
        return admin == null ? Result.ok("producing") : adminResult;
      }
    };
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return null;
    }
  }

  /** The bound HTTP port (useful with {@code edge.port=0}). */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.port();
  }

  /** The spool (for tests and the benchmark). */
  public Spool spool() {
    return spool;
  }

  /**
   * The edge's checks for the detailed heartbeat on {@code ops.port} (named after the stage, next
   * to the other stages' checks and the endpoint's own {@code kafka} check): whether the edge can
   * produce to Kafka, and the spool's room.
   */
  @Override
  public List<HealthCheck> healthChecks() {
    if (context == null) {
      return List.of();
    }
    return List.of(
        named("ingest_edge_kafka", () -> context.kafkaCheck.check()),
        named("ingest_edge_spool", () -> context.spoolCheck()));
  }

  private static HealthCheck named(String name, Supplier<HealthCheck.Result> check) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result check() {
        return check.get();
      }
    };
  }

  /**
   * Stops at once, as a killed process would: connections are dropped without answers, nothing in
   * flight is waited for, the producer's buffer is discarded and the spool is not drained. What was
   * answered 200 is in Kafka or in the spool on disk, and the next start sends the spool. For fault
   * tests; {@link #close()} is the graceful stop.
   */
  public void halt() {
    if (server != null) {
      server.close();
    }
    stopBehindServer(Duration.ZERO);
  }

  @Override
  public void close() {
    Duration timeout = config.getDuration(EdgeConfig.SHUTDOWN_TIMEOUT);
    if (server != null) {
      server.stopAccepting();
      EdgeServer.await(() -> context.metrics.inflightRequests.get() == 0, timeout);
      server.close();
    }
    stopBehindServer(timeout);
    if (spool != null && spool.records() > 0) {
      LOG.info("{} submission(s) stay in the spool for the next start", spool.records());
    }
  }

  /** Stops what is behind the HTTP server, giving the drain and the producer {@code timeout}. */
  private void stopBehindServer(Duration timeout) {
    if (dispatcher != null) {
      dispatcher.stopDraining(timeout);
    }
    try {
      producer.close(timeout);
    } catch (RuntimeException e) {
      LOG.warn("closing the producer failed", e);
    }
    if (producerMetrics != null) {
      producerMetrics.close();
    }
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (spool != null) {
      spool.close();
    }
    if (health != null) {
      health.shutdownNow();
    }
    if (adminCheck != null) {
      adminCheck.close();
    } else if (admin != null) {
      admin.close(timeout.isZero() ? Duration.ZERO : Duration.ofSeconds(2));
    }
  }
}
