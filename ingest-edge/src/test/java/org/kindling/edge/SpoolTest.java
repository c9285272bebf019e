package org.kindling.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  static Submission submission(int i) {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("submission_timestamp", "2026-11-24T18:05:00.123456Z");
    attrs.put("uri", "/submit/glow/download/1/id-" + i);
    attrs.put("user_agent", "Mozilla/5.0 é");
    byte[] body = ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 50) + "\"}").getBytes(UTF8);
    return new Submission(i % 7 == 0 ? null : "id-" + i, body, attrs);
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static Spool open(Path dir, long max, long segment, SimpleMeterRegistry r)
      throws Exception {
    return Spool.open(dir, max, segment, r);
  }

  private static List<Submission> drainAll(Spool spool) throws Exception {
    List<Submission> out = new ArrayList<>();
    while (true) {
      Spool.Batch b = spool.read(10, 1 << 20);
      if (b.isEmpty()) {
        return out;
      }
      out.addAll(b.submissions());
      spool.commit(b);
    }
  }

  private static void assertSame(Submission actual, Submission expected) {
    assertThat(actual.key()).isEqualTo(expected.key());
    assertThat(actual.body()).isEqualTo(expected.body());
    assertThat(actual.attributes()).containsExactlyEntriesOf(expected.attributes());
  }

  @Test
  void shouldReadBackAppendsInOrder() throws Exception {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    try (Spool spool = open(dir, 1 << 30, 4096, r)) {
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        fs.add(spool.append(submission(i)));
      }
      CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).get();
      assertThat(spool.records()).isEqualTo(200);
      List<Submission> read = drainAll(spool);
      assertThat(read).hasSize(200);
      for (int i = 0; i < 200; i++) {
        assertSame(read.get(i), submission(i));
      }
      assertThat(spool.records()).isZero();
    }
  }

  @Test
  void shouldDeleteDrainedSegments() throws Exception {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    try (Spool spool = open(dir, 1 << 30, 1024, r)) {
      for (int i = 0; i < 100; i++) {
        spool.append(submission(i)).get();
      }
      assertThat(segments(dir)).hasSizeGreaterThan(3);
      drainAll(spool);
      // the active segment is sealed on request and then deleted by the next read
      for (int i = 0; i < 50 && !segments(dir).isEmpty(); i++) {
        spool.read(10, 1 << 20);
        Thread.sleep(20);
      }
      assertThat(segments(dir)).isEmpty();
      assertThat(spool.bytes()).isZero();
    }
  }

  @Test
  void shouldKeepUndrainedRecordsAcrossRestart() throws Exception {
    int drained;
    try (Spool spool = open(dir, 1 << 30, 2048, new SimpleMeterRegistry())) {
      for (int i = 0; i < 50; i++) {
        spool.append(submission(i)).get();
      }
      Spool.Batch first = spool.read(8, 1 << 20);
      drained = first.submissions().size();
      assertThat(drained).isEqualTo(8);
      spool.commit(first);
    }
    try (Spool spool = open(dir, 1 << 30, 2048, new SimpleMeterRegistry())) {
      assertThat(spool.records()).isEqualTo(50 - drained);
      spool.append(submission(50)).get();
      List<Submission> rest = drainAll(spool);
      assertThat(rest).hasSize(51 - drained);
      for (int i = 0; i < rest.size(); i++) {
        assertSame(rest.get(i), submission(drained + i));
      }
    }
  }

  @Test
  void shouldSkipTornTailRecordAndKeepTheRest() throws Exception {
    try (Spool spool = open(dir, 1 << 30, 1 << 20, new SimpleMeterRegistry())) {
      for (int i = 0; i < 10; i++) {
        spool.append(submission(i)).get();
      }
    }
    Path seg = segments(dir).get(0);
    long size = Files.size(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(size - 5); // the last record was only partly written
    }
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    try (Spool spool = open(dir, 1 << 30, 1 << 20, r)) {
      assertThat(spool.records()).isEqualTo(9);
      List<Submission> read = drainAll(spool);
      assertThat(read).hasSize(9);
      for (int i = 0; i < 9; i++) {
        assertSame(read.get(i), submission(i));
      }
      assertThat(r.counter("edge_spool_corrupt_records").count()).isEqualTo(1.0);
    }
  }

  @Test
  void shouldEndASegmentAtACorruptRecord() throws Exception {
    long offsetOfThird;
    try (Spool spool = open(dir, 1 << 30, 1 << 20, new SimpleMeterRegistry())) {
      for (int i = 0; i < 5; i++) {
        spool.append(submission(i)).get();
      }
    }
    offsetOfThird =
        SpoolRecordCodec.encode(submission(0)).length
            + SpoolRecordCodec.encode(submission(1)).length;
    Path seg = segments(dir).get(0);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(offsetOfThird + 20); // inside the third record's body
      int b = f.read();
      f.seek(offsetOfThird + 20);
      f.write(b ^ 0xff);
    }
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    try (Spool spool = open(dir, 1 << 30, 1 << 20, r)) {
      assertThat(spool.records()).isEqualTo(2);
      List<Submission> read = drainAll(spool);
      assertThat(read).hasSize(2);
      assertSame(read.get(0), submission(0));
      assertSame(read.get(1), submission(1));
      assertThat(r.counter("edge_spool_corrupt_records").count()).isEqualTo(1.0);
    }
  }

  /**
   * A body can hold bytes shaped as a spool record (length, CRC, attributes of the sender's
   * choice). When the record carrying it is torn, nothing after the tear may be read back, or a
   * client could have its own "record" drained with a forged {@code remote_addr}.
   */
  @Test
  void shouldNotReadBackARecordCraftedInABodyAfterATornTail() throws Exception {
    Map<String, String> forged = new LinkedHashMap<>();
    forged.put("submission_timestamp", "2020-01-01T00:00:00.000000Z");
    forged.put("uri", "/submit/glow/download/1/forged");
    forged.put("remote_addr", "6.6.6.6");
    byte[] inner = SpoolRecordCodec.encode(new Submission("forged", new byte[] {'{', '}'}, forged));
    byte[] body = new byte[inner.length + 200];
    System.arraycopy(inner, 0, body, 0, inner.length);
    java.util.Arrays.fill(body, inner.length, body.length, (byte) ' ');
    Submission carrier = new Submission("carrier", body, submission(1).attributes());
    try (Spool spool = open(dir, 1 << 30, 1 << 20, new SimpleMeterRegistry())) {
      spool.append(submission(0)).get();
      spool.append(carrier).get();
    }
    Path seg = segments(dir).get(0);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(f.length() - 100); // torn inside the padding: the crafted record is whole
    }
    try (Spool spool = open(dir, 1 << 30, 1 << 20, new SimpleMeterRegistry())) {
      List<Submission> read = drainAll(spool);
      assertThat(read).hasSize(1);
      assertSame(read.get(0), submission(0));
    }
  }

  /** Where a failed write could not be cut back, a marker bounds the segment for every reader. */
  @Test
  void shouldNotReadPastTheEndMarkerOfASegment() throws Exception {
    try (Spool spool = open(dir, 1 << 30, 1 << 20, new SimpleMeterRegistry())) {
      for (int i = 0; i < 3; i++) {
        spool.append(submission(i)).get();
      }
    }
    Path seg = segments(dir).get(0);
    long durable =
        SpoolRecordCodec.encode(submission(0)).length
            + SpoolRecordCodec.encode(submission(1)).length;
    Files.writeString(seg.resolveSibling(seg.getFileName() + ".end"), durable + "\n");
    try (Spool spool = open(dir, 1 << 30, 1 << 20, new SimpleMeterRegistry())) {
      assertThat(spool.records()).isEqualTo(2);
      List<Submission> read = drainAll(spool);
      assertThat(read).hasSize(2);
      assertSame(read.get(1), submission(1));
    }
    assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".end")).count())
        .as("the marker goes with its drained segment")
        .isZero();
  }

  /** A full disk is a full spool: the client gets 507, as for the size cap. */
  @Test
  void shouldReportAFullDiskAsAFullSpool() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("small"));
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        p.waitFor() == 0, "this machine does not let the test mount a small file system");
    try {
      try (Spool spool = open(mount, 1 << 30, 1 << 20, new SimpleMeterRegistry())) {
        byte[] body = new byte[64 << 10];
        ExecutionException full = null;
        for (int i = 0; i < 10 && full == null; i++) {
          try {
            spool.append(new Submission("k" + i, body, Map.of("uri", "/x"))).get();
          } catch (ExecutionException e) {
            full = e;
          }
        }
        assertThat(full).isNotNull();
        assertThat(full.getCause()).isInstanceOf(Spool.SpoolFullException.class);
        assertThat(spool.lastWriteError()).isInstanceOf(Spool.SpoolFullException.class);
      }
    } finally {
      new ProcessBuilder("umount", mount.toString()).start().waitFor();
    }
  }

  @Test
  void shouldRefuseAppendsBeyondTheCap() throws Exception {
    int one = SpoolRecordCodec.encode(submission(1)).length;
    try (Spool spool = open(dir, one * 3L, 1 << 20, new SimpleMeterRegistry())) {
      spool.append(submission(1)).get();
      spool.append(submission(1)).get();
      spool.append(submission(1)).get();
      assertThat(spool.hasRoom(1)).isFalse();
      assertThatThrownBy(() -> spool.append(submission(1)).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(Spool.SpoolFullException.class);
      // draining frees room again
      drainAll(spool);
      for (int i = 0; i < 50 && !spool.hasRoom(one); i++) {
        spool.read(10, 1 << 20);
        Thread.sleep(20);
      }
      assertThat(spool.hasRoom(one)).isTrue();
      spool.append(submission(2)).get();
    }
  }

  @Test
  void shouldRefuseASecondSpoolOnTheSameDirectory() throws Exception {
    try (Spool spool = open(dir, 1 << 20, 1 << 20, new SimpleMeterRegistry())) {
      assertThat(spool.records()).isZero();
      assertThatThrownBy(() -> open(dir, 1 << 20, 1 << 20, new SimpleMeterRegistry()))
          .hasMessageContaining("in use");
    }
  }

  private static List<Path> segments(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(Spool.SUFFIX)).sorted().toList();
    }
  }
}
