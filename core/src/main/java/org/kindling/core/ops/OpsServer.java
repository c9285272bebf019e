package org.kindling.core.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.kindling.core.Json;
import org.kindling.core.Service;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;

/**
 * The operations endpoint of the Streams apps and the sinks, on the JDK's own HTTP server: {@code
 * /__heartbeat__} (200 when every check passes, else 500, with JSON detail), {@code
 * /__lbheartbeat__} (200 while the process is up), {@code /__version__} (with the schema sets in
 * use, see {@link VersionInfo#toJson(io.micrometer.core.instrument.MeterRegistry)}), and Prometheus
 * {@code /metrics}.
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;
  private final AutoCloseable owned;

  /**
   * The endpoint of the stages {@code services} returns (asked at every heartbeat, so a stage
   * replaced at run time is checked too) on {@code ops.host}:{@code ops.port}: their checks and one
   * that Kafka answers.
   */
  public static OpsServer forServices(
      KindlingConfig config,
      PrometheusMeterRegistry registry,
      Supplier<? extends Collection<? extends Service>> services)
      throws IOException {
    KafkaHealthCheck kafka = new KafkaHealthCheck(Admin.create(KafkaDefaults.admin(config)));
    try {
      return new OpsServer(
          config.getString(CoreConfig.OPS_HOST),
          config.getInt(CoreConfig.OPS_PORT),
          registry,
          () -> {
            List<HealthCheck> checks = new ArrayList<>();
            checks.add(kafka);
            services.get().forEach(s -> checks.addAll(s.healthChecks()));
            return checks;
          },
          kafka);
    } catch (IOException | RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  /**
   * Starts the endpoint.
   *
   * @param host interface to bind
   * @param port port, 0 for a free one
   * @param registry the Prometheus registry served at /metrics
   * @param checks the heartbeat checks, asked at every heartbeat
   * @param owned closed with the server, or null
   */
  public OpsServer(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Supplier<List<HealthCheck>> checks,
      AutoCloseable owned)
      throws IOException {
    this.owned = owned;
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "ops-http");
              t.setDaemon(true);
              return t;
            }));
    VersionInfo version = VersionInfo.current();
    server.createContext("/__lbheartbeat__", ex -> respond(ex, 200, "text/plain", "OK"));
    // asked per request: the schema sets of the stages change while the process runs
    server.createContext(
        "/__version__", ex -> respond(ex, 200, "application/json", version.toJson(registry)));
    server.createContext(
        "/__heartbeat__",
        ex -> {
          ObjectNode body = Json.mapper().createObjectNode();
          ObjectNode detail = body.putObject("checks");
          boolean healthy = true;
          for (HealthCheck c : checks.get()) {
            HealthCheck.Result r;
            try {
              r = c.check();
            } catch (RuntimeException e) {
              r = HealthCheck.Result.failed(e.toString());
            }
            healthy &= r.healthy();
            ObjectNode n = detail.putObject(c.name());
            n.put("ok", r.healthy());
            n.put("detail", r.detail());
          }
          body.put("status", healthy ? "ok" : "error");
          respond(ex, healthy ? 200 : 500, "application/json", body.toString());
        });
    server.createContext(
        "/metrics",
        ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext("/", ex -> respond(ex, 404, "text/plain", "not found"));
    server.start();
  }

  /** The port the endpoint listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equalsIgnoreCase(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        // closing a health check's client on the way out; nothing left to do with the error
      }
    }
  }
}
