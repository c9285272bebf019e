package org.kindling.platform.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Serves the dashboard's static files for {@code kindling local}, plus {@code /config.js}, which
 * tells the page where the public bucket is (the page fetches its JSON from there, cross-origin).
 * Only files under the dashboard directory are served.
 */
public final class DashboardServer implements AutoCloseable {
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "json", "application/json",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "txt", "text/plain; charset=utf-8",
          "md", "text/plain; charset=utf-8");

  private final HttpServer server;
  private final Path root;

  /**
   * @param root the dashboard directory
   * @param port port, 0 for a free one
   * @param publicBaseUrl URL of the public bucket, e.g. {@code
   *     http://127.0.0.1:9000/kindling-public}
   */
  public DashboardServer(Path root, int port, URI publicBaseUrl) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "dashboard-http");
              t.setDaemon(true);
              return t;
            }));
    String configJs =
        "window.KINDLING_CONFIG = {\"data\": \""
            + publicBaseUrl.toString().replace("\"", "")
            + "\"};\n";
    server.createContext(
        "/config.js",
        ex ->
            send(
                ex,
                200,
                "text/javascript; charset=utf-8",
                configJs.getBytes(StandardCharsets.UTF_8)));
    server.createContext("/", this::serveFile);
    server.start();
  }

  private void serveFile(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
      send(ex, 405, "text/plain", "method not allowed".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String path = ex.getRequestURI().getPath();
    if (path.endsWith("/")) {
      path += "index.html";
    }
    Path file = root.resolve(path.substring(1)).normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String name = file.getFileName().toString();
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    send(ex, 200, TYPES.getOrDefault(ext, "application/octet-stream"), Files.readAllBytes(file));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    // browsers must use the declared type (a .json or .md file is never run as a script)
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
