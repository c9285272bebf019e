package org.kindling.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.kindling.core.Json;

class VersionInfoTest {
  private final VersionInfo v = new VersionInfo("0.1.0", "abc", "2026-11-27T00:00:00Z");

  @Test
  void shouldKeepTheFieldsOfTheBuild() throws Exception {
    assertThat(v.toJson())
        .isEqualTo(
            "{\"name\":\"kindling\",\"version\":\"0.1.0\",\"commit\":\"abc\","
                + "\"build_time\":\"2026-11-27T00:00:00Z\"}");
    assertThat(v.toJson(new SimpleMeterRegistry())).isEqualTo(v.toJson());
  }

  @Test
  void shouldNameTheSchemaSetOfEachStageFromItsMeters() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Gauge.builder(VersionInfo.SCHEMA_SET_INFO, () -> 1)
        .tags("stage", "validator", "id", "git:88a4adf", "source", "/srv/schemas")
        .register(registry);
    Gauge.builder(VersionInfo.SCHEMA_SET_SIZE, () -> 1043)
        .tag("stage", "validator")
        .register(registry);
    Gauge.builder(VersionInfo.SCHEMA_SET_LOADED, () -> 1_795_000_000L)
        .tag("stage", "validator")
        .register(registry);
    JsonNode j = Json.mapper().readTree(v.toJson(registry));
    assertThat(j.get("commit").asText()).isEqualTo("abc");
    assertThat(j.get("schemas").get("validator").toString())
        .isEqualTo(
            "{\"id\":\"git:88a4adf\",\"source\":\"/srv/schemas\",\"schemas\":1043,"
                + "\"loaded_at\":\"2026-11-18T11:06:40Z\"}");
  }
}
