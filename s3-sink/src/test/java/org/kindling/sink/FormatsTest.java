package org.kindling.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.schemas.SchemaStore;
import org.kindling.sink.parquet.ParquetFiles;
import org.kindling.sink.store.FileSystemObjectStore;

/** Each format written through a FileSink and read back by an independent reader. */
class FormatsTest {
  @TempDir Path dir;

  static SchemaLookup testSchemas() {
    try {
      return new SchemaStoreLookup(
          SchemaStore.fromDirectory(Path.of(FormatsTest.class.getResource("/schemas").toURI())));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ConsumerRecord<byte[], byte[]> record(
      String topic, long offset, String key, byte[] value, Map<String, String> headers) {
    RecordHeaders h = new RecordHeaders();
    headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
    return new ConsumerRecord<>(
        topic,
        0,
        offset,
        1_795_543_500_000L,
        TimestampType.CREATE_TIME,
        key == null ? -1 : key.length(),
        value.length,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value,
        h,
        Optional.empty());
  }

  private <T> void writeAll(
      FileSystemObjectStore store,
      String topic,
      String bucket,
      FileFormat<T> format,
      List<ConsumerRecord<byte[], byte[]>> records)
      throws IOException {
    FileSink<T> sink =
        new FileSink<>(
            topic,
            bucket,
            format,
            store,
            (tp, o, m) -> {},
            new FileSink.Limits(
                1000, 1 << 30, Duration.ofDays(1), Duration.ofDays(1), 100, 1L << 30),
            Files.createDirectories(dir.resolve("tmp")),
            SinkHooks.NONE,
            new SimpleMeterRegistry());
    sink.assigned(new TopicPartition(topic, 0));
    for (ConsumerRecord<byte[], byte[]> r : records) {
      sink.accept(r);
    }
    sink.flushAll();
  }

  /** Writes one document and one error into {@code target}/s3/lake, for the DDL test. */
  void writeForDdl(Path target, SchemaLookup schemas) throws Exception {
    this.dir = target;
    FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("s3"));
    ParquetFiles files = new ParquetFiles("zstd", 1 << 20, 64 << 10);
    writeAll(
        store,
        "ingest.enriched",
        "lake",
        new LakeFormat(schemas, files, new SimpleMeterRegistry()),
        List.of(
            record(
                "ingest.enriched",
                0,
                "d",
                "{\"event\":\"download\"}".getBytes(StandardCharsets.UTF_8),
                doctypeHeaders("2026-11-24T18:05:00Z"))));
    writeAll(
        store,
        "ingest.errors",
        "lake",
        new ErrorsFormat(files),
        List.of(record("ingest.errors", 0, "x", AthenaDdlTest.errorBytes(), Map.of())));
  }

  private static Map<String, String> doctypeHeaders(String ts) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("document_namespace", "glow");
    h.put("document_type", "download");
    h.put("document_version", "1");
    h.put("submission_timestamp", ts);
    return h;
  }

  @Test
  void shouldWriteLakeParquetThatDuckDbReadsWithSchemaTypesAndValues() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("s3"));
    String doc =
        """
        {"submission_timestamp":"2026-11-24T18:05:00.123456Z","document_id":"d1","sample_id":42,
         "normalized_country_code":"DE",
         "metadata":{"geo":{"country":"DE","city":"Berlin","latitude":52.52,"longitude":13.4},
                     "user_agent":{"browser":"Firefox","version":"140","os":"Linux"},
                     "uri":{"document_namespace":"glow","document_type":"download","document_version":"1"}},
         "event":"download","client_id":"c1","size_bytes":123456789012,"duration":1.5,"ok":true,
         "tags":["a","b"],"labels":{"x":1},"source":{"site":"glow.example","campaign":null},
         "extra":7,"surprise":{"nested":[1,2]}}
        """;
    LakeFormat format =
        new LakeFormat(
            testSchemas(), new ParquetFiles("zstd", 1 << 20, 64 << 10), new SimpleMeterRegistry());
    writeAll(
        store,
        "ingest.enriched",
        "lake",
        format,
        List.of(
            record(
                "ingest.enriched",
                0,
                "d1",
                doc.getBytes(StandardCharsets.UTF_8),
                doctypeHeaders("2026-11-24T18:05:00.123456Z"))));

    assertThat(store.list("lake", ""))
        .containsExactly(
            "glow/download/v1/submission_date=2026-11-24/ingest.enriched+0+00000000000000000000.parquet");
    String glob = dir.resolve("s3/lake") + "/glow/download/v1/*/*.parquet";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      Map<String, String> types = new HashMap<>();
      try (ResultSet rs =
          s.executeQuery(
              "DESCRIBE SELECT * FROM read_parquet('" + glob + "', hive_partitioning=true)")) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      }
      assertThat(types)
          .containsEntry("submission_timestamp", "TIMESTAMP WITH TIME ZONE")
          .containsEntry("size_bytes", "BIGINT")
          .containsEntry("duration", "DOUBLE")
          .containsEntry("ok", "BOOLEAN")
          .containsEntry("tags", "VARCHAR[]")
          .containsEntry("labels", "MAP(VARCHAR, BIGINT)")
          .containsEntry("source", "STRUCT(site VARCHAR, campaign VARCHAR)")
          .containsEntry("extra", "VARCHAR")
          .containsEntry("additional_properties", "VARCHAR")
          .containsKey("submission_date");
      assertThat(types.get("metadata")).startsWith("STRUCT(geo STRUCT(country VARCHAR");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT epoch_us(submission_timestamp), document_id, sample_id, size_bytes,"
                  + " duration, ok, tags[2], labels['x'], source.site, extra,"
                  + " metadata.geo.city, metadata.geo.latitude, additional_properties,"
                  + " CAST(submission_date AS VARCHAR), normalized_country_code FROM read_parquet('"
                  + glob
                  + "', hive_partitioning=true)")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(1_795_543_500_123_456L);
        assertThat(rs.getString(2)).isEqualTo("d1");
        assertThat(rs.getLong(3)).isEqualTo(42);
        assertThat(rs.getLong(4)).isEqualTo(123456789012L);
        assertThat(rs.getDouble(5)).isEqualTo(1.5);
        assertThat(rs.getBoolean(6)).isTrue();
        assertThat(rs.getString(7)).isEqualTo("b");
        assertThat(rs.getLong(8)).isEqualTo(1);
        assertThat(rs.getString(9)).isEqualTo("glow.example");
        assertThat(rs.getString(10)).isEqualTo("7");
        assertThat(rs.getString(11)).isEqualTo("Berlin");
        assertThat(rs.getDouble(12)).isEqualTo(52.52);
        assertThat(Json.mapper().readTree(rs.getString(13)))
            .isEqualTo(Json.mapper().readTree("{\"surprise\":{\"nested\":[1,2]}}"));
        assertThat(rs.getString(14)).isEqualTo("2026-11-24");
        assertThat(rs.getString(15)).isEqualTo("DE");
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void shouldKeepDocumentOfUnknownDoctypeAndUnparseableValue() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("s3"));
    LakeFormat format =
        new LakeFormat(
            SchemaLookup.NONE,
            new ParquetFiles("snappy", 1 << 20, 64 << 10),
            new SimpleMeterRegistry());
    Map<String, String> h = doctypeHeaders("2026-11-24T18:05:00Z");
    writeAll(
        store,
        "ingest.enriched",
        "lake",
        format,
        List.of(
            record("ingest.enriched", 0, "a", "{\"k\":[1]}".getBytes(StandardCharsets.UTF_8), h),
            record("ingest.enriched", 1, "b", "not json".getBytes(StandardCharsets.UTF_8), h)));

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT document_id, additional_properties FROM read_parquet('"
                    + dir.resolve("s3/lake")
                    + "/**/*.parquet') ORDER BY 1")) {
      rs.next();
      assertThat(rs.getString(2)).isEqualTo("{\"k\":[1]}");
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("b");
      assertThat(rs.getString(2)).isEqualTo("{\"unparseable_document_base64\":\"bm90IGpzb24=\"}");
    }
  }

  @Test
  void shouldWriteErrorsParquetWithoutClientAddress() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("s3"));
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("submission_timestamp", "2026-11-24T18:05:00.000001Z");
    attrs.put("uri", "/submit/glow/download/1/x");
    attrs.put("remote_addr", "203.0.113.7");
    FailureRecord f =
        new FailureRecord(
            "{\"bad\"".getBytes(StandardCharsets.UTF_8),
            attrs,
            "json_parse",
            "Unexpected end",
            "com.fasterxml.jackson.core.JsonParseException",
            "validator",
            Instant.parse("2026-11-25T00:00:01Z"));
    writeAll(
        store,
        "ingest.errors",
        "lake",
        new ErrorsFormat(new ParquetFiles("zstd", 1 << 20, 64 << 10)),
        List.of(record("ingest.errors", 0, "x", FailureRecordSerde.encode(f), Map.of())));

    assertThat(store.list("lake", ""))
        .containsExactly(
            "errors/submission_date=2026-11-24/ingest.errors+0+00000000000000000000.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT error_type, error_message, exception_class, stage, attributes['uri'],"
                    + " cardinality(attributes), decode(payload), epoch_us(failed_at) FROM"
                    + " read_parquet('"
                    + dir.resolve("s3/lake")
                    + "/errors/*/*.parquet')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("json_parse");
      assertThat(rs.getString(2)).isEqualTo("Unexpected end");
      assertThat(rs.getString(3)).isEqualTo("com.fasterxml.jackson.core.JsonParseException");
      assertThat(rs.getString(4)).isEqualTo("validator");
      assertThat(rs.getString(5)).isEqualTo("/submit/glow/download/1/x");
      assertThat(rs.getLong(6)).isEqualTo(2);
      assertThat(rs.getString(7)).isEqualTo("{\"bad\"");
      assertThat(rs.getLong(8)).isEqualTo(1_795_564_801_000_000L);
    }
    assertThat(
            new String(
                Files.readAllBytes(onlyFile(dir.resolve("s3/lake"))), StandardCharsets.ISO_8859_1))
        .doesNotContain("203.0.113.7");
  }

  private static Path onlyFile(Path root) throws IOException {
    try (var s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
  }

  @Test
  void shouldArchiveRawSubmissionsAsGzipNdjsonByHour() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("s3"));
    Map<String, String> h = new LinkedHashMap<>();
    h.put("submission_timestamp", "2026-11-24T18:05:00.123456Z");
    h.put("uri", "/submit/glow/download/1/d1");
    h.put("remote_addr", "198.51.100.9");
    h.put("x_forwarded_for", "198.51.100.10");
    byte[] body = {31, -117, 8, 0, 1, 2, 3}; // arbitrary bytes, e.g. a gzip body
    writeAll(
        store,
        "ingest.raw",
        "landfill",
        new LandfillFormat(),
        List.of(record("ingest.raw", 5, "d1", body, h)));

    List<String> keys = store.list("landfill", "");
    assertThat(keys)
        .containsExactly(
            "raw/submission_date=2026-11-24/hour=18/ingest.raw+0+00000000000000000005.ndjson.gz");
    byte[] gz = store.get("landfill", keys.get(0)).orElseThrow();
    String text =
        new String(
            new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n").doesNotContain("198.51.100");
    JsonNode line = Json.mapper().readTree(text.trim());
    assertThat(line.path("document_id").asText()).isEqualTo("d1");
    assertThat(line.path("attributes").path("uri").asText())
        .isEqualTo("/submit/glow/download/1/d1");
    assertThat(line.path("payload").binaryValue()).isEqualTo(body);
  }
}
