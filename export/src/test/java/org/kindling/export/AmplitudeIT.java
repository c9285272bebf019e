package org.kindling.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindling.core.Json;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.Waits;

/**
 * The amplitude destination against a local receiver that checks each request against the HTTP V2
 * API's documented shape and answers as the API does: 200 with events_ingested, 400 naming the
 * events with invalid fields, and once 429 (throttled) with a Retry-After hint. Amplitude itself is
 * not reachable from here.
 */
class AmplitudeIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  private static final String API_KEY = "0123456789abcdef0123456789abcdef";

  @BeforeAll
  static void topics() {
    KAFKA.ensureTopics();
  }

  /** Amplitude's /2/httpapi as far as the documentation describes it. */
  static final class Receiver implements AutoCloseable {
    final HttpServer server;
    final List<String> shapeErrors = Collections.synchronizedList(new ArrayList<>());
    final Map<String, JsonNode> ingested = new ConcurrentHashMap<>();

    /** When each request came, with the insert_ids it carried. */
    final List<Map.Entry<Long, Set<String>>> requests =
        Collections.synchronizedList(new ArrayList<>());

    final AtomicInteger throttled = new AtomicInteger();

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/2/httpapi", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/2/httpapi";
    }

    private void shape(boolean ok, String what) {
      if (!ok) {
        shapeErrors.add(what);
      }
    }

    private void handle(HttpExchange ex) throws IOException {
      long at = System.nanoTime();
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      shape("POST".equals(ex.getRequestMethod()), "method " + ex.getRequestMethod());
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      shape(type != null && type.startsWith("application/json"), "Content-Type " + type);
      JsonNode n;
      try {
        n = Json.mapper().readTree(body);
      } catch (IOException e) {
        respond(ex, 400, "{\"code\":400,\"error\":\"Invalid JSON request body\"}", null);
        return;
      }
      shape(API_KEY.equals(n.path("api_key").asText()), "api_key");
      JsonNode events = n.path("events");
      shape(events.isArray() && events.size() > 0 && events.size() <= 2000, "events[]");
      Set<String> ids = new java.util.HashSet<>();
      events.forEach(e -> ids.add(e.path("insert_id").asText()));
      requests.add(Map.entry(at, ids));
      if (throttled.getAndIncrement() == 0) {
        // the first request is throttled, with the hint to wait
        respond(
            ex,
            429,
            "{\"code\":429,\"error\":\"Too many requests for some devices and users\","
                + "\"eps_threshold\":30,\"throttled_devices\":{},\"throttled_users\":{},"
                + "\"throttled_events\":[0]}",
            "2");
        return;
      }
      List<Integer> invalid = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        JsonNode e = events.get(i);
        shape(e.path("event_type").isTextual(), "event_type of " + e);
        shape(e.path("insert_id").isTextual(), "insert_id of " + e);
        shape(e.path("time").isIntegralNumber(), "time (ms, integer) of " + e);
        shape(!e.has("ip"), "no ip in " + e);
        shape(e.path("event_properties").isObject(), "event_properties of " + e);
        String device = e.path("device_id").asText("");
        String user = e.path("user_id").asText("");
        shape(!device.isEmpty() || !user.isEmpty(), "user_id or device_id in " + e);
        // Amplitude's own rule: ids of at least 5 characters unless options.min_id_length
        if ((!device.isEmpty() && device.length() < 5) || (!user.isEmpty() && user.length() < 5)) {
          invalid.add(i);
        }
      }
      if (!invalid.isEmpty()) {
        respond(
            ex,
            400,
            "{\"code\":400,\"error\":\"Invalid field values on some events\","
                + "\"events_with_invalid_fields\":{\"device_id\":"
                + invalid
                + "}}",
            null);
        return;
      }
      events.forEach(e -> ingested.put(e.path("insert_id").asText(), e));
      respond(
          ex,
          200,
          "{\"code\":200,\"events_ingested\":"
              + events.size()
              + ",\"payload_size_bytes\":"
              + body.length
              + ",\"server_upload_time\":"
              + System.currentTimeMillis()
              + "}",
          null);
    }

    private static void respond(HttpExchange ex, int status, String body, String retryAfter)
        throws IOException {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      if (retryAfter != null) {
        ex.getResponseHeaders().set("Retry-After", retryAfter);
      }
      ex.sendResponseHeaders(status, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void shouldSendTheHttpV2ShapeAndWaitAsThrottlingAsks() throws Exception {
    String ns = "ampit";
    try (Receiver rx = new Receiver();
        Pipeline p = new Pipeline(KAFKA)) {
      Map<String, Pipeline.Sent> good = new HashMap<>();
      Map<String, String> clientIds = new HashMap<>();
      for (int i = 0; i < 40; i++) {
        String id = UUID.randomUUID().toString();
        ObjectNode d = Documents.download(id, Instant.now(), i % 2 == 0 ? "DE" : "BR", "Linux");
        String client = "client-" + UUID.randomUUID();
        d.putObject("client_info").put("client_id", client);
        d.put("duration_ms", i * 10);
        good.put(id, p.send(ns, d));
        clientIds.put(id, client);
      }
      // a client id Amplitude refuses (shorter than 5 characters)
      String badId = UUID.randomUUID().toString();
      ObjectNode bad = Documents.download(badId, Instant.now(), "DE", "Linux");
      bad.putObject("client_info").put("client_id", "abc");
      p.send(ns, bad);
      p.flush();

      Map<String, String> settings = new HashMap<>();
      String k = "export.destination.amp.";
      settings.put("export.destinations", "amp");
      settings.put(k + "type", "amplitude");
      settings.put(k + "amplitude.url", rx.url());
      settings.put(k + "amplitude.api.key", API_KEY);
      settings.put(k + "amplitude.event.properties", "product,duration_ms,channel");
      settings.put(k + "filter.namespaces", ns);
      settings.put(k + "batch.max.wait", "300ms");
      settings.put(k + "retry.initial.backoff", "100ms");
      try (ExportService s = p.start(settings)) {
        Waits.until(
            Duration.ofSeconds(60),
            () -> rx.ingested.keySet().containsAll(good.keySet()),
            () -> rx.ingested.size() + " of " + good.size() + " events ingested");
        Waits.until(
            Duration.ofSeconds(30),
            () -> s.loop("amp").metrics().failedCount() == 1,
            () -> "failed " + s.loop("amp").metrics().failedCount());
        assertThat(s.loop("amp").metrics().retriedCount()).isEqualTo(1);
      }
      assertThat(rx.shapeErrors).isEmpty();
      // the throttled events came again after the 2 s that Retry-After asked for, not after the
      // 100 ms backoff
      Map.Entry<Long, Set<String>> first = rx.requests.get(0);
      Map.Entry<Long, Set<String>> retry =
          rx.requests.stream()
              .skip(1)
              .filter(r -> r.getValue().containsAll(first.getValue()))
              .findFirst()
              .orElseThrow();
      assertThat(retry.getKey() - first.getKey())
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());
      for (Map.Entry<String, Pipeline.Sent> e : good.entrySet()) {
        JsonNode ev = rx.ingested.get(e.getKey());
        assertThat(ev.path("event_type").asText()).isEqualTo(ns + ".download");
        assertThat(ev.path("device_id").asText()).isEqualTo(clientIds.get(e.getKey()));
        assertThat(ev.path("time").asLong()).isEqualTo(e.getValue().at().toEpochMilli());
        assertThat(ev.path("event_properties").path("product").asText()).isEqualTo("firefox");
        assertThat(ev.path("event_properties").path("channel").asText()).isEqualTo("release");
        assertThat(ev.path("event_properties").has("duration_ms")).isTrue();
        assertThat(ev.path("country").asText()).isIn("DE", "BR");
        assertThat(ev.path("os_name").asText()).isEqualTo("Linux");
      }
      assertThat(rx.ingested).doesNotContainKey(badId);
      List<ConsumerRecord<byte[], byte[]>> failures = p.failures("export:amp");
      assertThat(failures).hasSize(1);
      FailureRecord f = FailureRecordSerde.decode(failures.get(0).value());
      assertThat(f.errorType()).isEqualTo("export_rejected");
      assertThat(f.attributes()).containsEntry("document_id", badId);
      assertThat(f.errorMessage()).contains("events_with_invalid_fields");
      assertThat(Set.copyOf(rx.ingested.keySet())).hasSize(40);
    }
  }
}
