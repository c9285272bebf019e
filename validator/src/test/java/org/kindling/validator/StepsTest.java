package org.kindling.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.schemas.SchemaEntry;

class StepsTest {
  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  static byte[] gzipUnchecked(byte[] bytes) {
    try {
      return gzip(bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static final String ID = "6c49ec73-4350-45a0-9c8a-6c8f5aff0f4a";

  private static Map<String, String> parse(String uri) throws RejectedSubmission {
    Map<String, String> out = new LinkedHashMap<>();
    ParseUri.parse(uri).putAttributes(out);
    return out;
  }

  @Test
  void shouldParseBothUriForms() throws RejectedSubmission {
    assertThat(parse("/submit/glow/download/1/" + ID + "?x=1"))
        .containsEntry(Attributes.DOCUMENT_NAMESPACE, "glow")
        .containsEntry(Attributes.DOCUMENT_TYPE, "download")
        .containsEntry(Attributes.DOCUMENT_VERSION, "1")
        .containsEntry(Attributes.DOCUMENT_ID, ID);
    assertThat(parse("/submit/telemetry/" + ID + "/main/Firefox/145.0.1/release/20261117092205"))
        .containsEntry(Attributes.DOCUMENT_NAMESPACE, "telemetry")
        .containsEntry(Attributes.DOCUMENT_ID, ID)
        .containsEntry(Attributes.DOCUMENT_TYPE, "main")
        .containsEntry(Attributes.APP_NAME, "Firefox")
        .containsEntry(Attributes.APP_VERSION, "145.0.1")
        .containsEntry(Attributes.APP_UPDATE_CHANNEL, "release")
        .containsEntry(Attributes.APP_BUILD_ID, "20261117092205")
        .doesNotContainKey(Attributes.DOCUMENT_VERSION);
  }

  @Test
  void shouldRejectOtherUriShapes() {
    for (String uri :
        new String[] {
          "/submit/glow/download/1",
          "/submit/glow/download/1/" + ID + "/extra",
          "/submit//download/1/" + ID,
          "/submit/glow/download/one/" + ID,
          "/submit/glow/down load/1/" + ID,
          "/submit/glow/download/1/not-a-uuid",
          "/submit/telemetry/" + ID + "/main/Firefox/1/release",
          "/submit/telemetry/main/1/" + ID,
          "/other/glow/download/1/" + ID,
          "/submit/glow/download/1/" + "x".repeat(200)
        }) {
      assertThatThrownBy(() -> parse(uri))
          .as(uri)
          .isInstanceOfSatisfying(
              RejectedSubmission.class, e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.URI));
    }
  }

  @Test
  void shouldInflateGzipUpToTheCap() throws Exception {
    DecompressPayload d = new DecompressPayload(1000);
    byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(d.decode(gzip(json))).isEqualTo(json);
    assertThat(d.decode(json)).isSameAs(json);
    assertThat(d.decode(gzip(new byte[1000]))).hasSize(1000);
    assertThatThrownBy(() -> d.decode(gzip(new byte[1001])))
        .isInstanceOfSatisfying(
            RejectedSubmission.class,
            e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.PAYLOAD_TOO_LARGE));
    assertThatThrownBy(() -> d.decode(new byte[1001]))
        .isInstanceOfSatisfying(
            RejectedSubmission.class,
            e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.PAYLOAD_TOO_LARGE));
    // a 100 MiB bomb stops after the cap, without inflating the rest
    byte[] bomb = gzip(new byte[100 << 20]);
    long t = System.nanoTime();
    assertThatThrownBy(() -> new DecompressPayload(8 << 20).decode(bomb))
        .isInstanceOf(RejectedSubmission.class);
    assertThat(System.nanoTime() - t).isLessThan(2_000_000_000L);
  }

  @Test
  void shouldReadGzipFramingLikeTheJdk() throws Exception {
    DecompressPayload d = new DecompressPayload(1 << 20);
    byte[] a = "{\"a\":".getBytes(StandardCharsets.UTF_8);
    byte[] b = "1}".getBytes(StandardCharsets.UTF_8);
    byte[] ga = gzip(a);
    byte[] gb = gzip(b);
    byte[] twoMembers = new byte[ga.length + gb.length];
    System.arraycopy(ga, 0, twoMembers, 0, ga.length);
    System.arraycopy(gb, 0, twoMembers, ga.length, gb.length);
    assertThat(new String(d.decode(twoMembers), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    // header with FNAME, as gzip(1) writes it
    byte[] named = new byte[ga.length + 4];
    System.arraycopy(ga, 0, named, 0, 10);
    named[3] = 8;
    named[10] = 'x';
    named[11] = '.';
    named[12] = 'j';
    named[13] = 0;
    System.arraycopy(ga, 10, named, 14, ga.length - 10);
    assertThat(d.decode(named)).isEqualTo(a);
    // a flipped CRC byte and a cut trailer are corrupt streams
    byte[] badCrc = ga.clone();
    badCrc[badCrc.length - 8] ^= 1;
    byte[] cut = Arrays.copyOf(ga, ga.length - 3);
    for (byte[] bad : new byte[][] {badCrc, cut, Arrays.copyOf(ga, 5)}) {
      assertThatThrownBy(() -> d.decode(bad))
          .isInstanceOfSatisfying(
              RejectedSubmission.class,
              e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.DECOMPRESSION));
    }
  }

  private static Submission telemetry(String payload) {
    Submission s = new Submission(new byte[0], Map.of(Attributes.DOCUMENT_NAMESPACE, "telemetry"));
    s.decoded(payload.getBytes(StandardCharsets.UTF_8));
    return s;
  }

  @Test
  void shouldTakeTheTelemetryVersionFromVersionOrVAsMozillasDecoder() throws Exception {
    ParsePayload p = new ParsePayload(null);
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{\"version\":4}", "4");
    cases.put("{\"version\":\"4\"}", "4");
    cases.put("{\"v\":10,\"seq\":1}", "10"); // the mobile core ping
    cases.put("{\"version\":4,\"v\":10}", "4"); // version first
    cases.put("{\"version\":{\"major\":4},\"v\":10}", "10"); // an object is not a version
    cases.put("{\"version\":\"x\"}", "x"); // taken as it is: no schema will match
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Submission s = telemetry(c.getKey());
      p.apply(s);
      assertThat(s.attribute(Attributes.DOCUMENT_VERSION)).as(c.getKey()).isEqualTo(c.getValue());
    }
    // neither: an error, not a guessed version
    assertThatThrownBy(() -> p.apply(telemetry("{\"clientId\":\"x\"}")))
        .isInstanceOfSatisfying(
            RejectedSubmission.class,
            e -> {
              assertThat(e.errorType()).isEqualTo(ErrorTypes.SCHEMA_NOT_FOUND);
              assertThat(e.getMessage()).contains("\"version\" or \"v\"");
            });
    // unless old clients are configured to have one
    Submission old = telemetry("{}");
    new ParsePayload(4).apply(old);
    assertThat(old.attribute(Attributes.DOCUMENT_VERSION)).isEqualTo("4");
  }

  @Test
  void shouldApplyTheSchemasPipelineMetadata() throws Exception {
    SchemaEntry e =
        new SchemaEntry(
            "contextual-services",
            "topsites-click",
            1,
            Json.mapper()
                .readTree(
                    "{\"mozPipelineMetadata\":{\"override_attributes\":[{\"name\":\"geo_city\","
                        + "\"value\":null}],\"submission_timestamp_granularity\":\"seconds\","
                        + "\"sample_id_source_uuid_payload_path\":[\"context_id\"],"
                        + "\"expiration_policy\":{\"collect_through_date\":\"2026-11-30\"}}}"));
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put(Attributes.SUBMISSION_TIMESTAMP, "2026-11-30T23:59:59.999Z");
    attrs.put(Attributes.OVERRIDE_ATTRIBUTES, "[{\"name\":\"geo_country\",\"value\":\"XX\"}]");
    Submission s = new Submission(new byte[0], attrs);
    s.schema(e);
    new ApplyPipelineMetadata().apply(s);
    assertThat(s.attribute(Attributes.SUBMISSION_TIMESTAMP_GRANULARITY)).isEqualTo("seconds");
    // what the record brought is replaced by what the schema says
    assertThat(s.attribute(Attributes.OVERRIDE_ATTRIBUTES))
        .isEqualTo("[{\"name\":\"geo_city\",\"value\":null}]");
    assertThat(s.attribute(Attributes.SAMPLE_ID_SOURCE_UUID_PAYLOAD_PATH))
        .isEqualTo("[\"context_id\"]");
    assertThat(s.attribute(Attributes.SAMPLE_ID_SOURCE_UUID_ATTRIBUTE)).isNull();

    Submission late =
        new Submission(
            new byte[0], Map.of(Attributes.SUBMISSION_TIMESTAMP, "2026-12-01T00:00:00Z"));
    late.schema(e);
    assertThatThrownBy(() -> new ApplyPipelineMetadata().apply(late))
        .isInstanceOfSatisfying(
            RejectedSubmission.class,
            x -> {
              assertThat(x.errorType()).isEqualTo(ErrorTypes.EXPIRED);
              assertThat(x.getMessage())
                  .isEqualTo(
                      "contextual-services/topsites-click/topsites-click.1 collects through"
                          + " 2026-11-30 (mozPipelineMetadata.expiration_policy"
                          + ".collect_through_date); received 2026-12-01");
            });

    // a schema without settings: the attributes are gone
    Submission plain =
        new Submission(new byte[0], Map.of(Attributes.SUBMISSION_TIMESTAMP_GRANULARITY, "days"));
    plain.schema(new SchemaEntry("a", "b", 1, Json.mapper().readTree("{}")));
    new ApplyPipelineMetadata().apply(plain);
    assertThat(plain.attributes()).doesNotContainKey(Attributes.SUBMISSION_TIMESTAMP_GRANULARITY);
  }

  @Test
  void shouldRefuseNonUtf8Json() {
    byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
    assertThatThrownBy(() -> ParsePayload.parse(utf16))
        .isInstanceOfSatisfying(
            RejectedSubmission.class,
            e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.JSON_PARSE));
    byte[] latin1 = {'{', '"', 'a', '"', ':', '"', (byte) 0xe9, '"', '}'};
    assertThatThrownBy(() -> ParsePayload.parse(latin1)).isInstanceOf(RejectedSubmission.class);
  }
}
