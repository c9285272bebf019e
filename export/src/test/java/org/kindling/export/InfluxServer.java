package org.kindling.export;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real InfluxDB 1.x (Debian's {@code influxd}) for one test: a generated configuration in a
 * temporary folder, HTTP and RPC on free loopback ports, no reporting, no monitor database; stopped
 * and left to the temporary folder's clean-up on close.
 */
final class InfluxServer implements AutoCloseable {
  static final Path INFLUXD = Path.of("/usr/bin/influxd");

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  InfluxServer(Path dir) throws Exception {
    this.port = freePort();
    int rpc = freePort();
    Path conf = dir.resolve("influxdb.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "reporting-disabled = true",
            "bind-address = \"127.0.0.1:" + rpc + "\"",
            "[meta]",
            "  dir = \"" + dir.resolve("meta") + "\"",
            "[data]",
            "  dir = \"" + dir.resolve("data") + "\"",
            "  wal-dir = \"" + dir.resolve("wal") + "\"",
            "  query-log-enabled = false",
            "[monitor]",
            "  store-enabled = false",
            "[http]",
            "  bind-address = \"127.0.0.1:" + port + "\"",
            "  log-enabled = false",
            "[logging]",
            "  level = \"warn\"",
            "  suppress-logo = true",
            ""));
    process =
        new ProcessBuilder(INFLUXD.toString(), "run", "-config", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("influxd.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/ping")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 204) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException(
            "influxd did not start: " + Files.readString(dir.resolve("influxd.log")));
      }
      Thread.sleep(100);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Runs an InfluxQL statement (POST /query) and returns the JSON answer. */
  String query(String db, String q) throws Exception {
    String uri =
        url()
            + "/query?epoch=ns"
            + (db == null ? "" : "&db=" + URLEncoder.encode(db, StandardCharsets.UTF_8))
            + "&q="
            + URLEncoder.encode(q, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("query failed: " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
