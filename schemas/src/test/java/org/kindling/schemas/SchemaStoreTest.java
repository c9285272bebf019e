package org.kindling.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;

class SchemaStoreTest {
  private static final Path SOURCES = Path.of("src", "main", "resources", "schemas");

  @TempDir Path dir;

  @Test
  void shouldListEverySchemaFileInTheIndex() throws IOException {
    List<String> files;
    try (Stream<Path> s = Files.walk(SOURCES)) {
      files =
          s.filter(p -> p.toString().endsWith(".schema.json"))
              .map(p -> SOURCES.relativize(p).toString().replace('\\', '/'))
              .sorted()
              .toList();
    }
    List<String> indexed =
        SchemaStore.bundled().all().stream().map(SchemaEntry::relativePath).sorted().toList();
    assertThat(indexed).isEqualTo(files).isNotEmpty();
  }

  @Test
  void shouldFindBundledSchemas() {
    SchemaStore store = SchemaStore.bundled();
    assertThat(store.find("glow", "download", 1)).isPresent();
    assertThat(store.find("glow", "share", "1")).isPresent();
    assertThat(store.find("telemetry", "main", 4).orElseThrow().schema().path("title").asText())
        .contains("main");
    assertThat(store.find("glow", "download", 2)).isEmpty();
    assertThat(store.find("glow", "download", "x")).isEmpty();
    assertThat(store.all())
        .extracting(SchemaEntry::toString)
        .contains(
            "glean/glean/glean.1",
            "service/storage/storage.1",
            "service/traffic/traffic.1",
            "service/extraction/extraction.1",
            "service/health/health.1",
            "telemetry/event/event.4",
            "telemetry/crash/crash.4");
  }

  @Test
  void shouldFallBackToGleanForUnknownNamespacesOnly() {
    SchemaStore store = SchemaStore.bundled();
    assertThat(store.resolve("org-mozilla-fenix", "baseline", "1").orElseThrow().toString())
        .isEqualTo("glean/glean/glean.1");
    // a namespace the store knows never falls back: a typo is schema_not_found
    assertThat(store.resolve("glow", "downlaod", "1")).isEmpty();
    assertThat(store.resolve("org-mozilla-fenix", "baseline", "2")).isEmpty();
    assertThat(store.resolve("glow", "download", "1").orElseThrow().toString())
        .isEqualTo("glow/download/download.1");
  }

  @Test
  void shouldPreferAPerPingGleanSchema() throws IOException {
    write("glean/glean/glean.1.schema.json", "{\"type\":\"object\"}");
    write("glean/metrics/metrics.1.schema.json", "{\"type\":\"object\",\"required\":[\"x\"]}");
    SchemaStore store = SchemaStore.fromDirectory(dir);
    assertThat(store.resolve("org-mozilla-focus", "metrics", "1").orElseThrow().toString())
        .isEqualTo("glean/metrics/metrics.1");
    assertThat(store.resolve("org-mozilla-focus", "baseline", "1").orElseThrow().toString())
        .isEqualTo("glean/glean/glean.1");
  }

  @Test
  void shouldLoadADirectoryInTheSameLayout() throws IOException {
    write("acme/click/click.3.schema.json", "{\"type\":\"object\"}");
    write("acme/click/README.md", "not a schema");
    SchemaStore store = SchemaStore.fromDirectory(dir);
    assertThat(store.all()).extracting(SchemaEntry::toString).containsExactly("acme/click/click.3");
    assertThat(store.find("glow", "download", 1)).isEmpty();
  }

  @Test
  void shouldRefuseAMisplacedSchema() throws IOException {
    write("acme/click/other.1.schema.json", "{}");
    assertThatThrownBy(() -> SchemaStore.fromDirectory(dir))
        .hasMessageContaining("<namespace>/<type>/<type>.<version>.schema.json");
    assertThatThrownBy(
            () -> SchemaStore.entry("a/b/b.1.schema.json", Json.mapper().readTree("[1]")))
        .hasMessageContaining("not a JSON object");
  }

  private void write(String rel, String text) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }
}
