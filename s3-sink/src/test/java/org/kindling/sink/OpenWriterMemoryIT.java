package org.kindling.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;
import org.kindling.schemas.SchemaStore;
import org.kindling.schemas.parquet.DocumentLayout;
import org.kindling.schemas.parquet.JsonSchemaMapper;
import org.kindling.schemas.parquet.LakeLimits;
import org.kindling.sink.parquet.ParquetFiles;

/**
 * Heap of one open Parquet writer of the real {@code telemetry/main/main.4} layout and of the
 * widest layout the mapper allows ({@link LakeLimits#MAX_LEAF_COLUMNS} leaf columns), with the
 * sink's default row group and page sizes: measured with 20 writers open, each holding one real
 * main ping. Prints the figures the s3-sink README quotes.
 */
class OpenWriterMemoryIT {
  private static final int WRITERS = 20;

  @TempDir Path dir;

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private record Figures(int leaves, long heapPerWriter, long bufferedPerWriter) {}

  private Figures measure(String name, DocumentLayout layout, JsonNode doc) throws Exception {
    ParquetFiles files = new ParquetFiles("zstd", 32L << 20, 1L << 20); // the sink's defaults
    int leaves = 0;
    for (Schema.Field f : layout.schema().getFields()) {
      leaves += LakeLimits.leafColumns(f.schema());
    }
    GenericRecord row = layout.toRecord(doc);
    long before = usedHeap();
    List<ParquetRecordFile<GenericRecord>> open = new ArrayList<>();
    long buffered = 0;
    for (int i = 0; i < WRITERS; i++) {
      ParquetRecordFile<GenericRecord> f =
          new ParquetRecordFile<>(files, layout.schema(), dir.resolve(name + i), r -> r);
      f.write(row);
      open.add(f);
    }
    long heap = (usedHeap() - before) / WRITERS;
    for (ParquetRecordFile<GenericRecord> f : open) {
      buffered += f.bufferedBytes();
      f.finish();
    }
    Figures fig = new Figures(leaves, heap, buffered / WRITERS);
    System.out.printf(
        "%s: %d leaf columns, %.1f MB of heap per open writer (bufferedBytes() counts %.1f MB)%n",
        name, fig.leaves(), fig.heapPerWriter() / 1048576.0, fig.bufferedPerWriter() / 1048576.0);
    return fig;
  }

  @Test
  void shouldKeepAnOpenWriterOfTheRealMainPingWithinItsBudget() throws Exception {
    Path mozilla = MozillaLakeTest.MOZILLA;
    SchemaStore store = SchemaStore.fromDirectory(mozilla);
    DocumentLayout main =
        JsonSchemaMapper.documentLayout(
            "telemetry_main_v4", store.find("telemetry", "main", 4).orElseThrow().schema());
    JsonNode ping = Json.mapper().readTree(mozilla.resolve("pings/telemetry-main.4.json").toFile());
    Figures m = measure("telemetry_main_v4", main, ping);

    ObjectNode wide = Json.mapper().createObjectNode().put("type", "object");
    ObjectNode props = wide.putObject("properties");
    ObjectNode doc = Json.mapper().createObjectNode();
    for (int i = 0; i < LakeLimits.MAX_LEAF_COLUMNS; i++) {
      props.putObject("p" + i).put("type", i % 2 == 0 ? "integer" : "string");
      if (i % 2 == 0) {
        doc.put("p" + i, i);
      } else {
        doc.put("p" + i, "v" + i);
      }
    }
    Figures w = measure("widest", JsonSchemaMapper.documentLayout("widest_v1", wide), doc);

    assertThat(m.leaves()).isGreaterThan(500);
    assertThat(m.heapPerWriter()).isLessThan(16L << 20);
    assertThat(w.heapPerWriter()).isLessThan(64L << 20);
    // what the sink's memory bound counts covers what an open writer really holds
    assertThat(m.bufferedPerWriter()).isGreaterThanOrEqualTo(m.heapPerWriter());
    assertThat(w.bufferedPerWriter()).isGreaterThanOrEqualTo(w.heapPerWriter());
  }
}
