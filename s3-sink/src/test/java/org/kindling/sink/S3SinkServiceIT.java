package org.kindling.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Topics;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.sink.store.ObjectStore;
import org.kindling.sink.store.ObjectStores;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.S3ServerExtension;
import org.kindling.testkit.Waits;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The sink between a real KRaft broker and a real S3 server (S3Proxy, filesystem backend). */
class S3SinkServiceIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.filesystem();

  private static final String CLIENT_IP = "203.0.113.77";

  @BeforeAll
  static void topics() {
    KAFKA.ensureTopics();
  }

  private static KindlingConfig config(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put(SinkConfig.ENDPOINT, S3.endpoint().toString());
    m.put(SinkConfig.ACCESS_KEY_ID, S3.accessKey());
    m.put(SinkConfig.SECRET_ACCESS_KEY, S3.secretKey());
    m.put(SinkConfig.IDLE_FLUSH, "1s");
    m.put(SinkConfig.PUBLIC_SUMMARY_INTERVAL, "1s");
    m.putAll(extra);
    return KAFKA.config(m);
  }

  private static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(String where) {
      super("simulated crash " + where);
    }
  }

  private static long[] lakeCounts(String glob) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT document_id), count(DISTINCT json_extract(additional_properties, '$.n')) FROM"
                    + " read_parquet('"
                    + glob
                    + "', hive_partitioning=true, union_by_name=true)")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    } catch (SQLException e) {
      if (e.getMessage().contains("No files found")) {
        return new long[] {0, 0, 0};
      }
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldLandEveryDocumentExactlyOnceWhileKilledAtRandomPoints() throws Exception {
    int n = 20_000;
    try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
      for (int i = 0; i < n; i++) {
        String id = "eo-" + i;
        String ts = (i % 5 == 0 ? "2026-11-23" : "2026-11-24") + "T18:05:00.123456Z";
        String doc =
            "{\"document_id\":\""
                + id
                + "\",\"submission_timestamp\":\""
                + ts
                + "\",\"event\":\"download\",\"size_bytes\":"
                + i
                + ",\"n\":"
                + i
                + ",\"metadata\":{\"geo\":{\"country\":\"DE\"}}}";
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(
                Topics.ENRICHED.name(),
                null,
                id.getBytes(StandardCharsets.UTF_8),
                doc.getBytes(StandardCharsets.UTF_8));
        AttributeHeaders.put(r.headers(), "document_namespace", "eo");
        AttributeHeaders.put(r.headers(), "document_type", i % 2 == 0 ? "download" : "share");
        AttributeHeaders.put(r.headers(), "document_version", "1");
        AttributeHeaders.put(r.headers(), "submission_timestamp", ts);
        p.send(r);
      }
      p.flush();
    }
    // crash once at each step of a flush, then at random steps, as a killed process would
    Map<SinkHooks.Point, AtomicInteger> crashes = new EnumMap<>(SinkHooks.Point.class);
    Random random = new Random(7);
    AtomicInteger total = new AtomicInteger();
    SinkHooks hooks =
        (point, tp) -> {
          AtomicInteger c = crashes.computeIfAbsent(point, k -> new AtomicInteger());
          boolean first = c.get() == 0;
          if (total.get() < 7 && (first || random.nextInt(8) == 0)) {
            c.incrementAndGet();
            total.incrementAndGet();
            throw new Crash("at " + point + " of " + tp);
          }
        };
    KindlingConfig c =
        config(
            Map.of(
                SinkConfig.ERRORS_ENABLED, "false",
                SinkConfig.LANDFILL_ENABLED, "false",
                SinkConfig.PUBLIC_ENABLED, "false",
                SinkConfig.FILE_MAX_RECORDS, "1200"));
    String glob = S3.basedir().resolve("kindling-lake") + "/eo/*/v1/*/*.parquet";
    try (ObjectStore store = ObjectStores.fromConfig(c)) {
      S3SinkService.Parts parts = new S3SinkService.Parts(store, SchemaLookup.NONE, hooks);
      // first instance: crashes inside, restarting its loop from the committed offsets; then it
      // is replaced by a second instance, as a redeploy would
      S3SinkService first = new S3SinkService(c, new SimpleMeterRegistry(), parts);
      first.start();
      Waits.until(
          Duration.ofSeconds(90), () -> total.get() >= 4, () -> "crashes so far: " + crashes);
      first.close();
      S3SinkService second = new S3SinkService(c, new SimpleMeterRegistry(), parts);
      second.start();
      try {
        Waits.until(
            Duration.ofSeconds(120),
            () -> lakeCounts(glob)[0] >= n && total.get() >= 7,
            () -> "rows " + lakeCounts(glob)[0] + ", crashes " + crashes);
        Thread.sleep(1500); // a late duplicate would show up within an idle flush
      } finally {
        second.close();
      }
    }

    assertThat(total.get()).isGreaterThanOrEqualTo(5);
    assertThat(crashes.keySet())
        .contains(SinkHooks.Point.BEFORE_COMMIT, SinkHooks.Point.AFTER_UPLOAD);
    assertThat(lakeCounts(glob)).containsExactly(n, n, n);
  }

  @Test
  void shouldArchiveRawLandErrorsAndPublishAggregates() throws Exception {
    String id = "pub-1";
    byte[] body = "{\"event\":\"download\"}".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
      ProducerRecord<byte[], byte[]> raw =
          new ProducerRecord<>(Topics.RAW.name(), id.getBytes(StandardCharsets.UTF_8), body);
      AttributeHeaders.put(raw.headers(), "submission_timestamp", "2026-11-24T07:59:59.000001Z");
      AttributeHeaders.put(raw.headers(), "uri", "/submit/glow/download/1/" + id);
      AttributeHeaders.put(raw.headers(), "remote_addr", CLIENT_IP);
      AttributeHeaders.put(raw.headers(), "x_forwarded_for", CLIENT_IP);
      p.send(raw);
      FailureRecord f =
          new FailureRecord(
              body,
              Map.of("submission_timestamp", "2026-11-24T07:59:59Z", "remote_addr", CLIENT_IP),
              "schema_validation",
              "$.event: missing",
              null,
              "validator",
              Instant.parse("2026-11-24T08:00:00Z"));
      p.send(
          new ProducerRecord<>(
              Topics.ERRORS.name(),
              id.getBytes(StandardCharsets.UTF_8),
              FailureRecordSerde.encode(f)));
      // the partial counts of one ingest.validated partition (0) as the geo-enricher writes them:
      // all on the ingest.counts partition of that source partition, the watermark last
      String[][] counts = {
        {"glow.download|total|all|all|0", "{\"count\":5,\"updated_at\":\"2026-11-24T18:05:30Z\"}"},
        {
          "glow.download|total|country|DE|0",
          "{\"count\":5,\"updated_at\":\"2026-11-24T18:05:30Z\"}"
        },
        {
          "glow.download|total|continent|EU|0",
          "{\"count\":5,\"updated_at\":\"2026-11-24T18:05:30Z\"}"
        },
        {
          "glow.download|minute|2026-11-24T18:05Z|0",
          "{\"count\":5,\"countries\":{\"DE\":5},\"locations\":{\"52.5,13.4\":5}}"
        },
        {
          "watermark|0",
          "{\"closed_until\":\"2026-11-24T18:06:00Z\",\"partitions\":1,\"min_count\":5}"
        }
      };
      for (String[] kv : counts) {
        p.send(
            new ProducerRecord<>(
                Topics.COUNTS.name(),
                0,
                kv[0].getBytes(StandardCharsets.UTF_8),
                kv[1].getBytes(StandardCharsets.UTF_8)));
      }
      p.flush();
    }
    KindlingConfig c = config(Map.of(SinkConfig.LAKE_ENABLED, "false"));
    S3SinkService sink = new S3SinkService(c, new SimpleMeterRegistry());
    sink.start();
    Path base = S3.basedir();
    try {
      Waits.until(
          Duration.ofSeconds(60),
          () ->
              Files.exists(base.resolve("kindling-public/glow/download/latest.json"))
                  && Files.exists(base.resolve("kindling-public/glow/download/summary.json"))
                  && !files(base.resolve("kindling-landfill")).isEmpty()
                  // other tests of the class write to the errors lake too: wait for this one's row
                  && errorRows(base.resolve("kindling-lake/errors"), "pub-1") > 0,
          () -> "files so far: " + files(base));
    } finally {
      sink.close();
    }

    // landfill: gzip'd NDJSON in its hour, original bytes, no client address
    List<Path> landfill = files(base.resolve("kindling-landfill"));
    assertThat(base.resolve("kindling-landfill").relativize(landfill.get(0)).toString())
        .matches(
            "raw/submission_date=2026-11-24/hour=07/ingest\\.raw\\+\\d+\\+\\d{20}\\.ndjson\\.gz");
    String line =
        new String(
            new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(landfill.get(0))))
                .readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(org.kindling.core.Json.mapper().readTree(line).path("payload").binaryValue())
        .isEqualTo(body);

    // errors lake
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT error_type, decode(payload), CAST(submission_date AS VARCHAR) FROM"
                    + " read_parquet('"
                    + base.resolve("kindling-lake/errors")
                    + "/*/*.parquet', hive_partitioning=true) WHERE document_id = 'pub-1'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("schema_validation");
      assertThat(rs.getString(2)).isEqualTo("{\"event\":\"download\"}");
      assertThat(rs.getString(3)).isEqualTo("2026-11-24");
    }

    // public files: headers set through the S3 API, latest.json names an existing minute file
    var s3 = S3.client();
    HeadObjectResponse summary =
        s3.headObject(r -> r.bucket("kindling-public").key("glow/download/summary.json"));
    assertThat(summary.contentType()).isEqualTo("application/json");
    assertThat(summary.cacheControl()).isEqualTo("public, max-age=10");
    assertThat(summary.eTag()).isNotBlank();
    String minuteKey = "glow/download/minutes/2026-11-24T18:05Z.json";
    HeadObjectResponse minute = s3.headObject(r -> r.bucket("kindling-public").key(minuteKey));
    assertThat(minute.cacheControl()).isEqualTo("public, max-age=600");
    var latest =
        org.kindling.core.Json.mapper()
            .readTree(
                s3.getObjectAsBytes(
                        r -> r.bucket("kindling-public").key("glow/download/latest.json"))
                    .asByteArray());
    assertThat(latest.path("latest").asText()).isEqualTo(minuteKey);
    assertThat(latest.path("minutes").get(0).path("total").asLong()).isEqualTo(5);
    var summaryJson =
        org.kindling.core.Json.mapper()
            .readTree(
                s3.getObjectAsBytes(
                        r -> r.bucket("kindling-public").key("glow/download/summary.json"))
                    .asByteArray());
    assertThat(summaryJson.path("total").asLong()).isEqualTo(5);
    assertThat(summaryJson.path("by_country").path("DE").asLong()).isEqualTo(5);

    // CORS preflight answered by the S3 server for the public files
    HttpResponse<String> preflight =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(S3.endpoint() + "/kindling-public/glow/download/latest.json"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://dashboard.example")
                    .header("Access-Control-Request-Method", "GET")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isPresent();

    // no client address in any object the sink wrote
    for (Path f : files(base)) {
      byte[] bytes = Files.readAllBytes(f);
      if (f.toString().endsWith(".gz")) {
        bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
      }
      assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
          .as(f.toString())
          .doesNotContain(CLIENT_IP);
    }
  }

  @Test
  void shouldReplayMatchingErrorsToRawWithOriginalBytesAndAttributes() throws Exception {
    Instant t = Instant.parse("2030-01-01T00:00:00Z"); // after every other test's errors
    try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
      for (int i = 0; i < 6; i++) {
        FailureRecord f =
            new FailureRecord(
                new byte[] {31, -117, (byte) i},
                Map.of("uri", "/submit/glow/download/1/r" + i, "remote_addr", "192.0.2.1"),
                i % 2 == 0 ? "schema_not_found" : "json_parse",
                "x",
                null,
                "validator",
                t.plusSeconds(i * 60L));
        p.send(
            new ProducerRecord<>(
                Topics.ERRORS.name(),
                ("r" + i).getBytes(StandardCharsets.UTF_8),
                FailureRecordSerde.encode(f)));
      }
      p.flush();
    }

    ErrorReplay.Result r =
        ErrorReplay.replay(
            KAFKA.config(), "schema_not_found", t, t.plusSeconds(4 * 60L), Duration.ofHours(24));

    assertThat(r.published())
        .containsExactly(Map.entry("ingest.raw", 2L)); // r0, r2; r4 is at until
    List<ConsumerRecord<byte[], byte[]>> raw =
        new ArrayList<>(KAFKA.consumeAll(Topics.RAW.name(), Duration.ofSeconds(2)));
    raw.removeIf(
        x -> x.key() == null || !new String(x.key(), StandardCharsets.UTF_8).matches("r\\d"));
    assertThat(raw).hasSize(2);
    for (ConsumerRecord<byte[], byte[]> x : raw) {
      String key = new String(x.key(), StandardCharsets.UTF_8);
      assertThat(x.value())
          .isEqualTo(new byte[] {31, -117, (byte) Integer.parseInt(key.substring(1))});
      Map<String, String> headers = new HashMap<>();
      for (Header h : x.headers()) {
        headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
      }
      assertThat(headers)
          .containsEntry("uri", "/submit/glow/download/1/" + key)
          .containsEntry("remote_addr", "192.0.2.1");
    }
  }

  /**
   * Each error goes back to the stage that failed it: validator errors to ingest.raw, geo-enricher
   * errors to ingest.validated (past the dedup store, which would drop every one of them there);
   * export failures are left to {@code kindling export --replay}. The replay says how many of those
   * sent to ingest.raw the validator has passed already and will drop as duplicates.
   */
  @Test
  void shouldReplayEachErrorToTheStageThatFailedItAndForecastTheDuplicates() throws Exception {
    Instant t = Instant.parse("2031-01-01T00:00:00Z"); // after every other test's errors
    String passed = "00000000-0000-4000-8000-000000000031";
    String fresh = "00000000-0000-4000-8000-000000000032";
    try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
      // the validator passed one of the two documents it will see again
      p.send(
          new ProducerRecord<>(
              Topics.VALIDATED.name(),
              null,
              passed.getBytes(StandardCharsets.UTF_8),
              "{}".getBytes(StandardCharsets.UTF_8),
              AttributeHeaders.fromMap(
                  Map.of(
                      "document_namespace", "glow",
                      "document_type", "download",
                      "document_id", passed))));
      String[][] failures = {
        {passed, "validator", "schema_validation"},
        {fresh, "validator", "schema_validation"},
        {"00000000-0000-4000-8000-000000000033", "geo-enricher", "enrichment"},
        {"00000000-0000-4000-8000-000000000034", "geo-enricher", "processing"},
        {"00000000-0000-4000-8000-000000000035", "export:hooks", "export_failed"},
        {"00000000-0000-4000-8000-000000000036", "log-source", "log_parse"}
      };
      for (String[] f : failures) {
        FailureRecord record =
            new FailureRecord(
                ("{\"id\":\"" + f[0] + "\"}").getBytes(StandardCharsets.UTF_8),
                Map.of("uri", "/submit/glow/download/1/" + f[0]),
                f[2],
                "x",
                null,
                f[1],
                t);
        p.send(
            new ProducerRecord<>(
                Topics.ERRORS.name(),
                f[0].getBytes(StandardCharsets.UTF_8),
                FailureRecordSerde.encode(record)));
      }
      p.flush();
    }

    ErrorReplay.Result r =
        ErrorReplay.replay(KAFKA.config(), null, t, t.plusSeconds(60), Duration.ofHours(24));

    assertThat(r.published())
        .containsExactlyInAnyOrderEntriesOf(Map.of("ingest.raw", 2L, "ingest.validated", 2L));
    assertThat(r.skipped()).hasSize(2);
    assertThat(r.skipped().keySet())
        .anySatisfy(k -> assertThat(k).contains("export:hooks", "export --replay"))
        .anySatisfy(k -> assertThat(k).contains("log-source", "kindling logs"));
    assertThat(r.duplicates()).as("the passed document").isEqualTo(1);
    List<String> raw = keys(KAFKA.consumeAll(Topics.RAW.name(), Duration.ofSeconds(2)));
    List<String> validated = keys(KAFKA.consumeAll(Topics.VALIDATED.name(), Duration.ofSeconds(2)));
    assertThat(raw)
        .contains(passed, fresh)
        .doesNotContain(
            "00000000-0000-4000-8000-000000000033", "00000000-0000-4000-8000-000000000036");
    assertThat(validated)
        .contains("00000000-0000-4000-8000-000000000033", "00000000-0000-4000-8000-000000000034")
        .doesNotContain(fresh);
    assertThat(raw).doesNotContain("00000000-0000-4000-8000-000000000035");
    assertThat(validated).doesNotContain("00000000-0000-4000-8000-000000000035");
  }

  private static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .filter(r -> r.key() != null)
        .map(r -> new String(r.key(), StandardCharsets.UTF_8))
        .toList();
  }

  private static List<Path> files(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Rows of the errors lake under {@code dir} for {@code documentId}; 0 while none is readable. */
  private static long errorRows(Path dir, String documentId) {
    if (files(dir).isEmpty()) {
      return 0;
    }
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM read_parquet('"
                    + dir
                    + "/*/*.parquet', hive_partitioning=true) WHERE document_id = '"
                    + documentId
                    + "'")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return 0;
    }
  }
}
