package org.kindling.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.config.KindlingConfig;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.Waits;

/** The edge against a real KRaft broker. */
class EdgeIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @TempDir Path dir;

  @BeforeAll
  static void topics() {
    KAFKA.ensureTopics();
  }

  private EdgeService start(Path spool, Map<String, String> overrides) throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put(EdgeConfig.PORT, "0");
    settings.put(EdgeConfig.HOST, "127.0.0.1");
    settings.put(EdgeConfig.SPOOL_DIR, spool.toString());
    settings.put(EdgeConfig.SHUTDOWN_TIMEOUT, "10s");
    settings.putAll(overrides);
    KindlingConfig config = KAFKA.config(settings);
    EdgeService edge =
        new EdgeService(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    edge.start();
    return edge;
  }

  private static Map<String, ConsumerRecord<byte[], byte[]>> byKey(
      List<ConsumerRecord<byte[], byte[]>> records, Set<String> ids) {
    Map<String, ConsumerRecord<byte[], byte[]>> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
      if (ids.contains(key)) {
        assertThat(out.put(key, r)).as("duplicate record for %s", key).isNull();
      }
    }
    return out;
  }

  @Test
  void shouldWriteTenThousandConcurrentSubmissionsExactlyOnce() throws Exception {
    // A generous produce timeout: on a busy 2-core machine nothing should take the spool path.
    // Metrics on the edge port, as an edge whose port is private may serve them.
    try (EdgeService edge =
        start(
            dir, Map.of(EdgeConfig.PRODUCE_TIMEOUT, "20s", EdgeConfig.OPS_ON_EDGE_PORT, "true"))) {
      LoadClient client = new LoadClient(edge.port(), 200);
      client.run(0, 10_000);
      assertThat(client.refused).isEmpty();
      assertThat(client.accepted).hasSize(10_000);
      // the producer's own metrics are served next to the edge's
      String metrics =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + edge.port() + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics).contains("kafka_producer_record_send_total", "edge_requests_total");

      List<ConsumerRecord<byte[], byte[]>> all =
          KAFKA.consumeAll("ingest.raw", Duration.ofSeconds(3));
      Map<String, ConsumerRecord<byte[], byte[]>> mine = byKey(all, client.accepted.keySet());
      assertThat(mine).hasSize(10_000);
      for (Map.Entry<String, String> e : client.accepted.entrySet()) {
        ConsumerRecord<byte[], byte[]> r = mine.get(e.getKey());
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(e.getValue());
        assertThat(KafkaClusterExtension.header(r, "uri"))
            .isEqualTo("/submit/glow/download/1/" + e.getKey());
        assertThat(KafkaClusterExtension.header(r, "args")).startsWith("n=");
        assertThat(KafkaClusterExtension.header(r, "method")).isEqualTo("POST");
        assertThat(KafkaClusterExtension.header(r, "remote_addr")).isEqualTo("127.0.0.1");
        assertThat(KafkaClusterExtension.header(r, "user_agent")).isEqualTo("LoadClient/1.0");
        assertThat(KafkaClusterExtension.header(r, "content_length"))
            .isEqualTo(String.valueOf(r.value().length));
        assertThat(KafkaClusterExtension.header(r, "submission_timestamp"))
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
      }
      assertThat(edge.spool().records()).isZero();
      assertKcatReads(client.accepted);
    }
  }

  /** An independent reader (librdkafka's kcat) sees what the edge wrote. */
  private static void assertKcatReads(Map<String, String> accepted) throws Exception {
    Process p =
        new ProcessBuilder(
                "kcat",
                "-b",
                KAFKA.bootstrapServers(),
                "-C",
                "-t",
                "ingest.raw",
                "-o",
                "beginning",
                "-e",
                "-q",
                "-f",
                "%k\\t%s\\n")
            .redirectErrorStream(false)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    Map<String, String> seen = new HashMap<>();
    for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        seen.put(line.substring(0, tab), line.substring(tab + 1));
      }
    }
    int checked = 0;
    for (Map.Entry<String, String> e : accepted.entrySet()) {
      assertThat(seen).containsEntry(e.getKey(), e.getValue());
      checked++;
    }
    assertThat(checked).isEqualTo(accepted.size());
  }

  @Test
  void shouldRefuseAbusiveClientsWithoutHarmingOthers() throws Exception {
    try (EdgeService edge =
        start(
            dir,
            Map.of(
                EdgeConfig.REQUEST_TIMEOUT, "2s",
                EdgeConfig.MAX_INFLIGHT_BYTES, "64MiB"))) {
      int port = edge.port();
      String path = "/submit/glow/download/1/" + UUID.randomUUID();
      List<CompletableFuture<String>> abusers = new ArrayList<>();
      // A client declaring 1 GB and sending it.
      abusers.add(
          CompletableFuture.supplyAsync(
              () ->
                  raw(
                      port,
                      "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n",
                      1L << 30,
                      false)));
      // A chunked 1 GB body.
      abusers.add(
          CompletableFuture.supplyAsync(
              () ->
                  raw(
                      port,
                      "POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                      1L << 30,
                      true)));
      // 10,000 headers.
      StringBuilder many = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: x\r\n");
      for (int i = 0; i < 10_000; i++) {
        many.append("X-Header-").append(i).append(": value\r\n");
      }
      many.append("Content-Length: 2\r\n\r\n{}");
      abusers.add(CompletableFuture.supplyAsync(() -> raw(port, many.toString(), 0, false)));
      // Slowloris: a header trickling in one byte every 100 ms.
      CompletableFuture<Long> slowloris =
          CompletableFuture.supplyAsync(() -> slowloris(port, "POST " + path + " HTTP/1.1\r\n"));

      LoadClient client = new LoadClient(port, 20);
      client.run(0, 500);
      assertThat(client.refused).isEmpty();
      assertThat(client.accepted).hasSize(500);

      List<String> answers = new ArrayList<>();
      for (CompletableFuture<String> f : abusers) {
        answers.add(f.get(2, TimeUnit.MINUTES));
      }
      assertThat(answers.get(0)).startsWith("HTTP/1.1 413");
      assertThat(answers.get(1)).startsWith("HTTP/1.1 413");
      assertThat(answers.get(2)).startsWith("HTTP/1.1 431");
      long slowSeconds = slowloris.get(1, TimeUnit.MINUTES);
      assertThat(slowSeconds).isBetween(1L, 10L);

      List<ConsumerRecord<byte[], byte[]>> all =
          KAFKA.consumeAll("ingest.raw", Duration.ofSeconds(2));
      assertThat(byKey(all, client.accepted.keySet())).hasSize(500);
      Set<String> abusive =
          all.stream()
              .filter(r -> r.key() != null && path.endsWith(new String(r.key())))
              .map(r -> new String(r.key(), StandardCharsets.UTF_8))
              .collect(Collectors.toSet());
      assertThat(abusive).isEmpty();
    }
  }

  /**
   * Sends {@code head}, then up to {@code bodyBytes} of body until the edge closes the connection;
   * returns what the edge answered.
   */
  private static String raw(int port, String head, long bodyBytes, boolean chunked) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      byte[] block = new byte[64 * 1024];
      long sent = 0;
      try {
        while (sent < bodyBytes) {
          if (chunked) {
            out.write(
                (Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(block);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          } else {
            out.write(block);
          }
          sent += block.length;
          if (s.getInputStream().available() > 0) {
            break;
          }
        }
        out.flush();
      } catch (IOException closed) {
        // the edge closed the connection: expected for oversize bodies
      }
      assertThat(sent).as("bytes sent before the edge refused").isLessThan(64L << 20);
      return readAnswer(s.getInputStream());
    } catch (IOException e) {
      return "I/O error: " + e;
    }
  }

  private static String readAnswer(InputStream in) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[4096];
    try {
      int n;
      while ((n = in.read(b)) > 0) {
        buf.write(b, 0, n);
        if (buf.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
          break;
        }
      }
    } catch (IOException e) {
      // a reset after the answer
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  /** Trickles a request in; returns after how many seconds the edge hung up. */
  private static long slowloris(int port, String text) {
    long start = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      for (int i = 0; ; i++) {
        out.write(text.charAt(i % text.length()));
        out.flush();
        Thread.sleep(100);
        if (TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) > 30) {
          return 999;
        }
        s.setSoTimeout(1);
        try {
          if (s.getInputStream().read() < 0) {
            break;
          }
        } catch (java.net.SocketTimeoutException stillOpen) {
          // keep trickling
        }
      }
    } catch (IOException e) {
      // reset by the edge
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
  }

  @Test
  void shouldLoseNothingAcrossARestartWithAFullSpool() throws Exception {
    Path spool = dir.resolve("spool");
    LoadClient client;
    // First run: Kafka unreachable (nothing listens on the bootstrap address).
    try (EdgeService edge =
        start(
            spool,
            Map.of(
                "kafka.bootstrap.servers",
                "127.0.0.1:1",
                EdgeConfig.PRODUCE_TIMEOUT,
                "200ms",
                EdgeConfig.SHUTDOWN_TIMEOUT,
                "3s"))) {
      client = new LoadClient(edge.port(), 16);
      client.run(0, 300);
      assertThat(client.refused).isEmpty();
      assertThat(edge.spool().records()).isEqualTo(300);
      HttpResponse<String> hb =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + edge.port() + "/__heartbeat__"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(hb.statusCode()).isEqualTo(200); // the spool has room
      assertThat(hb.body()).isEqualTo("{\"status\":\"ok\"}"); // details are on ops.port
      assertThat(edge.healthChecks())
          .filteredOn(c -> c.name().equals("ingest_edge_kafka"))
          .singleElement()
          .satisfies(c -> assertThat(c.check().healthy()).isFalse());
    }
    // Second run against the broker: the spool drains.
    try (EdgeService edge = start(spool, Map.of())) {
      Waits.until(
          Duration.ofSeconds(60),
          () -> edge.spool().records() == 0,
          () -> edge.spool().records() + " records still spooled");
      List<ConsumerRecord<byte[], byte[]>> all =
          KAFKA.consumeAll("ingest.raw", Duration.ofSeconds(2));
      Map<String, ConsumerRecord<byte[], byte[]>> mine = byKey(all, client.accepted.keySet());
      assertThat(mine).hasSize(300);
      for (Map.Entry<String, String> e : client.accepted.entrySet()) {
        assertThat(new String(mine.get(e.getKey()).value(), StandardCharsets.UTF_8))
            .isEqualTo(e.getValue());
        assertThat(KafkaClusterExtension.header(mine.get(e.getKey()), "x_debug_id"))
            .startsWith("it-");
      }
    }
  }

  /**
   * The edge reads what ingest.raw takes ({@code max.message.bytes}, also after an operator changed
   * it) and answers 413 before it accepts a submission Kafka would refuse: such a record is never
   * answered 200 and then spooled for good.
   */
  @Test
  void shouldAnswer413BeforeAcceptingWhatTheTopicCannotTake() throws Exception {
    ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, "ingest.raw");
    try (EdgeService edge = start(dir, Map.of(EdgeConfig.PRODUCE_TIMEOUT, "5s"));
        Admin admin = KAFKA.admin()) {
      setMaxMessageBytes(admin, raw, 64 * 1024);
      HttpClient http = HttpClient.newHttpClient();
      Waits.until(
          Duration.ofSeconds(30),
          () -> post(http, edge.port(), 100 * 1024) == 413,
          () -> "the edge did not read the topic's new limit");
      assertThat(post(http, edge.port(), 10 * 1024)).isEqualTo(200);
      assertThat(edge.spool().records()).isZero();
    } finally {
      try (Admin admin = KAFKA.admin()) {
        setMaxMessageBytes(admin, raw, 16 << 20);
      }
    }
  }

  private static void setMaxMessageBytes(Admin admin, ConfigResource topic, int bytes)
      throws Exception {
    admin
        .incrementalAlterConfigs(
            Map.of(
                topic,
                List.of(
                    new AlterConfigOp(
                        new ConfigEntry(
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)),
                        AlterConfigOp.OpType.SET))))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  private static int post(HttpClient http, int port, int bytes) {
    try {
      return http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + port
                              + "/submit/glow/download/1/"
                              + UUID.randomUUID()))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[bytes]))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
