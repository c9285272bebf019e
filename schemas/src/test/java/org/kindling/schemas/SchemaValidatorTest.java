package org.kindling.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SpecVersion.VersionFlag;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.core.Json;

/** Each draft validates with its own semantics, chosen by {@code $schema}. */
class SchemaValidatorTest {
  private static final String D4 = "\"$schema\":\"http://json-schema.org/draft-04/schema#\",";
  private static final String D6 = "\"$schema\":\"http://json-schema.org/draft-06/schema#\",";
  private static final String D7 = "\"$schema\":\"http://json-schema.org/draft-07/schema#\",";
  private static final String D2019 =
      "\"$schema\":\"https://json-schema.org/draft/2019-09/schema\",";
  private static final String D2020 =
      "\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",";

  private static JsonNode json(String s) throws IOException {
    return Json.mapper().readTree(s);
  }

  private static List<String> validate(String schema, String doc) throws IOException {
    SchemaEntry e = new SchemaEntry("t", "t", 1, json(schema));
    return new SchemaValidator(SchemaStore.of(List.of(e))).validate(e, json(doc));
  }

  @Test
  void shouldDetectTheDraft() throws IOException {
    assertThat(SchemaValidator.draftOf(json("{" + D4 + "\"type\":\"object\"}")))
        .isEqualTo(VersionFlag.V4);
    assertThat(SchemaValidator.draftOf(json("{" + D2020 + "\"type\":\"object\"}")))
        .isEqualTo(VersionFlag.V202012);
    assertThat(SchemaValidator.draftOf(json("{\"type\":\"object\"}"))).isEqualTo(VersionFlag.V7);
  }

  @Test
  void shouldUseDraft04BooleanExclusiveMaximum() throws IOException {
    String s = "{" + D4 + "\"type\":\"number\",\"maximum\":10,\"exclusiveMaximum\":true}";
    assertThat(validate(s, "9.5")).isEmpty();
    assertThat(validate(s, "10")).hasSize(1);
  }

  @Test
  void shouldUseDraft06NumericExclusiveMinimumAndConst() throws IOException {
    String s =
        "{"
            + D6
            + "\"type\":\"object\",\"properties\":{\"n\":{\"exclusiveMinimum\":0},"
            + "\"k\":{\"const\":\"x\"}}}";
    assertThat(validate(s, "{\"n\":1,\"k\":\"x\"}")).isEmpty();
    assertThat(validate(s, "{\"n\":0,\"k\":\"y\"}")).hasSize(2);
  }

  @Test
  void shouldUseDraft07IfThen() throws IOException {
    String s =
        "{" + D7 + "\"if\":{\"properties\":{\"a\":{\"const\":1}}},\"then\":{\"required\":[\"b\"]}}";
    assertThat(validate(s, "{\"a\":2}")).isEmpty();
    assertThat(validate(s, "{\"a\":1}")).hasSize(1).first().asString().contains("b");
  }

  @Test
  void shouldUseDraft2019DependentRequiredAndUnevaluatedProperties() throws IOException {
    String s =
        "{"
            + D2019
            + "\"properties\":{\"a\":{}},\"dependentRequired\":{\"a\":[\"b\"]},"
            + "\"unevaluatedProperties\":{\"type\":\"integer\"}}";
    assertThat(validate(s, "{\"a\":1,\"b\":2}")).isEmpty();
    assertThat(validate(s, "{\"a\":1}")).hasSize(1);
    assertThat(validate(s, "{\"a\":1,\"b\":\"x\"}")).hasSize(1);
  }

  @Test
  void shouldUseDraft2020PrefixItems() throws IOException {
    String s =
        "{"
            + D2020
            + "\"type\":\"array\",\"prefixItems\":[{\"type\":\"integer\"},{\"type\":\"string\"}],"
            + "\"items\":false}";
    assertThat(validate(s, "[1,\"a\"]")).isEmpty();
    assertThat(validate(s, "[\"a\",1]")).hasSize(2);
    assertThat(validate(s, "[1,\"a\",3]")).hasSize(1);
  }

  @Test
  void shouldMatchPatternsAsEcma262() throws IOException {
    // "[^]" (any character, newlines included) is ECMA-262 only; java.util.regex rejects it.
    for (String draft : List.of(D4, D6, D7, D2019, D2020)) {
      String s = "{" + draft + "\"type\":\"string\",\"pattern\":\"^x[^]y$\"}";
      assertThat(validate(s, "\"x\\ny\"")).as(draft).isEmpty();
      assertThat(validate(s, "\"xy\"")).as(draft).hasSize(1);
    }
    // pattern is unanchored: a match anywhere in the string suffices
    assertThat(validate("{" + D4 + "\"pattern\":\"\\\\d\"}", "\"ab1\"")).isEmpty();
  }

  @Test
  void shouldCompileEveryBundledSchema() {
    new SchemaValidator(SchemaStore.bundled()).precompile();
  }

  @Test
  void shouldCompileMozillasSchemasWithoutAWordInTheLog() {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    root.addAppender(log);
    try {
      SchemaStore store = SchemaStore.fromDirectory(SchemaStoreTest.MOZILLA);
      // mozPipelineMetadata, $id in draft-04, "comment", keywords one level too high (core.10)
      assertThat(new SchemaValidator().compileAll(store)).isEmpty();
    } finally {
      root.detachAppender(log);
    }
    assertThat(log.list).extracting(e -> e.getFormattedMessage()).isEmpty();
  }

  @Test
  void shouldIgnoreUnknownKeywordsAsAnnotations() throws IOException {
    String s =
        "{"
            + D4
            + "\"mozPipelineMetadata\":{\"bq_table\":\"x\"},\"$comment\":\"c\","
            + "\"examples\":[1],\"$id\":\"x\",\"type\":\"object\",\"required\":[\"a\"]}";
    assertThat(validate(s, "{\"a\":1}")).isEmpty();
    assertThat(validate(s, "{}")).hasSize(1);
  }

  @Test
  void shouldAcceptGleansMinutePrecisionDatetimesAsMozillasPipelineDoes() throws IOException {
    // Mozilla's Glean schemas declare "format": "datetime", a format no draft defines: Mozilla's
    // pipeline does not check it, and Glean sends minutes without seconds.
    SchemaStore store = SchemaStore.fromDirectory(SchemaStoreTest.MOZILLA);
    SchemaEntry baseline = store.find("org-mozilla-fenix", "baseline", 1).orElseThrow();
    JsonNode ping =
        Json.mapper()
            .readTree(
                SchemaStoreTest.MOZILLA
                    .resolve("pings/org-mozilla-fenix-baseline.1.json")
                    .toFile());
    assertThat(ping.at("/ping_info/start_time").asText()).isEqualTo("2026-11-23T00:36-00:00");
    SchemaValidator v = new SchemaValidator();
    assertThat(v.validate(baseline, ping)).isEmpty();
    // the schema still applies: a ping without its ping_info fails
    ((com.fasterxml.jackson.databind.node.ObjectNode) ping).remove("ping_info");
    assertThat(v.validate(baseline, ping)).isNotEmpty();
    // "date-time" (RFC 3339) is checked, and wants seconds
    String dateTime = "{" + D7 + "\"type\":\"string\",\"format\":\"date-time\"}";
    assertThat(validate(dateTime, "\"2026-11-23T00:36:00+00:00\"")).isEmpty();
    assertThat(validate(dateTime, "\"2026-11-23T00:36-00:00\"")).hasSize(1);
  }

  @Test
  void shouldValidateRealPingsAgainstTheirRealSchemas() throws IOException {
    SchemaStore store = SchemaStore.fromDirectory(SchemaStoreTest.MOZILLA);
    SchemaValidator v = new SchemaValidator();
    for (String[] c :
        new String[][] {
          {"telemetry", "main", "4", "telemetry-main.4.json"},
          {"telemetry", "core", "10", "telemetry-core.10.json"},
          {"org-mozilla-fenix", "baseline", "1", "org-mozilla-fenix-baseline.1.json"},
          {
            "contextual-services",
            "topsites-click",
            "1",
            "contextual-services-topsites-click.1.json"
          }
        }) {
      SchemaEntry e = store.find(c[0], c[1], c[2]).orElseThrow();
      JsonNode ping =
          Json.mapper().readTree(SchemaStoreTest.MOZILLA.resolve("pings/" + c[3]).toFile());
      assertThat(v.validate(e, ping)).as(c[3]).isEmpty();
    }
    assertThat(v.compiledCount()).isEqualTo(4);
  }

  @Test
  void shouldCompileOnFirstUseAndKeepOnlyWhatASetHolds() throws IOException {
    SchemaEntry a = new SchemaEntry("t", "a", 1, json("{\"type\":\"object\"}"));
    SchemaEntry b = new SchemaEntry("t", "b", 1, json("{\"type\":\"array\"}"));
    SchemaValidator v = new SchemaValidator();
    assertThat(v.compiledCount()).isZero();
    v.validate(a, json("{}"));
    v.validate(b, json("[]"));
    assertThat(v.isCompiled(a)).isTrue();
    v.retainOnly(SchemaStore.of(List.of(b)));
    assertThat(v.isCompiled(a)).isFalse();
    assertThat(v.isCompiled(b)).isTrue();
  }

  @Test
  void shouldReportASchemaThatDoesNotCompile() throws IOException {
    SchemaEntry bad = new SchemaEntry("t", "bad", 1, json("{" + D7 + "\"pattern\":\"(\"}"));
    SchemaValidator v = new SchemaValidator();
    assertThat(v.check(bad)).isNotNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> v.validate(bad, json("\"x\"")))
        .isInstanceOf(SchemaValidator.UnusableSchemaException.class)
        .hasMessageStartingWith("t/bad/bad.1 cannot be used: ");
  }
}
