package org.kindling.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaStoreTest {
  private static final Path SOURCES = Path.of("src", "main", "resources", "schemas");

  /** Real schemas from mozilla-pipeline-schemas, in its layout (see its README). */
  static final Path MOZILLA = Path.of("src", "test", "resources", "mozilla");

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
    assertThat(store.id()).startsWith("bundled:");
    assertThat(store.gleanFallback()).isTrue();
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
    SchemaStore store = SchemaStore.load(dir, SchemaStore.GleanFallback.ON);
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
    assertThat(store.skipped()).containsExactly("acme/click/README.md");
  }

  @Test
  void shouldLoadTheSchemaRepositoryAsItIs() {
    for (Path root : List.of(MOZILLA, MOZILLA.resolve("schemas"))) {
      SchemaStore store = SchemaStore.fromDirectory(root);
      assertThat(store.all())
          .extracting(SchemaEntry::toString)
          .containsExactly(
              "contextual-services/topsites-click/topsites-click.1",
              "glean/glean/glean.1",
              "org-mozilla-fenix/baseline/baseline.1",
              "org-mozilla-fenix/metrics/metrics.1",
              "telemetry/core/core.10",
              "telemetry/event/event.4",
              "telemetry/main/main.4");
      assertThat(store.root()).isEqualTo(MOZILLA.resolve("schemas"));
      assertThat(store.skipped())
          .containsExactly(
              "glean/glean/glean-min.1.schema.json",
              "metadata/raw/raw.1.schema.json",
              "org-mozilla-fenix/baseline/baseline.1.bq",
              "telemetry/shield-study-addon/shield-study-addon.3.parquetmr.txt");
      assertThat(store.skippedSummary())
          .isEqualTo(
              "skipped 4 files that are not doctype schemas: 1 *.bq files"
                  + " (org-mozilla-fenix/baseline/baseline.1.bq), 1 *.txt files"
                  + " (telemetry/shield-study-addon/shield-study-addon.3.parquetmr.txt), 1 helper"
                  + " schemas (glean/glean/glean-min.1.schema.json), 1 metadata/ schemas"
                  + " (metadata/raw/raw.1.schema.json)");
      // main.4 asks for a split Kindling does not do: said once, in the summary line
      assertThat(store.unsupportedSettings())
          .isEqualTo(Map.of("split_config", List.of("telemetry/main/main.4")));
      assertThat(store.summary())
          .contains("7 schemas from ", "skipped 4 files", "split_config (telemetry/main/main.4)");
    }
  }

  @Test
  void shouldResolveAGleanApplicationToItsOwnSchemaAndNotFallBackInADirectory() {
    SchemaStore store =
        SchemaStore.load(MOZILLA); // the default, validator.schemas.glean.fallback=auto
    assertThat(store.gleanFallback()).isFalse();
    assertThat(SchemaStore.load(null).gleanFallback()).isTrue(); // the bundled set
    assertThat(store.resolve("org-mozilla-fenix", "baseline", "1").orElseThrow().toString())
        .isEqualTo("org-mozilla-fenix/baseline/baseline.1");
    // an application the repository does not know is schema_not_found, as in Mozilla's pipeline
    assertThat(store.resolve("org-mozilla-focus", "baseline", "1")).isEmpty();
    SchemaStore withFallback = SchemaStore.load(MOZILLA, SchemaStore.GleanFallback.ON);
    assertThat(withFallback.resolve("org-mozilla-focus", "baseline", "1").orElseThrow().toString())
        .isEqualTo("glean/glean/glean.1");
    assertThat(withFallback.id()).isEqualTo(store.id());
  }

  @Test
  void shouldReadThePipelineMetadataOfEachSchema() throws IOException {
    SchemaStore mozilla = SchemaStore.fromDirectory(MOZILLA);
    PipelineMetadata main = mozilla.find("telemetry", "main", 4).orElseThrow().pipeline();
    assertThat(main.deleteAfterDays()).isEqualTo(775);
    assertThat(main.granularity()).isNull();
    PipelineMetadata topsites =
        mozilla.find("contextual-services", "topsites-click", 1).orElseThrow().pipeline();
    assertThat(topsites.granularity()).isEqualTo(ChronoUnit.SECONDS);
    assertThat(topsites.overrides()).containsOnlyKeys("geo_city").containsValue(null);
    assertThat(topsites.deleteAfterDays()).isEqualTo(30);
    write(
        "contextual-services/topsites-click/topsites-click.1.schema.json",
        "{\"mozPipelineMetadata\":{\"override_attributes\":[{\"name\":\"geo_city\",\"value\":null},"
            + "{\"name\":\"normalized_channel\",\"value\":\"release\"}],"
            + "\"submission_timestamp_granularity\":\"seconds\","
            + "\"expiration_policy\":{\"collect_through_date\":\"2026-12-31\"},"
            + "\"sample_id_source_uuid_attribute\":\"document_id\","
            + "\"bq_table\":\"topsites_click_v1\",\"jwe_mappings\":[]},\"type\":\"object\"}");
    PipelineMetadata m =
        SchemaStore.fromDirectory(dir)
            .find("contextual-services", "topsites-click", 1)
            .orElseThrow()
            .pipeline();
    assertThat(m.granularity()).isEqualTo(ChronoUnit.SECONDS);
    Map<String, String> overrides = new java.util.LinkedHashMap<>();
    overrides.put("geo_city", null);
    overrides.put("normalized_channel", "release");
    assertThat(m.overrides()).containsExactlyEntriesOf(overrides);
    assertThat(m.collectThroughDate()).hasToString("2026-12-31");
    assertThat(m.sampleIdSourceAttribute()).isEqualTo("document_id");
    assertThat(m.unsupported()).containsExactly("jwe_mappings");
  }

  @Test
  void shouldRefuseASetWithAFileThatIsNotAUsableSchema() throws IOException {
    write("acme/good/good.1.schema.json", "{\"type\":\"object\"}");
    write("acme/click/click.1.schema.json", "{\"type\": ");
    assertThatThrownBy(() -> SchemaStore.fromDirectory(dir))
        .isInstanceOf(SchemaSetException.class)
        .hasMessageStartingWith("1 of 2 schema files in " + dir + " cannot be used: ")
        .hasMessageContaining("acme/click/click.1.schema.json: not JSON")
        .hasMessageNotContaining("\n");
    write("acme/click/click.1.schema.json", "[1]");
    assertThatThrownBy(() -> SchemaStore.fromDirectory(dir))
        .hasMessageContaining("acme/click/click.1.schema.json: not a JSON object");
    write("acme/click/click.1.schema.json", "{\"$schema\":\"http://example.com/nodraft\"}");
    assertThatThrownBy(() -> SchemaStore.fromDirectory(dir))
        .hasMessageContaining("unknown $schema http://example.com/nodraft");
    write(
        "acme/click/click.1.schema.json",
        "{\"mozPipelineMetadata\":{\"submission_timestamp_granularity\":\"weeks\"}}");
    assertThatThrownBy(() -> SchemaStore.fromDirectory(dir))
        .hasMessageContaining("submission_timestamp_granularity must be one of");
  }

  @Test
  void shouldRefuseAFolderWithoutSchemas() throws IOException {
    write("README.md", "nothing here");
    assertThatThrownBy(() -> SchemaStore.fromDirectory(dir))
        .isInstanceOf(SchemaSetException.class)
        .hasMessageStartingWith("no <namespace>/<type>/<type>.<version>.schema.json under");
    assertThatThrownBy(() -> SchemaStore.fromDirectory(dir.resolve("missing")))
        .isInstanceOf(SchemaSetException.class)
        .hasMessageStartingWith("not a schema directory");
  }

  @Test
  void shouldNameASetByItsContentOrItsCommit() throws Exception {
    write("acme/click/click.1.schema.json", "{\"type\":\"object\"}");
    SchemaStore first = SchemaStore.fromDirectory(dir);
    assertThat(first.id()).matches("sha256:[0-9a-f]{16}");
    assertThat(SchemaStore.fromDirectory(dir).id()).isEqualTo(first.id());
    write("acme/click/click.1.schema.json", "{\"type\":\"object\",\"required\":[\"a\"]}");
    assertThat(SchemaStore.fromDirectory(dir).id()).isNotEqualTo(first.id());

    git("init", "-q");
    git("add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "schemas");
    String head = git("rev-parse", "HEAD");
    SchemaStore committed = SchemaStore.fromDirectory(dir);
    assertThat(committed.id()).isEqualTo("git:" + head);
    assertThat(committed.commit()).isEqualTo(head);
    // a local change: the commit no longer describes the files
    write("acme/click/click.1.schema.json", "{}");
    assertThat(SchemaStore.fromDirectory(dir).id()).startsWith("sha256:");
  }

  @Test
  void shouldChangeTheFingerprintWhenASchemaChanges() throws IOException {
    write("acme/click/click.1.schema.json", "{\"type\":\"object\"}");
    String a = SchemaSource.fingerprint(dir);
    assertThat(SchemaSource.fingerprint(dir)).isEqualTo(a);
    write("acme/view/view.1.schema.json", "{\"type\":\"object\"}");
    String b = SchemaSource.fingerprint(dir);
    assertThat(b).isNotEqualTo(a);
    write("acme/click/README.md", "not a schema: no change");
    assertThat(SchemaSource.fingerprint(dir)).isEqualTo(b);
  }

  @Test
  void shouldKeepSchemasSmallInMemory() throws IOException {
    SchemaStore store = SchemaStore.fromDirectory(MOZILLA);
    long files = 0;
    for (SchemaEntry e : store.all()) {
      files += Files.size(store.root().resolve(e.relativePath()));
    }
    // deflated bytes only; parsed trees are not kept
    assertThat(store.retainedBytes()).isPositive().isLessThan(files / 6);
  }

  private String git(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private void write(String rel, String text) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }
}
