package org.kindling.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.sink.parquet.ParquetFiles;
import org.kindling.sink.store.FileSystemObjectStore;

/**
 * The batching and exactly-once logic against a filesystem object store, with the partition logs
 * held in lists and offsets committed to a map (the IT does the same against a real broker).
 */
class FileSinkTest {
  private static final String TOPIC = "ingest.enriched";

  @TempDir Path dir;

  /** A partition log: records at offsets 0..n-1. */
  private static List<ConsumerRecord<byte[], byte[]>> log(int partition, int n, long t0) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "p" + partition + "-" + i;
      String type = i % 3 == 0 ? "share" : "download";
      String day = i % 7 == 0 ? "2026-11-23" : "2026-11-24";
      RecordHeaders h = new RecordHeaders();
      h.add("document_namespace", "glow".getBytes(StandardCharsets.UTF_8));
      h.add("document_type", type.getBytes(StandardCharsets.UTF_8));
      h.add("document_version", "1".getBytes(StandardCharsets.UTF_8));
      String ts = day + "T18:05:00.123456Z";
      h.add("submission_timestamp", ts.getBytes(StandardCharsets.UTF_8));
      String doc =
          "{\"document_id\":\""
              + id
              + "\",\"submission_timestamp\":\""
              + ts
              + "\",\"n\":"
              + i
              + ",\"x\":{\"y\":\"z\"}}";
      out.add(
          new ConsumerRecord<>(
              TOPIC,
              partition,
              i,
              t0 + i * 10L,
              TimestampType.CREATE_TIME,
              id.length(),
              doc.length(),
              id.getBytes(StandardCharsets.UTF_8),
              doc.getBytes(StandardCharsets.UTF_8),
              h,
              Optional.empty()));
    }
    return out;
  }

  private static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private FileSink<LakeFormat.Item> sink(
      FileSystemObjectStore store,
      Map<TopicPartition, OffsetAndMetadata> committed,
      FileSink.Limits limits,
      SinkHooks hooks)
      throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    return new FileSink<>(
        TOPIC,
        "lake",
        new LakeFormat(
            SchemaLookup.NONE,
            new ParquetFiles("zstd", 1 << 20, 64 << 10),
            new SimpleMeterRegistry()),
        store,
        (tp, offset, metadata) -> committed.put(tp, new OffsetAndMetadata(offset, metadata)),
        limits,
        tmp,
        hooks,
        new SimpleMeterRegistry());
  }

  private long[] duckCounts(Path root) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT document_id) FROM read_parquet('"
                    + root.resolve("lake")
                    + "/**/*.parquet', hive_partitioning=true, union_by_name=true)")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  @Test
  void shouldWriteEveryRecordExactlyOnceAcrossCrashesAtEveryStep() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("s3"));
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> logs = new HashMap<>();
    logs.put(new TopicPartition(TOPIC, 0), log(0, 2500, 1_000_000));
    logs.put(new TopicPartition(TOPIC, 1), log(1, 1500, 1_000_000));
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    FileSink.Limits limits =
        new FileSink.Limits(
            300, 1 << 30, Duration.ofSeconds(5), Duration.ofSeconds(30), 4, 1L << 30);
    Random random = new Random(42);
    int crashes = 0;
    boolean done = false;
    while (!done) {
      // each run crashes at a random step of a random flush, as a killed process would
      int crashAfter = crashes < 12 ? random.nextInt(30) : Integer.MAX_VALUE;
      int[] steps = {0};
      SinkHooks hooks =
          (point, tp) -> {
            if (steps[0]++ == crashAfter) {
              throw new Crash();
            }
          };
      FileSink<LakeFormat.Item> sink = sink(store, committed, limits, hooks);
      Map<TopicPartition, Integer> position = new HashMap<>();
      for (TopicPartition tp : logs.keySet()) {
        OffsetAndMetadata c = committed.get(tp);
        sink.assigned(tp);
        position.put(tp, c == null ? 0 : (int) c.offset());
      }
      try {
        boolean more = true;
        while (more) {
          more = false;
          // interleave partitions in polls of random size, as a consumer does
          for (Map.Entry<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> e :
              logs.entrySet()) {
            int pos = position.get(e.getKey());
            int n = Math.min(random.nextInt(120), e.getValue().size() - pos);
            for (int i = 0; i < n; i++) {
              sink.accept(e.getValue().get(pos + i));
            }
            position.put(e.getKey(), pos + n);
            more |= pos + n < e.getValue().size();
          }
          // now and then a partition goes idle, which forces a cut
          long now =
              System.nanoTime() + (random.nextInt(10) == 0 ? Duration.ofMinutes(1).toNanos() : 0);
          sink.maintain(now);
        }
        sink.flushAll();
        done = true;
      } catch (Crash c) {
        crashes++;
        sink.abortAll();
      }
    }

    assertThat(crashes).isGreaterThanOrEqualTo(5);
    assertThat(duckCounts(dir.resolve("s3"))).containsExactly(4000L, 4000L);
    assertThat(committed.get(new TopicPartition(TOPIC, 0)).offset()).isEqualTo(2500);
    assertThat(store.list("lake", "glow/download/v1/submission_date=2026-11-23/"))
        .allMatch(k -> k.matches(".*/ingest\\.enriched\\+[01]\\+\\d{20}\\.parquet"));
  }

  @Test
  void shouldFlushLargestPartitionWhenOpenFilesExceedTheBound() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("s3"));
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    // at most 2 open files: the 4 directories of one partition cannot all stay open
    FileSink.Limits limits =
        new FileSink.Limits(
            1_000_000, 1 << 30, Duration.ofDays(1), Duration.ofDays(1), 2, 1L << 30);
    FileSink<LakeFormat.Item> sink = sink(store, committed, limits, SinkHooks.NONE);
    TopicPartition tp = new TopicPartition(TOPIC, 0);
    sink.assigned(tp);
    for (ConsumerRecord<byte[], byte[]> r : log(0, 50, 0)) {
      sink.accept(r);
      sink.maintain(System.nanoTime());
      assertThat(sink.openFiles()).isLessThanOrEqualTo(2);
    }
    sink.flushAll();

    assertThat(duckCounts(dir.resolve("s3"))).containsExactly(50L, 50L);
    assertThat(committed.get(tp).offset()).isEqualTo(50);
    assertThat(committed.get(tp).metadata()).isEmpty();
  }
}
