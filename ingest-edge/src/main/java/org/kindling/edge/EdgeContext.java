package org.kindling.edge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.kindling.core.Json;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.ops.HealthCheck;
import org.kindling.core.ops.VersionInfo;

/** What every connection's {@link SubmitHandler} shares: limits, collaborators, meters. */
final class EdgeContext {
  final long maxPayloadBytes;
  final int maxUriLength;
  final int maxInflightRequests;
  final long maxInflightBytes;
  final ClientShares inflightShares;
  final int maxConnections;
  final Duration requestTimeout;
  final long retryAfterSeconds;
  final List<String> corsOrigins;
  final CaptureAttributes captureAttributes;
  final Dispatcher dispatcher;
  final Spool spool;
  final EdgeMetrics metrics;
  final MeterRegistry registry;
  final HealthCheck kafkaCheck;
  final boolean opsOnEdgePort;
  private final VersionInfo version = VersionInfo.current();

  EdgeContext(
      KindlingConfig config,
      Dispatcher dispatcher,
      Spool spool,
      EdgeMetrics metrics,
      MeterRegistry registry,
      HealthCheck kafkaCheck,
      Clock clock,
      String edgeHost) {
    this.maxPayloadBytes = config.getSize(EdgeConfig.MAX_PAYLOAD_BYTES);
    this.maxUriLength = config.getInt(EdgeConfig.MAX_URI_LENGTH);
    this.maxInflightRequests = config.getInt(EdgeConfig.MAX_INFLIGHT_REQUESTS);
    this.maxInflightBytes = config.getSize(EdgeConfig.MAX_INFLIGHT_BYTES);
    this.inflightShares =
        new ClientShares(maxInflightBytes, config.getDouble(EdgeConfig.CLIENT_MAX_SHARE));
    this.maxConnections = config.getInt(EdgeConfig.MAX_CONNECTIONS);
    this.requestTimeout = config.getDuration(EdgeConfig.REQUEST_TIMEOUT);
    this.retryAfterSeconds = Math.max(1, config.getDuration(EdgeConfig.RETRY_AFTER).toSeconds());
    this.corsOrigins = config.getList(EdgeConfig.CORS_ALLOWED_ORIGINS);
    this.captureAttributes =
        new CaptureAttributes(
            new ClientAddress(
                config.getList(EdgeConfig.TRUSTED_PROXIES), config.getInt(EdgeConfig.PROXY_HOPS)),
            clock,
            edgeHost);
    this.dispatcher = dispatcher;
    this.spool = spool;
    this.metrics = metrics;
    this.registry = registry;
    this.kafkaCheck = kafkaCheck;
    this.opsOnEdgePort = config.getBoolean(EdgeConfig.OPS_ON_EDGE_PORT);
  }

  /**
   * The {@code /__version__} JSON: the build, and the schema sets of the stages that share the
   * registry (in {@code kindling local}); asked per request, as the sets change while running.
   */
  String versionJson() {
    return version.toJson(registry);
  }

  /** The origin to echo in Access-Control-Allow-Origin, or null when not allowed. */
  String allowedOrigin(String origin) {
    if (corsOrigins.contains("*")) {
      return origin == null ? "*" : origin;
    }
    return origin != null && corsOrigins.contains(origin) ? origin : null;
  }

  /** The spool check: healthy while it has room for a maximum-size submission. */
  HealthCheck.Result spoolCheck() {
    java.io.IOException error = spool.lastWriteError();
    if (error instanceof Spool.SpoolFullException) {
      return HealthCheck.Result.failed("full: " + error.getMessage());
    }
    if (error != null) {
      return HealthCheck.Result.failed("write failed: " + error.getMessage());
    }
    String detail =
        spool.records() + " record(s), " + spool.bytes() + " of " + spool.maxBytes() + " bytes";
    if (dispatcher.refused() > 0) {
      detail += "; " + dispatcher.refused() + " refused by Kafka, kept on disk";
    }
    return spool.hasRoom(maxPayloadBytes)
        ? HealthCheck.Result.ok(detail)
        : HealthCheck.Result.failed("full: " + detail);
  }

  /**
   * The heartbeat: 200 while the edge can make a submission durable (Kafka reachable or room in the
   * spool), 507 when Kafka is unreachable and the spool full, 500 otherwise. The body names the
   * status and, with {@code detail}, each check's result.
   */
  Heartbeat heartbeat(boolean detail) {
    HealthCheck.Result kafka;
    try {
      kafka = kafkaCheck.check();
    } catch (RuntimeException e) {
      kafka = HealthCheck.Result.failed(e.toString());
    }
    HealthCheck.Result spoolResult = spoolCheck();
    ObjectNode body = Json.mapper().createObjectNode();
    boolean healthy = kafka.healthy() || spoolResult.healthy();
    // 507 when the spool (or its disk) is full; 500 when it cannot be written at all.
    java.io.IOException error = spool.lastWriteError();
    int status =
        healthy ? 200 : error == null || error instanceof Spool.SpoolFullException ? 507 : 500;
    body.put("status", healthy ? "ok" : "error");
    if (!detail) {
      return new Heartbeat(status, body.toString());
    }
    ObjectNode checks = body.putObject("checks");
    ObjectNode k = checks.putObject("kafka");
    k.put("ok", kafka.healthy());
    k.put("detail", kafka.detail());
    ObjectNode s = checks.putObject("spool");
    s.put("ok", spoolResult.healthy());
    s.put("detail", spoolResult.detail());
    return new Heartbeat(status, body.toString());
  }

  /** A heartbeat answer: HTTP status and JSON body. */
  record Heartbeat(int status, String json) {}

  /** The Prometheus exposition, or null when the registry is not a Prometheus one. */
  String scrape() {
    return registry instanceof PrometheusMeterRegistry p ? p.scrape() : null;
  }
}
