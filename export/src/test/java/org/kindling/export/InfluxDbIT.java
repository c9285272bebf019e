package org.kindling.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;
import org.kindling.core.failure.FailureRecord;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.Waits;

/**
 * The influxdb destination against a real InfluxDB 1.6 (Debian's influxd, started by the test on
 * free loopback ports) and a real broker; the points are read back with InfluxQL.
 */
class InfluxDbIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @TempDir static Path dir;
  private static InfluxServer influx;

  /** Tag values that need escaping, and what InfluxDB 1.x stores for each. */
  private static final Map<String, String> OS =
      Map.of(
          "Windows", "Windows",
          "Mac OS X", "Mac OS X",
          "Linux, x86=64", "Linux, x86=64",
          "C:\\temp", "C:\\temp",
          "quote\"os", "quote\"os",
          // a trailing backslash would swallow the separator in 1.x: dropped (LineProtocol)
          "end\\", "end");

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(InfluxServer.INFLUXD), "Debian's influxdb is not installed");
    KAFKA.ensureTopics();
    influx = new InfluxServer(dir);
  }

  @AfterAll
  static void stop() {
    if (influx != null) {
      influx.close();
    }
  }

  private static Map<String, String> destination(String name, String db, String... kv) {
    Map<String, String> m = new HashMap<>();
    String p = "export.destination." + name + ".";
    m.put("export.destinations", name);
    m.put(p + "type", "influxdb");
    m.put(p + "influxdb.url", influx.url());
    m.put(p + "influxdb.database", db);
    m.put(p + "filter.namespaces", "influxit");
    m.put(p + "influxdb.fields", "response_time_ms,queue_length");
    m.put(p + "batch.max.records", "50");
    m.put(p + "batch.max.wait", "200ms");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(p + kv[i], kv[i + 1]);
    }
    return m;
  }

  private static JsonNode values(String db, String q) throws Exception {
    JsonNode n = Json.mapper().readTree(influx.query(db, q));
    return n.path("results").get(0).path("series");
  }

  private static long count(String db, String measurement) throws Exception {
    JsonNode series = values(db, "SELECT count(\"count\") FROM \"" + measurement + "\"");
    return series.isMissingNode() || series.isEmpty()
        ? 0
        : series.get(0).path("values").get(0).get(1).asLong();
  }

  @Test
  void shouldWriteAPointPerDocumentThatInfluxQlReadsBack() throws Exception {
    influx.query(null, "CREATE DATABASE kindling");
    influx.query(null, "CREATE DATABASE kindling_ms");
    List<String> countries = List.of("DE", "US", "FR");
    List<String> oses = List.copyOf(OS.keySet());
    // 300 documents in 30 distinct milliseconds: many share their tags and their millisecond
    Instant base = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    Map<String, Long> perCountry = new HashMap<>();
    Set<Long> millis = new HashSet<>();
    double responseSum = 0;
    try (Pipeline p = new Pipeline(KAFKA)) {
      for (int i = 0; i < 300; i++) {
        Instant at = base.plusMillis(i % 30).plusNanos(123_000);
        millis.add(at.toEpochMilli());
        String country = countries.get(i % 3);
        ObjectNode doc =
            Documents.download(UUID.randomUUID().toString(), at, country, oses.get(i % 6));
        doc.put("response_time_ms", i + 0.5);
        doc.put("queue_length", i % 7);
        responseSum += i + 0.5;
        perCountry.merge(country, 1L, Long::sum);
        p.send("influxit", doc);
      }
      Map<String, String> errorAttributes =
          Documents.attributes("influxit", "download", "e-1", base);
      p.sendError(
          new FailureRecord(
              new byte[] {1}, errorAttributes, "json_parse", "bad", null, "validator", base));
      p.flush();

      try (ExportService s =
          p.start(destination("grafana", "kindling", "filter.records", "both"))) {
        Waits.until(
            Duration.ofSeconds(60),
            () -> points("kindling", "influxit_download") == 300,
            () -> "points in influxit_download: " + points("kindling", "influxit_download"));
        Waits.until(
            Duration.ofSeconds(30),
            () -> points("kindling", "ingest_errors") == 1,
            () -> "points in ingest_errors: " + points("kindling", "ingest_errors"));
        // the counter moves once the write returned, a moment after the points are readable
        Waits.until(
            Duration.ofSeconds(10),
            () -> s.loop("grafana").metrics().deliveredCount() == 301,
            () -> "delivered " + s.loop("grafana").metrics().deliveredCount());
      }

      // one point per document, grouped by the tags chosen from the metadata
      JsonNode byCountry =
          values("kindling", "SELECT count(\"count\") FROM influxit_download GROUP BY country");
      Map<String, Long> counted = new HashMap<>();
      for (JsonNode series : byCountry) {
        counted.put(
            series.path("tags").path("country").asText(),
            series.path("values").get(0).get(1).asLong());
      }
      assertThat(counted).isEqualTo(perCountry);
      // tag values that need escaping arrive as they were (but a trailing backslash)
      JsonNode tagValues =
          values("kindling", "SHOW TAG VALUES FROM influxit_download WITH KEY = \"os\"");
      Set<String> stored = new HashSet<>();
      tagValues.get(0).path("values").forEach(v -> stored.add(v.get(1).asText()));
      assertThat(stored).isEqualTo(new HashSet<>(OS.values()));
      JsonNode channels =
          values("kindling", "SHOW TAG VALUES FROM influxit_download WITH KEY = \"channel\"");
      assertThat(channels.get(0).path("values").get(0).get(1).asText()).isEqualTo("release");
      // numeric fields, as floats
      JsonNode sum = values("kindling", "SELECT sum(response_time_ms) FROM influxit_download");
      assertThat(sum.get(0).path("values").get(0).get(1).asDouble()).isEqualTo(responseSum);
      // the point time is the submission time (ms), plus the per-document nanoseconds
      Set<Long> pointMillis = new HashSet<>();
      for (JsonNode v :
          values("kindling", "SELECT \"count\" FROM influxit_download").get(0).path("values")) {
        pointMillis.add(v.get(0).asLong() / 1_000_000);
      }
      assertThat(pointMillis).isEqualTo(millis);
      JsonNode errors =
          values(
              "kindling",
              "SELECT count(\"count\") FROM ingest_errors WHERE stage = 'validator'"
                  + " AND error_type = 'json_parse' AND document_type = 'download'");
      assertThat(errors.get(0).path("values").get(0).get(1).asLong()).isEqualTo(1);

      // the InfluxQL of the Grafana dashboard's panels finds these points
      JsonNode dashboard =
          Json.mapper()
              .readTree(
                  Path.of("../deploy/grafana/dashboards/kindling-destinations.json").toFile());
      int panels = 0;
      for (JsonNode panel : dashboard.path("panels")) {
        if (!"influxdb".equals(panel.path("datasource").path("type").asText())) {
          continue;
        }
        String q =
            panel
                .path("targets")
                .get(0)
                .path("query")
                .asText()
                .replace("$measurement", "influxit_download")
                .replace("$timeFilter", "time > now() - 1h");
        JsonNode series = values("kindling", q);
        assertThat(series).as("panel %s: %s", panel.path("title").asText(), q).isNotEmpty();
        if (q.contains("influxit_download")) {
          long total = 0;
          for (JsonNode one : series) {
            for (JsonNode v : one.path("values")) {
              total += v.get(1).asLong();
            }
          }
          assertThat(total)
              .as("documents in panel %s", panel.path("title").asText())
              .isEqualTo(300);
        }
        panels++;
      }
      assertThat(panels).isEqualTo(3);

      // re-sent documents (another group reads them all again) overwrite their own points
      try (ExportService again = p.start(destination("again", "kindling"))) {
        Waits.until(
            Duration.ofSeconds(60),
            () -> again.loop("again").metrics().deliveredCount() == 300,
            () -> "re-sent " + again.loop("again").metrics().deliveredCount());
      }
      assertThat(count("kindling", "influxit_download")).isEqualTo(300);

      // why ns is the default: with ms, documents of the same tags in the same millisecond
      // overwrite each other
      try (ExportService ms =
          p.start(destination("millis", "kindling_ms", "influxdb.precision", "ms"))) {
        Waits.until(
            Duration.ofSeconds(60),
            () -> ms.loop("millis").metrics().deliveredCount() == 300,
            () -> "sent " + ms.loop("millis").metrics().deliveredCount());
      }
      assertThat(count("kindling_ms", "influxit_download")).isLessThan(300);
    }
  }

  /** {@link #count}, or -1 while InfluxDB does not answer. */
  private static long points(String db, String m) {
    try {
      return count(db, m);
    } catch (Exception e) {
      return -1;
    }
  }
}
