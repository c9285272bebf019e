package org.kindling.export.influxdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindling.export.Documents;
import org.kindling.export.ExportRecord;
import org.kindling.export.Item;
import org.kindling.export.Outcome;
import org.kindling.export.TestConfigs;

/** The write requests of both API versions, as a local server receives them. */
class InfluxWriteRequestTest {
  private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");
  private HttpServer server;
  private final AtomicReference<String> uri = new AtomicReference<>();
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private final AtomicReference<String> body = new AtomicReference<>();
  private volatile int status = 204;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          uri.set(ex.getRequestURI().toString());
          authorization.set(ex.getRequestHeaders().getFirst("Authorization"));
          body.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static List<Item> batch(InfluxDestination d) throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ExportRecord r = Documents.record("glow", "d-" + i, T, i);
      items.add(Item.of(r, d.encode(r)));
    }
    return items;
  }

  @Test
  void shouldWriteToVersion1WithBasicAuthentication() throws Exception {
    InfluxDestination d =
        InfluxDestination.create(
            TestConfigs.destination(
                "grafana",
                "influxdb",
                "influxdb.url",
                url(),
                "influxdb.database",
                "kindling",
                "influxdb.username",
                "writer",
                "influxdb.password",
                "pw",
                "influxdb.precision",
                "ms"),
            Clock.systemUTC());
    assertThat(d.send(batch(d))).isInstanceOf(Outcome.Delivered.class);
    assertThat(uri.get()).isEqualTo("/write?db=kindling&precision=ms");
    assertThat(authorization.get()).isEqualTo("Basic d3JpdGVyOnB3");
    assertThat(body.get())
        .isEqualTo(
            "glow_download,channel=release,country=DE,os=Windows count=1i "
                + T.toEpochMilli()
                + "\nglow_download,channel=release,country=DE,os=Windows count=1i "
                + T.toEpochMilli()
                + "\n");
    assertThat(d.target()).doesNotContain("pw");
  }

  @Test
  void shouldWriteToVersion2WithAToken() throws Exception {
    InfluxDestination d =
        InfluxDestination.create(
            TestConfigs.destination(
                "grafana",
                "influxdb",
                "influxdb.url",
                url(),
                "influxdb.version",
                "2",
                "influxdb.org",
                "glow",
                "influxdb.bucket",
                "kindling",
                "influxdb.token",
                "t0k3n"),
            Clock.systemUTC());
    assertThat(d.send(batch(d))).isInstanceOf(Outcome.Delivered.class);
    assertThat(uri.get()).isEqualTo("/api/v2/write?org=glow&bucket=kindling&precision=ns");
    assertThat(authorization.get()).isEqualTo("Token t0k3n");
    assertThat(body.get().lines()).hasSize(2);
    status = 400;
    assertThat(d.send(batch(d))).isInstanceOf(Outcome.Rejected.class);
    status = 503;
    assertThat(d.send(batch(d))).isInstanceOf(Outcome.Retry.class);
  }
}
