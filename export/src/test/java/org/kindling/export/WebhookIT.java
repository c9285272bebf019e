package org.kindling.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindling.core.Json;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.core.ops.HealthCheck;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.Waits;

/**
 * The webhook destination against a real broker and a receiver that fails during the run: every
 * document arrives at least once, none is lost, what keeps failing is on ingest.errors and a replay
 * delivers it; a stop with batches unacknowledged sends them again at the next start.
 */
class WebhookIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  private static final String SECRET = "s3cret-of-the-hook";

  @BeforeAll
  static void topics() {
    KAFKA.ensureTopics();
  }

  private static Map<String, String> webhook(String name, String ns, String url, String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    String p = "export.destination." + name + ".";
    m.put("export.destinations", name);
    m.put(p + "type", "webhook");
    m.put(p + "webhook.url", url);
    m.put(p + "webhook.secret", SECRET);
    m.put(p + "filter.namespaces", ns);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(p + kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, JsonNode> byId(List<Pipeline.Sent> sent) throws Exception {
    Map<String, JsonNode> out = new HashMap<>();
    for (Pipeline.Sent s : sent) {
      out.put(s.id(), Json.mapper().readTree(s.value()));
    }
    return out;
  }

  @Test
  void shouldDeliverEveryDocumentThroughErrorsStallsAndDroppedConnections() throws Exception {
    String ns = "hooka";
    try (WebhookReceiver rx = new WebhookReceiver(SECRET);
        Pipeline p = new Pipeline(KAFKA)) {
      long start = System.nanoTime();
      // 0-2 s fine, 2-5 s HTTP 500, 5-8 s stalls longer than the request timeout, 8-10 s dropped
      // connections, then fine again
      rx.behaviour =
          r -> {
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms < 2000) {
              return WebhookReceiver.OK;
            } else if (ms < 5000) {
              return new WebhookReceiver.Answer(500, "{\"error\":\"boom\"}", null);
            } else if (ms < 8000) {
              return new WebhookReceiver.Stall(Duration.ofMillis(1500));
            } else if (ms < 10000) {
              return new WebhookReceiver.Drop();
            }
            return WebhookReceiver.OK;
          };
      Map<String, String> settings =
          webhook(
              "hooks",
              ns,
              rx.url(),
              "filter.records",
              "both",
              "batch.max.records",
              "25",
              "batch.max.wait",
              "200ms",
              "request.timeout",
              "1s",
              "retry.max.attempts",
              "1000",
              "retry.initial.backoff",
              "100ms",
              "retry.max.backoff",
              "1s");
      List<Pipeline.Sent> sent = new ArrayList<>();
      try (ExportService s = p.start(settings)) {
        // 660 documents over 11 s, through every phase
        for (int tick = 0; tick < 110; tick++) {
          for (int i = 0; i < 6; i++) {
            sent.add(p.send(ns));
          }
          p.flush();
          Thread.sleep(100);
        }
        FailureRecord rejection = Documents.rejection(UUID.randomUUID().toString(), Instant.now());
        Map<String, String> attrs = new HashMap<>(rejection.attributes());
        attrs.put("document_namespace", ns);
        p.sendError(
            new FailureRecord(
                rejection.payload(),
                attrs,
                rejection.errorType(),
                rejection.errorMessage(),
                rejection.exceptionClass(),
                rejection.stage(),
                rejection.failedAt()));
        p.flush();
        Set<String> ids = sent.stream().map(Pipeline.Sent::id).collect(Collectors.toSet());
        Waits.until(
            Duration.ofSeconds(90),
            () -> rx.acknowledged.keySet().containsAll(ids),
            () -> {
              Set<String> missing = new java.util.HashSet<>(ids);
              missing.removeAll(rx.acknowledged.keySet());
              return missing.size() + " of " + ids.size() + " documents not acknowledged";
            });
        Waits.until(
            Duration.ofSeconds(30),
            () -> rx.requests.stream().anyMatch(r -> !r.errors().isEmpty()),
            () -> "the error record did not arrive");
        HealthCheck.Result health = s.healthChecks().get(0).check();
        assertThat(health.healthy()).isTrue();
        assertThat(health.detail()).contains("webhook -> " + rx.url(), "delivered ");
        String metrics = p.registry.scrape();
        assertThat(metrics)
            .contains("export_delivered_total{destination=\"hooks\"}")
            .contains("export_retried_total{destination=\"hooks\"}")
            .contains("export_lag{destination=\"hooks\"}");
        assertThat(s.loop("hooks").metrics().retriedCount()).isPositive();
      }
      assertThat(rx.badSignatures).hasValue(0);
      // every phase was hit
      assertThat(rx.requests.size()).isGreaterThan(660 / 25);
      // what arrived is what was sent, byte for byte as JSON
      Map<String, JsonNode> expected = byId(sent);
      for (WebhookReceiver.Request r : rx.requests) {
        assertThat(r.headers().get("Content-type")).containsExactly("application/json");
        assertThat(r.headers().get("X-kindling-destination")).containsExactly("hooks");
        for (JsonNode d : r.documents()) {
          assertThat(d).isEqualTo(expected.get(d.path("document_id").asText()));
        }
      }
      JsonNode error =
          rx.requests.stream().filter(r -> !r.errors().isEmpty()).findFirst().get().errors().get(0);
      assertThat(error.path("error_type").asText()).isEqualTo("schema_validation");
      assertThat(error.path("attributes").has("remote_addr")).isFalse();
      assertThat(error.toString()).doesNotContain("203.0.113.7", "198.51.100.1");
      // nothing gave up: the retries outlasted every failure
      assertThat(p.failures("export:hooks")).isEmpty();
    }
  }

  @Test
  void shouldRecordPersistentFailuresOnIngestErrorsAndReplayThem() throws Exception {
    String ns = "hookb";
    try (WebhookReceiver rx = new WebhookReceiver(SECRET);
        Pipeline p = new Pipeline(KAFKA)) {
      boolean[] down = {true};
      rx.behaviour =
          r -> {
            if (down[0]) {
              return new WebhookReceiver.Answer(503, "{\"error\":\"maintenance\"}", null);
            }
            boolean poison = r.documents().stream().anyMatch(d -> d.path("poison").asBoolean());
            return poison
                ? new WebhookReceiver.Answer(400, "{\"error\":\"poison\"}", null)
                : WebhookReceiver.OK;
          };
      Map<String, String> settings =
          webhook(
              "failing",
              ns,
              rx.url(),
              "batch.max.records",
              "10",
              "batch.max.wait",
              "100ms",
              "retry.max.attempts",
              "3",
              "retry.initial.backoff",
              "100ms",
              "retry.max.backoff",
              "200ms");
      Instant since = Instant.now().minusSeconds(1);
      List<Pipeline.Sent> whileDown = new ArrayList<>();
      List<Pipeline.Sent> afterwards = new ArrayList<>();
      Pipeline.Sent poison;
      try (ExportService s = p.start(settings)) {
        ExportMetrics m = s.loop("failing").metrics();
        for (int i = 0; i < 30; i++) {
          whileDown.add(p.send(ns));
        }
        p.flush();
        Waits.until(
            Duration.ofSeconds(60),
            () -> m.failedCount() == 30,
            () -> m.failedCount() + " of 30 failed so far");
        down[0] = false;
        ObjectNode bad = Documents.download(UUID.randomUUID().toString(), Instant.now(), "DE", "x");
        bad.put("poison", true);
        poison = p.send(ns, bad);
        for (int i = 0; i < 20; i++) {
          afterwards.add(p.send(ns));
        }
        p.flush();
        Set<String> later = afterwards.stream().map(Pipeline.Sent::id).collect(Collectors.toSet());
        Waits.until(
            Duration.ofSeconds(60),
            () -> rx.acknowledged.keySet().containsAll(later) && m.failedCount() == 31,
            () -> "acknowledged " + rx.acknowledged.size() + ", failed " + m.failedCount());
        assertThat(s.healthChecks().get(0).check().detail()).contains("failed 31");
      }
      Map<String, Pipeline.Sent> sentById = new HashMap<>();
      whileDown.forEach(x -> sentById.put(x.id(), x));
      sentById.put(poison.id(), poison);
      List<ConsumerRecord<byte[], byte[]>> failures = p.failures("export:failing");
      assertThat(failures).hasSize(31);
      int failed = 0;
      for (ConsumerRecord<byte[], byte[]> r : failures) {
        FailureRecord f = FailureRecordSerde.decode(r.value());
        Pipeline.Sent original = sentById.get(f.attributes().get("document_id"));
        assertThat(original).as("failure record of a sent document").isNotNull();
        // the original document, byte for byte, with its attributes: enough to send it again
        assertThat(f.payload()).isEqualTo(original.value());
        assertThat(f.attributes()).isEqualTo(original.attributes());
        assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo(original.id());
        if (original == poison) {
          assertThat(f.errorType()).isEqualTo("export_rejected");
          assertThat(f.errorMessage()).isEqualTo("HTTP 400: {\"error\":\"poison\"}");
        } else {
          assertThat(f.errorType()).isEqualTo("export_failed");
          assertThat(f.errorMessage())
              .isEqualTo("gave up after 3 attempts: HTTP 503: {\"error\":\"maintenance\"}");
          failed++;
        }
      }
      assertThat(failed).isEqualTo(30);
      for (Pipeline.Sent x : whileDown) {
        assertThat(rx.acknowledged).doesNotContainKey(x.id());
      }

      // the receiver is back: a replay delivers what failed; the poison fails again
      ExportReplay.Result r =
          ExportReplay.replay(
              KAFKA.config(settings),
              p.registry,
              "failing",
              since,
              Instant.now(),
              Clock.systemUTC(),
              Sleeper.REAL);
      assertThat(r.matched()).isEqualTo(31);
      assertThat(r.delivered()).isEqualTo(30);
      assertThat(r.failedAgain()).isEqualTo(1);
      assertThat(ExportReplay.summary(r, "failing"))
          .startsWith(
              "replayed 31 failed deliveries to failing: 30 delivered, 1 failed again (back in"
                  + " ingest.errors)");
      Map<String, JsonNode> expected = byId(whileDown);
      for (Pipeline.Sent x : whileDown) {
        assertThat(rx.acknowledged).containsKey(x.id());
      }
      for (WebhookReceiver.Request req : rx.requests) {
        for (JsonNode d : req.documents()) {
          String id = d.path("document_id").asText();
          if (expected.containsKey(id)) {
            assertThat(d).isEqualTo(expected.get(id));
          }
        }
      }
      assertThat(rx.acknowledged).doesNotContainKey(poison.id());
      assertThat(p.failures("export:failing")).hasSize(32);
      assertThat(rx.badSignatures).hasValue(0);
    }
  }

  @Test
  void shouldSendAgainWhatAStopLeftUnacknowledged() throws Exception {
    String ns = "hookc";
    try (WebhookReceiver rx = new WebhookReceiver(SECRET);
        Pipeline p = new Pipeline(KAFKA)) {
      // the receiver takes the requests but does not answer within the run of the first export
      rx.behaviour = r -> new WebhookReceiver.Stall(Duration.ofSeconds(20));
      Map<String, String> settings =
          webhook(
              "crashy",
              ns,
              rx.url(),
              "batch.max.records",
              "100",
              "batch.max.wait",
              "200ms",
              "max.in.flight",
              "1");
      settings.put("export.shutdown.timeout", "500ms");
      List<Pipeline.Sent> sent = new ArrayList<>();
      Set<String> ids;
      try (ExportService s = p.start(settings)) {
        assertThat(s.destinations())
            .extracting(DestinationInfo::group)
            .containsExactly("export-crashy");
        for (int i = 0; i < 40; i++) {
          sent.add(p.send(ns));
        }
        p.flush();
        ids = sent.stream().map(Pipeline.Sent::id).collect(Collectors.toSet());
        Waits.until(
            Duration.ofSeconds(30),
            () -> rx.seen.containsAll(ids),
            () -> rx.seen.size() + " of 40 seen by the receiver");
        // closing now abandons the unanswered batch, as a crash would
      }
      assertThat(rx.acknowledged).isEmpty();
      rx.behaviour = r -> WebhookReceiver.OK;
      try (ExportService s = p.start(settings)) {
        assertThat(s.loop("crashy")).isNotNull();
        Waits.until(
            Duration.ofSeconds(30),
            () -> rx.acknowledged.keySet().containsAll(ids),
            () -> rx.acknowledged.size() + " of 40 acknowledged after the restart");
      }
      assertThat(p.failures("export:crashy")).isEmpty();
    }
  }

  private static void errorsTopicMaxMessageBytes(int bytes) throws Exception {
    try (Admin admin = KAFKA.admin()) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "ingest.errors");
      admin
          .incrementalAlterConfigs(
              Map.of(
                  topic,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("max.message.bytes", Integer.toString(bytes)),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldCommitNothingWhileFailureRecordsCannotBeWritten() throws Exception {
    String ns = "hookd";
    try (WebhookReceiver rx = new WebhookReceiver(SECRET);
        Pipeline p = new Pipeline(KAFKA)) {
      // the receiver refuses every document, so each must become a failure record
      rx.behaviour = r -> new WebhookReceiver.Answer(400, "{\"error\":\"no\"}", null);
      Map<String, String> settings =
          webhook("strict", ns, rx.url(), "batch.max.records", "5", "batch.max.wait", "100ms");
      // ingest.errors refuses the failure records for now
      errorsTopicMaxMessageBytes(64);
      Set<String> ids = new java.util.HashSet<>();
      try (ExportService s = p.start(settings)) {
        try {
          for (int i = 0; i < 10; i++) {
            ids.add(p.send(ns).id());
          }
          p.flush();
          DestinationLoop loop = s.loop("strict");
          Waits.until(
              Duration.ofSeconds(60),
              () -> loop.restarts() >= 1,
              () -> "the loop did not start over: " + loop.check());
          assertThat(loop.check().healthy()).isFalse();
          assertThat(loop.check().detail()).contains("cannot write failure records");
        } finally {
          errorsTopicMaxMessageBytes(4 * 1024 * 1024);
        }
        // from the committed offsets: the documents are sent again, refused again, and now
        // recorded
        Waits.until(
            Duration.ofSeconds(60),
            () ->
                p.failures("export:strict").stream()
                    .map(r -> FailureRecordSerde.decode(r.value()).attributes().get("document_id"))
                    .collect(Collectors.toSet())
                    .containsAll(ids),
            () -> p.failures("export:strict").size() + " failure records, expected all of " + ids);
        Waits.until(
            Duration.ofSeconds(30),
            () -> s.loop("strict").check().healthy(),
            () -> "still failing: " + s.loop("strict").check());
      }
    }
  }
}
