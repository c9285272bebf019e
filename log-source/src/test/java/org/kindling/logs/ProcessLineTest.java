package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.SubmitUri;
import org.kindling.core.Topics;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.logs.parse.ParseCombinedLog;
import org.kindling.logs.parse.ParseLogTime;
import org.kindling.logs.rules.MatchRule;
import org.kindling.logs.rules.ReadRules;
import org.kindling.schemas.SchemaStore;
import org.kindling.schemas.SchemaValidator;

class ProcessLineTest {
  static final String DOWNLOAD =
      "203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] \"GET"
          + " /firefox/145.0/win64/en-US/Firefox%20Setup%20145.0.exe HTTP/1.1\" 200 52428800"
          + " \"https://www.mozilla.org/\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0)"
          + " Gecko/20100101 Firefox/145.0\"";
  static final byte[] SOURCE = "logs:/var/log/nginx/access.log".getBytes(StandardCharsets.UTF_8);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);
  private final LogSourceMetrics metrics = new LogSourceMetrics(registry, rules());
  private final ProcessLine process =
      new ProcessLine(
          new ParseCombinedLog(),
          new MatchRule(rules()),
          ParseLogTime.of("clf"),
          new BuildSubmission("logs-1.example", clock),
          metrics.input("test"),
          clock);

  private static List<org.kindling.logs.rules.Rule> rules() {
    return ReadRules.from(
        org.kindling.core.config.KindlingConfig.defaults(
            org.kindling.core.config.ConfigDefinitions.discover()));
  }

  private ProducerRecord<String, byte[]> apply(String line) {
    byte[] b = ("xx" + line + "\r").getBytes(StandardCharsets.UTF_8);
    return process.apply(SOURCE, b, 2, b.length - 2, Long.MIN_VALUE);
  }

  private double count(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void shouldMakeTheSubmissionTheEdgeWouldHaveWritten() throws Exception {
    ProducerRecord<String, byte[]> r = apply(DOWNLOAD);
    assertThat(r.topic()).isEqualTo(Topics.RAW.name());
    assertThat(r.timestamp()).as("producer time, as at the edge").isNull();
    Map<String, String> a = AttributeHeaders.toMap(r.headers());
    assertThat(a.keySet())
        .containsExactly(
            Attributes.SUBMISSION_TIMESTAMP,
            Attributes.URI,
            Attributes.METHOD,
            Attributes.PROTOCOL,
            Attributes.REMOTE_ADDR,
            Attributes.USER_AGENT,
            Attributes.CONTENT_LENGTH,
            Attributes.EDGE_HOST);
    assertThat(a.get(Attributes.SUBMISSION_TIMESTAMP)).isEqualTo("2026-11-27T10:00:00.000000Z");
    assertThat(a.get(Attributes.METHOD)).isEqualTo("POST");
    assertThat(a.get(Attributes.PROTOCOL)).isEqualTo("HTTP/1.1");
    assertThat(a.get(Attributes.REMOTE_ADDR)).isEqualTo("203.0.113.9");
    assertThat(a.get(Attributes.USER_AGENT)).startsWith("Mozilla/5.0 (Windows NT 10.0;");
    assertThat(a.get(Attributes.CONTENT_LENGTH)).isEqualTo(Integer.toString(r.value().length));
    assertThat(a.get(Attributes.EDGE_HOST)).isEqualTo("logs-1.example");

    SubmitUri uri = SubmitUri.parse(a.get(Attributes.URI));
    assertThat(uri.namespace()).isEqualTo("glow");
    assertThat(uri.documentType()).isEqualTo("download");
    assertThat(uri.documentVersion()).isEqualTo("1");
    assertThat(uri.documentId()).isEqualTo(r.key());
    assertThat(java.util.UUID.fromString(r.key()).version()).isEqualTo(5);
    byte[] line = DOWNLOAD.getBytes(StandardCharsets.UTF_8);
    assertThat(r.key())
        .isEqualTo(new DeriveDocumentId().derive(SOURCE, line, 0, line.length).toString());

    JsonNode doc = Json.mapper().readTree(r.value());
    assertThat(doc.toString())
        .isEqualTo(
            "{\"product\":\"firefox\",\"version\":\"145.0\",\"os\":\"win64\",\"locale\":\"en-US\"}");
    SchemaStore store = SchemaStore.bundled();
    assertThat(
            new SchemaValidator(store)
                .validate(store.find("glow", "download", 1).orElseThrow(), doc))
        .isEmpty();
    assertThat(count("logs_lines_read", "input", "test")).isEqualTo(1);
    assertThat(count("logs_lines_matched", "input", "test", "rule", "download")).isEqualTo(1);
  }

  @Test
  void shouldGiveTheSameLineTheSameIdAndAnotherLineAnother() {
    assertThat(apply(DOWNLOAD).key()).isEqualTo(apply(DOWNLOAD).key());
    assertThat(apply(DOWNLOAD.replace("10:00:00", "10:00:01")).key())
        .isNotEqualTo(apply(DOWNLOAD).key());
  }

  @Test
  void shouldCountAndDropLinesNoRuleMatches() {
    assertThat(apply(DOWNLOAD.replace("\" 200 ", "\" 404 "))).isNull();
    assertThat(
            apply(
                "203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] \"GET /favicon.ico HTTP/1.1\" 200 1"))
        .isNull();
    assertThat(apply("")).isNull();
    assertThat(apply("some daemon: started")).isNull();
    assertThat(count("logs_lines_skipped", "input", "test")).isEqualTo(4);
    assertThat(count("logs_lines_read", "input", "test")).isEqualTo(4);
  }

  @Test
  void shouldSendMatchedLinesThatCannotBeReadToErrorsWithoutTheAddress() {
    for (String bad :
        new String[] {
          DOWNLOAD.replace("27/Nov/2026", "27/Foo/2026"),
          DOWNLOAD.replace("203.0.113.9", "download-client.example"),
          DOWNLOAD.replace("+0000]", "+0000"),
          DOWNLOAD.substring(0, DOWNLOAD.indexOf(" HTTP/1.1"))
        }) {
      ProducerRecord<String, byte[]> r = apply(bad);
      assertThat(r).as(bad).isNotNull();
      assertThat(r.topic()).isEqualTo(Topics.ERRORS.name());
      FailureRecord f = FailureRecordSerde.decode(r.value());
      assertThat(f.errorType()).isEqualTo("log_parse");
      assertThat(f.stage()).isEqualTo("log-source");
      assertThat(f.failedAt()).isEqualTo(clock.instant());
      String payload = new String(f.payload(), StandardCharsets.UTF_8);
      assertThat(payload).doesNotContain("203.0.113.9");
      assertThat(payload).isEqualTo(MaskAddresses.apply(bad));
      assertThat(f.errorMessage()).startsWith("rule download: ").doesNotContain("203.0.113.9");
      assertThat(f.attributes())
          .containsEntry(Attributes.DOCUMENT_NAMESPACE, "glow")
          .containsEntry(Attributes.DOCUMENT_TYPE, "download")
          .containsEntry(Attributes.DOCUMENT_ID, r.key());
    }
    assertThat(count("logs_lines_failed", "input", "test", "error_type", "log_parse")).isEqualTo(4);
  }

  @Test
  void shouldSendTooLongLinesToErrorsCut() {
    byte[] b = DOWNLOAD.getBytes(StandardCharsets.UTF_8);
    ProducerRecord<String, byte[]> r = process.tooLong(SOURCE, b, 0, 40, 70_000);
    FailureRecord f = FailureRecordSerde.decode(r.value());
    assertThat(f.errorType()).isEqualTo("line_too_long");
    assertThat(f.payload()).hasSize(MaskAddresses.apply(DOWNLOAD.substring(0, 40)).length());
    assertThat(f.errorMessage()).contains("70000");
  }
}
