package org.kindling.core.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import org.kindling.core.Json;

/**
 * The operations endpoint of the Streams apps and the sinks, on the JDK's own HTTP server: {@code
 * /__heartbeat__} (200 when every check passes, else 500, with JSON detail), {@code
 * /__lbheartbeat__} (200 while the process is up), {@code /__version__}, and Prometheus {@code
 * /metrics}.
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;

  /**
   * Starts the endpoint.
   *
   * @param host interface to bind
   * @param port port, 0 for a free one
   * @param registry the Prometheus registry served at /metrics
   * @param checks the heartbeat checks
   */
  public OpsServer(
      String host, int port, PrometheusMeterRegistry registry, List<HealthCheck> checks)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "ops-http");
              t.setDaemon(true);
              return t;
            }));
    String version = VersionInfo.current().toJson();
    server.createContext("/__lbheartbeat__", ex -> respond(ex, 200, "text/plain", "OK"));
    server.createContext("/__version__", ex -> respond(ex, 200, "application/json", version));
    server.createContext(
        "/__heartbeat__",
        ex -> {
          ObjectNode body = Json.mapper().createObjectNode();
          ObjectNode detail = body.putObject("checks");
          boolean healthy = true;
          for (HealthCheck c : checks) {
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
  }
}
