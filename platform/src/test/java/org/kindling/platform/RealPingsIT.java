package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;
import org.kindling.platform.local.LocalPlatform;
import org.kindling.platform.query.LakeQuery;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.S3ServerExtension;
import org.kindling.testkit.Waits;

/**
 * Real Mozilla schemas and real-shaped pings through the whole pipeline (edge, validator,
 * geo-enricher, s3-sink on a real broker and S3 server), read back by DuckDB: the fixture folder of
 * real schemas from mozilla-pipeline-schemas (schemas module, {@code src/test/resources/mozilla})
 * is both {@code validator.schemas.dir} and {@code sink.schemas.dir}, checked every second.
 *
 * <p>A Firefox desktop main ping (gzip, sent by pingsender), a mobile core ping (version from
 * {@code v}), a Fenix baseline ping (its application's own schema) and a topsites-click ping (real
 * {@code mozPipelineMetadata}) each land in their own table with typed columns and Mozilla's
 * decoder attributes; then a doctype deployed into the watched folder is taken without a restart,
 * and a broken deploy is refused while the old set keeps working.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPingsIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.filesystem();

  static final Path MOZILLA = Path.of("..", "schemas", "src", "test", "resources", "mozilla");

  /** San Francisco in the testkit's GeoIP database. */
  static final String CLIENT = "2.20.1.10";

  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  @TempDir static Path data;
  static Path schemas;
  static LocalPlatform platform;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    schemas = data.resolve("mozilla-pipeline-schemas");
    copy(MOZILLA.resolve("schemas"), schemas.resolve("schemas"));
    Map<String, String> o = PipelineRig.settings(data.resolve("platform"), S3);
    // a checkout's root, as an operator would point at it
    o.put("validator.schemas.dir", schemas.toString());
    o.put("sink.schemas.dir", schemas.toString());
    o.put("validator.schemas.check.interval", CHECK_INTERVAL.toSeconds() + "s");
    o.put("sink.schemas.check.interval", CHECK_INTERVAL.toSeconds() + "s");
    platform = LocalPlatform.start(KAFKA.config(o));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        Files.createDirectories(t.getParent());
        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static int post(String path, byte[] body, String userAgent, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(platform.edgeUrl() + path))
            .header("User-Agent", userAgent)
            .header("X-Forwarded-For", CLIENT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static byte[] ping(String name) throws IOException {
    return Files.readAllBytes(MOZILLA.resolve("pings/" + name));
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }

  private static Path lake() {
    return S3.basedir().resolve("kindling-lake");
  }

  /** The rows of {@code sql} once {@code table} has {@code rows} rows. */
  private static List<List<Object>> await(String table, long rows, String sql) throws Exception {
    Waits.until(
        Duration.ofMinutes(2),
        () -> {
          try (LakeQuery q = new LakeQuery(lake())) {
            return q.views().containsKey(table) && q.rowCounts().get(table) >= rows;
          } catch (Exception e) {
            return false;
          }
        },
        () -> table + " has not " + rows + " rows");
    try (LakeQuery q = new LakeQuery(lake())) {
      return q.run(sql).rows();
    }
  }

  private static long errors(String errorType, String documentType) throws Exception {
    try (LakeQuery q = new LakeQuery(lake())) {
      if (!q.views().containsKey("errors")) {
        return 0;
      }
      return ((Number)
              q.run(
                      "SELECT count(*) FROM errors WHERE error_type = '"
                          + errorType
                          + "' AND attributes['document_type'] = '"
                          + documentType
                          + "'")
                  .rows()
                  .get(0)
                  .get(0))
          .longValue();
    }
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }

  @Test
  @Order(1)
  void shouldLandRealPingsInTheirOwnTablesWithTypedColumnsAndTheDecoderAttributes()
      throws Exception {
    assertThat(
            post(
                "/submit/telemetry/" + id() + "/main/Firefox/45.0/beta/20151103030248",
                gzip(ping("telemetry-main.4.json")),
                "pingsender/1.0",
                "Content-Encoding",
                "gzip",
                "X-PingSender-Version",
                "1.0"))
        .isEqualTo(200);
    assertThat(
            post(
                "/submit/telemetry/" + id() + "/core/Fennec/59.0/beta/20180220100000",
                ping("telemetry-core.10.json"),
                "Mozilla/5.0 (Android 6.0.1; Mobile; rv:59.0) Gecko/59.0 Firefox/59.0"))
        .isEqualTo(200);
    assertThat(
            post(
                "/submit/org-mozilla-fenix/baseline/1/" + id(),
                ping("org-mozilla-fenix-baseline.1.json"),
                "Glean/66.1.0 (Kotlin on Android)"))
        .isEqualTo(200);
    // a Glean application the repository has no schema for: no fallback for a real repository
    assertThat(
            post(
                "/submit/org-mozilla-focus/baseline/1/" + id(),
                ping("org-mozilla-fenix-baseline.1.json"),
                "Glean/66.1.0 (Kotlin on Android)"))
        .isEqualTo(200);
    assertThat(
            post(
                "/submit/contextual-services/topsites-click/1/" + id(),
                ping("contextual-services-topsites-click.1.json"),
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"))
        .isEqualTo(200);

    List<Object> main =
        await(
                "telemetry_main_v4",
                1,
                "SELECT clientId, sample_id, normalized_os, normalized_os_version,"
                    + " normalized_channel, normalized_app_name, normalized_country_code,"
                    + " environment.system.os.name, typeof(payload.info.sessionLength),"
                    + " metadata.header.x_pingsender_version, metadata.user_agent.browser,"
                    + " metadata.geo.city FROM telemetry_main_v4")
            .get(0);
    // the upper-case clientId of the ping, normalized; sample_id 67 as in Mozilla's decoder test
    assertThat(main)
        .containsExactly(
            "2907648d-711b-4e9f-94b5-52a2b40a44b1",
            67L,
            "Mac",
            "14.5.0",
            "beta",
            "Firefox",
            "US",
            "Darwin",
            "BIGINT",
            "1.0",
            null,
            "San Francisco");

    List<Object> core =
        await(
                "telemetry_core_v10",
                1,
                "SELECT clientId, sample_id, normalized_os, normalized_os_version,"
                    + " normalized_app_name, normalized_channel, metadata.user_agent.browser,"
                    + " metadata.user_agent.version, metadata.user_agent.os, typeof(seq),"
                    + " metadata.uri.document_version FROM telemetry_core_v10")
            .get(0);
    assertThat(core)
        .containsExactly(
            "6763e028-d9b2-49a9-b221-a82d62465322",
            77L,
            "Android",
            "23",
            "Fennec",
            "beta",
            "Firefox",
            "59",
            "Android",
            "BIGINT",
            "10");

    List<Object> baseline =
        await(
                "org_mozilla_fenix_baseline_v1",
                1,
                "SELECT client_info.client_id, sample_id, normalized_channel, normalized_os,"
                    + " normalized_os_version, normalized_app_name, ping_info.start_time,"
                    + " typeof(ping_info.seq), metadata.user_agent.os"
                    + " FROM org_mozilla_fenix_baseline_v1")
            .get(0);
    assertThat(baseline)
        .containsExactly(
            "90210716-99f8-0a4f-8119-9bfc16cd68a3",
            17L,
            "release",
            "Android",
            "15",
            null,
            "2026-11-23T00:36-00:00",
            "BIGINT",
            "Android");

    // real mozPipelineMetadata: no city (nor its coordinates), the timestamp to the second; no
    // client id and no other UUID source named by the schema, so no sample_id
    List<Object> topsites =
        await(
                "contextual_services_topsites_click_v1",
                1,
                "SELECT metadata.geo.country, metadata.geo.city, metadata.geo.latitude,"
                    + " microsecond(submission_timestamp) % 1000000, sample_id, tile_id"
                    + " FROM contextual_services_topsites_click_v1")
            .get(0);
    assertThat(topsites).containsExactly("US", null, null, 0L, null, 42L);

    Waits.until(
        Duration.ofMinutes(1),
        () -> {
          try {
            return errors("schema_not_found", "baseline") == 1;
          } catch (Exception e) {
            return false;
          }
        },
        () -> "the org-mozilla-focus ping is not in the errors lake as schema_not_found");
  }

  private static JsonNode version() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(platform.edgeUrl() + "/__version__")).build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.mapper().readTree(r.body());
  }

  private static String metrics() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(platform.opsUrl() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  @Order(2)
  void shouldTakeANewDoctypeWithoutARestartAndRefuseABrokenDeploy() throws Exception {
    JsonNode before = version();
    String firstId = before.at("/schemas/validator/id").asText();
    assertThat(before.get("name").asText()).isEqualTo("kindling");
    assertThat(before.has("build_time")).isTrue();
    assertThat(before.at("/schemas/s3-sink/id").asText()).isEqualTo(firstId);
    assertThat(before.at("/schemas/validator/schemas").asInt()).isEqualTo(7);

    String click = "{\"button\":\"play\",\"count\":3}";
    assertThat(post("/submit/acme/click/1/" + id(), click.getBytes(StandardCharsets.UTF_8), "x"))
        .isEqualTo(200);
    Waits.until(
        Duration.ofMinutes(1),
        () -> {
          try {
            return errors("schema_not_found", "click") == 1;
          } catch (Exception e) {
            return false;
          }
        },
        () -> "acme/click before its deploy is not schema_not_found");

    // deploy: a new doctype, written beside and moved into place as a checkout update would
    Path file = schemas.resolve("schemas/acme/click/click.1.schema.json");
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(".click.1.schema.json.tmp");
    Files.writeString(
        tmp,
        "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
            + "\"required\":[\"button\"],\"properties\":{\"button\":{\"type\":\"string\"},"
            + "\"count\":{\"type\":\"integer\"}}}");
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    long deployed = System.nanoTime();
    Waits.until(
        Duration.ofSeconds(30),
        () -> {
          try {
            JsonNode v = version();
            return !v.at("/schemas/validator/id").asText().equals(firstId)
                && !v.at("/schemas/s3-sink/id").asText().equals(firstId);
          } catch (Exception e) {
            return false;
          }
        },
        () -> "the new schema set was not taken");
    double seconds = (System.nanoTime() - deployed) / 1e9;
    System.out.printf("new doctype taken %.1f s after the deploy (check interval 1 s)%n", seconds);
    assertThat(seconds).isLessThan(CHECK_INTERVAL.toSeconds() * 10.0);
    String secondId = version().at("/schemas/validator/id").asText();
    assertThat(version().at("/schemas/validator/schemas").asInt()).isEqualTo(8);

    assertThat(post("/submit/acme/click/1/" + id(), click.getBytes(StandardCharsets.UTF_8), "x"))
        .isEqualTo(200);
    List<Object> row =
        await("acme_click_v1", 1, "SELECT button, count, typeof(count) FROM acme_click_v1").get(0);
    assertThat(row).containsExactly("play", 3L, "BIGINT");

    // a broken deploy: refused by both, the set in use keeps working
    Path broken = schemas.resolve("schemas/acme/view/view.1.schema.json");
    Files.createDirectories(broken.getParent());
    Files.writeString(broken, "{\"type\": \"object\",");
    Waits.until(
        Duration.ofSeconds(30),
        () -> {
          try {
            String m = metrics();
            return m.contains("schema_set_reloads_total{result=\"refused\",stage=\"validator\"}")
                && m.contains("schema_set_reloads_total{result=\"refused\",stage=\"s3-sink\"}");
          } catch (Exception e) {
            return false;
          }
        },
        () -> "the broken set was not refused");
    assertThat(version().at("/schemas/validator/id").asText()).isEqualTo(secondId);
    assertThat(metrics())
        .contains("schema_set_in_use{id=\"" + secondId + "\"")
        .contains("schema_set_schemas{stage=\"validator\"} 8.0");
    assertThat(post("/submit/acme/click/1/" + id(), click.getBytes(StandardCharsets.UTF_8), "x"))
        .isEqualTo(200);
    await("acme_click_v1", 2, "SELECT count(*) FROM acme_click_v1");
    assertThat(errors("schema_not_found", "click")).isEqualTo(1);
  }
}
