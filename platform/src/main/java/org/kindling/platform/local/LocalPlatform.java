package org.kindling.platform.local;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsConfig;
import org.kindling.core.Service;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.TopicAdmin;
import org.kindling.core.ops.Meters;
import org.kindling.core.ops.OpsServer;
import org.kindling.edge.EdgeConfig;
import org.kindling.edge.EdgeService;
import org.kindling.geo.GeoEnricherService;
import org.kindling.sink.S3SinkService;
import org.kindling.sink.SinkConfig;
import org.kindling.sink.SinkHooks;
import org.kindling.validator.ValidatorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform in one JVM: an embedded KRaft broker and S3 server (each replaceable by an
 * external one), the edge, the validator, the geo-enricher, the s3-sink and the dashboard's static
 * server. The edge starts first, right after Kafka and the topics: it needs nothing else, so
 * clients are answered within seconds of a start, also after a crash while the Streams apps still
 * restore their state. {@link #close()} stops the edge first (it drains), then the apps, then the
 * infrastructure.
 */
public final class LocalPlatform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<Service> services = new CopyOnWriteArrayList<>();
  private final Map<String, Supplier<Service>> factories = new HashMap<>();
  private final PrometheusMeterRegistry registry = Meters.prometheus();
  private KindlingConfig config;
  private EmbeddedKafka kafka;
  private EmbeddedS3 s3;
  private EdgeService edge;
  private OpsServer ops;
  private DashboardServer dashboard;
  private URI publicBucket;

  private final SinkHooks sinkHooks;

  private LocalPlatform(SinkHooks sinkHooks) {
    this.sinkHooks = sinkHooks;
  }

  /** Starts every enabled piece; on failure, stops what already started and rethrows. */
  public static LocalPlatform start(KindlingConfig config) throws Exception {
    return start(config, SinkHooks.NONE);
  }

  /**
   * As {@link #start(KindlingConfig)}, with hooks inside the sink's flush where fault tests make it
   * fail as a crashed process would.
   */
  public static LocalPlatform start(KindlingConfig config, SinkHooks sinkHooks) throws Exception {
    LocalPlatform p = new LocalPlatform(sinkHooks);
    try {
      p.startAll(config);
      return p;
    } catch (Exception | Error e) {
      p.close();
      throw e;
    }
  }

  private void startAll(KindlingConfig base) throws Exception {
    Path data = base.getPath(LocalConfig.DATA_DIR).toAbsolutePath();
    Map<String, String> o = new HashMap<>();
    // Local state lives under the data folder unless a key was set explicitly.
    derive(base, o, CoreConfig.STREAMS_STATE_DIR, data.resolve("streams").toString());
    derive(base, o, EdgeConfig.SPOOL_DIR, data.resolve("edge-spool").toString());
    // The simulator runs on this machine and names its clients in X-Forwarded-For.
    derive(base, o, EdgeConfig.TRUSTED_PROXIES, "127.0.0.1/32,::1/128");
    // One instance of each Streams app: there is nowhere to place a standby replica (Streams would
    // warn so at every rebalance).
    String standbys = CoreConfig.KAFKA_STREAMS_PREFIX + StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG;
    if (!base.withPrefix(CoreConfig.KAFKA_STREAMS_PREFIX)
        .containsKey(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)) {
      o.put(standbys, "0");
    }
    if (base.getBoolean(LocalConfig.KAFKA_EMBEDDED)) {
      kafka = new EmbeddedKafka(data.resolve("kafka"), base.getInt(LocalConfig.KAFKA_PORT));
      closeables.add(kafka);
      kafka.start();
      o.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      o.put(CoreConfig.TOPICS_REPLICATION_FACTOR, "1");
      o.put(CoreConfig.TOPICS_MIN_INSYNC_REPLICAS, "1");
    }
    List<String> buckets =
        List.of(
            base.getString(SinkConfig.BUCKET_LAKE),
            base.getString(SinkConfig.BUCKET_LANDFILL),
            base.getString(SinkConfig.BUCKET_PUBLIC));
    if (base.getBoolean(LocalConfig.S3_EMBEDDED)) {
      s3 = new EmbeddedS3(data.resolve("s3"), base.getInt(LocalConfig.S3_PORT));
      closeables.add(s3);
      s3.start(buckets, List.of(base.getString(SinkConfig.BUCKET_PUBLIC)));
      o.put(SinkConfig.STORE, "s3");
      o.put(SinkConfig.ENDPOINT, s3.endpoint().toString());
      o.put(SinkConfig.ACCESS_KEY_ID, EmbeddedS3.ACCESS_KEY);
      o.put(SinkConfig.SECRET_ACCESS_KEY, EmbeddedS3.SECRET_KEY);
      o.put(SinkConfig.PATH_STYLE, "true");
      // S3Proxy has no bucket policies or CORS rules (CORS comes from its own settings).
      derive(base, o, SinkConfig.PUBLIC_ACCESS, "object-acl");
    }
    config = base.with(o);
    new TopicAdmin(config).ensureTopics();

    String endpoint = config.getString(SinkConfig.ENDPOINT);
    publicBucket =
        endpoint.isEmpty()
            ? URI.create(
                "https://" + config.getString(SinkConfig.BUCKET_PUBLIC) + ".s3.amazonaws.com")
            : URI.create(
                endpoint.replaceAll("/+$", "") + "/" + config.getString(SinkConfig.BUCKET_PUBLIC));

    // The edge first: it needs only Kafka (or only its spool), so after a crash clients are
    // answered within seconds while the Streams apps restore their state behind it.
    if (config.getBoolean(LocalConfig.EDGE_ENABLED)) {
      edge = new EdgeService(config, registry);
      startService(edge);
    }
    factories.put(
        "s3-sink",
        () ->
            new S3SinkService(
                config, registry, S3SinkService.Parts.CONFIGURED.withHooks(sinkHooks)));
    factories.put("geo-enricher", () -> new GeoEnricherService(config, registry));
    factories.put("validator", () -> new ValidatorService(config, registry));
    if (config.getBoolean(LocalConfig.SINK_ENABLED)) {
      startService(factories.get("s3-sink").get());
    }
    if (config.getBoolean(LocalConfig.GEO_ENABLED)) {
      startService(factories.get("geo-enricher").get());
    }
    if (config.getBoolean(LocalConfig.VALIDATOR_ENABLED)) {
      startService(factories.get("validator").get());
    }
    // Every stage's checks, asked at every heartbeat: a restarted stage is checked too. The edge's
    // port answers its load balancer's heartbeat without details.
    ops = OpsServer.forServices(config, registry, this::services);
    closeables.add(ops);
    if (config.getBoolean(LocalConfig.DASHBOARD_ENABLED)) {
      dashboard =
          new DashboardServer(
              config.getPath(LocalConfig.DASHBOARD_DIR).toAbsolutePath(),
              config.getInt(LocalConfig.DASHBOARD_PORT),
              publicBucket);
      closeables.add(dashboard);
    }
  }

  private static void derive(KindlingConfig base, Map<String, String> o, String key, String v) {
    ConfigKey k = base.definitions().keys().get(key);
    String current = base.asText().get(key);
    if (k != null && Objects.equals(current, k.defaultValue())) {
      o.put(key, v);
    }
  }

  private void startService(Service s) throws Exception {
    services.add(s);
    long t = System.nanoTime();
    s.start();
    LOG.info("{} started in {} ms", s.name(), (System.nanoTime() - t) / 1_000_000);
  }

  /**
   * Stops one of the Streams apps or the sink ({@code validator}, {@code geo-enricher}, {@code
   * s3-sink}) and starts a fresh instance in its place, as a redeploy would.
   */
  public synchronized void restart(String stage) throws Exception {
    Supplier<Service> factory = factories.get(stage);
    if (factory == null) {
      throw new IllegalArgumentException(
          "cannot restart " + stage + "; one of " + factories.keySet());
    }
    for (int i = 0; i < services.size(); i++) {
      if (services.get(i).name().equals(stage)) {
        services.get(i).close();
        Service fresh = factory.get();
        services.set(i, fresh);
        fresh.start();
        LOG.info("{} restarted", stage);
        return;
      }
    }
    throw new IllegalStateException(stage + " is not running");
  }

  /**
   * Stops one of the Streams apps or the sink ({@code validator}, {@code geo-enricher}, {@code
   * s3-sink}) gracefully; {@link #startStage} starts a fresh instance again, as an operator taking
   * a stage down for a while would.
   */
  public synchronized void stopStage(String stage) {
    for (Service s : services) {
      if (s.name().equals(stage) && factories.containsKey(stage)) {
        s.close();
        services.remove(s);
        LOG.info("{} stopped", stage);
        return;
      }
    }
    throw new IllegalStateException(stage + " is not running");
  }

  /** Starts a fresh instance of a stage stopped with {@link #stopStage}. */
  public synchronized void startStage(String stage) throws Exception {
    Supplier<Service> factory = factories.get(stage);
    if (factory == null) {
      throw new IllegalArgumentException(
          "cannot start " + stage + "; one of " + factories.keySet());
    }
    if (services.stream().anyMatch(s -> s.name().equals(stage))) {
      throw new IllegalStateException(stage + " is running");
    }
    Service fresh = factory.get();
    fresh.start();
    services.add(0, fresh);
    LOG.info("{} started again", stage);
  }

  /**
   * Stops the edge as a killed process would ({@link EdgeService#halt()}): no drain, the spool
   * stays on disk. {@link #startEdge()} starts a new one on the same port and spool.
   */
  public synchronized void haltEdge() {
    if (edge == null) {
      throw new IllegalStateException("the edge is not running");
    }
    services.remove(edge);
    edge.halt();
    edge = null;
  }

  /** Starts a new edge after {@link #haltEdge()}. */
  public synchronized void startEdge() throws Exception {
    if (edge != null) {
      throw new IllegalStateException("the edge is running");
    }
    edge = new EdgeService(config, registry);
    startService(edge);
  }

  /** The effective configuration (with the embedded servers' addresses). */
  public KindlingConfig config() {
    return config;
  }

  /** The edge's base URL, or null when the edge is off. */
  public URI edgeUrl() {
    return edge == null ? null : URI.create("http://localhost:" + edge.port());
  }

  /** The dashboard's URL, or null when it is off. */
  public URI dashboardUrl() {
    return dashboard == null ? null : URI.create("http://localhost:" + dashboard.port() + "/");
  }

  /** The operations endpoint of the apps (health, version, metrics). */
  public URI opsUrl() {
    return URI.create("http://localhost:" + ops.port());
  }

  /** The public bucket's base URL (what the dashboard polls). */
  public URI publicBucket() {
    return publicBucket;
  }

  /** The folder holding the lake bucket's objects when the S3 server is embedded, else null. */
  public Path lakeDir() {
    return s3 == null ? null : s3.dir().resolve(config.getString(SinkConfig.BUCKET_LAKE));
  }

  /** The embedded S3 server's folder (bucket/key files), or null. */
  public Path s3Dir() {
    return s3 == null ? null : s3.dir();
  }

  /** The metrics registry every stage reports to. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The running stages, in start order. */
  public List<Service> services() {
    return List.copyOf(services);
  }

  @Override
  public void close() {
    // The edge first (it drains in-flight requests and its spool), then the apps downstream.
    List<Service> order = new ArrayList<>(services);
    java.util.Collections.reverse(order);
    if (edge != null && order.remove(edge)) {
      order.add(0, edge);
    }
    for (Service s : order) {
      try {
        s.close();
        LOG.info("{} stopped", s.name());
      } catch (RuntimeException e) {
        LOG.warn("error stopping {}", s.name(), e);
      }
    }
    services.clear();
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        LOG.warn("error stopping {}", closeables.get(i).getClass().getSimpleName(), e);
      }
    }
    closeables.clear();
  }
}
