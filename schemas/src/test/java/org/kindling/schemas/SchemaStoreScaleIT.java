package org.kindling.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;

/**
 * A schema folder the size of the schema repository's generated branch and then some: 3,000 real
 * Mozilla schemas (the fixture's, each made distinct as the per-application copies of the real
 * repository are), each beside a {@code .bq} file, loaded within seconds and a bounded heap. Prints
 * the figures the README quotes.
 */
class SchemaStoreScaleIT {
  static final int SCHEMAS = 3_000;

  @TempDir Path dir;

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void shouldLoadThreeThousandSchemasInSecondsAndLittleHeap() throws IOException {
    SchemaStore fixture = SchemaStore.fromDirectory(SchemaStoreTest.MOZILLA);
    List<SchemaEntry> templates = fixture.all();
    long bytes = 0;
    for (int i = 0; i < SCHEMAS; i++) {
      SchemaEntry t = templates.get(i % templates.size());
      ObjectNode schema = (ObjectNode) t.schema().deepCopy();
      JsonNode meta = schema.get(PipelineMetadata.KEY);
      ObjectNode m = meta == null ? schema.putObject(PipelineMetadata.KEY) : (ObjectNode) meta;
      m.put("bq_dataset_family", "app_" + i);
      String ns = "org-example-app" + (i / 20);
      String type = t.type() + "-" + (i % 20);
      Path file = dir.resolve(ns + "/" + type + "/" + type + "." + t.version() + ".schema.json");
      Files.createDirectories(file.getParent());
      byte[] b = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(schema);
      Files.write(file, b);
      Files.writeString(
          file.resolveSibling(type + "." + t.version() + ".bq"), "[]", StandardCharsets.UTF_8);
      bytes += b.length;
    }
    long before = usedHeap();
    long t0 = System.nanoTime();
    SchemaStore store = SchemaStore.fromDirectory(dir);
    long loadMs = (System.nanoTime() - t0) / 1_000_000;
    long retained = usedHeap() - before;
    long t1 = System.nanoTime();
    SchemaSource.fingerprint(dir);
    long checkMs = (System.nanoTime() - t1) / 1_000_000;

    // Every doctype used once (the worst case): schemas that differ only in their
    // mozPipelineMetadata, as the per-application copies do, compile once.
    SchemaValidator validator = new SchemaValidator();
    long beforeCompile = usedHeap();
    long t2 = System.nanoTime();
    assertThat(validator.compileAll(store)).isEmpty();
    long compileMs = (System.nanoTime() - t2) / 1_000_000;
    long compiledHeap = usedHeap() - beforeCompile;
    int distinct = validator.compiledCount();

    System.out.printf(
        "schema set of %d schemas (%d MB of JSON, %d skipped files): loaded in %d ms,"
            + " %.1f MB of heap retained (%.1f MB of it deflated schema bytes); change check"
            + " (fingerprint) %d ms; every doctype used: %d distinct schemas compiled in %d ms,"
            + " %.1f MB of heap (%.0f KB each)%n",
        store.size(),
        bytes >> 20,
        store.skipped().size(),
        loadMs,
        retained / 1048576.0,
        store.retainedBytes() / 1048576.0,
        checkMs,
        distinct,
        compileMs,
        compiledHeap / 1048576.0,
        compiledHeap / 1024.0 / distinct);
    assertThat(store.size()).isEqualTo(SCHEMAS);
    assertThat(store.skipped()).hasSize(SCHEMAS); // the .bq files
    // seconds, not minutes, even on a loaded 2-core machine; a bounded heap, not 3,000 trees
    assertThat(loadMs).isLessThan(30_000);
    assertThat(retained).isLessThan(64L << 20);
    assertThat(checkMs).isLessThan(5_000);
    assertThat((long) distinct)
        .isEqualTo(templates.stream().map(SchemaEntry::validationDigest).distinct().count());
  }
}
