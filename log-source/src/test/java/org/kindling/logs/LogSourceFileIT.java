package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Topics;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.UniqueNames;
import org.kindling.testkit.Waits;

/**
 * Following files through rotation (rename, copy-truncate, compression) and restarts, against a
 * real broker: every download line must be in ingest.raw exactly once, with the id derived from the
 * source and the line.
 */
class LogSourceFileIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @TempDir Path dir;

  @BeforeAll
  static void topics() {
    KAFKA.ensureTopics();
  }

  private LogSourceService start(Path log, Map<String, String> overrides) throws Exception {
    Map<String, String> s = new HashMap<>();
    s.put(LogSourceConfig.FILES, log.toString());
    s.put(LogSourceConfig.CHECKPOINT_DIR, dir.resolve("checkpoint").toString());
    s.put(LogSourceConfig.FILE_POLL_INTERVAL, "50ms");
    s.put(LogSourceConfig.CHECKPOINT_INTERVAL, "200ms");
    s.put(LogSourceConfig.FILE_CLOSE_INACTIVE, "2s");
    s.put(LogSourceConfig.SHUTDOWN_TIMEOUT, "20s");
    s.putAll(overrides);
    LogSourceService service = new LogSourceService(KAFKA.config(s), new SimpleMeterRegistry());
    service.start();
    return service;
  }

  private static Set<String> expectedKeys(Path log, String token, Set<Integer> lines) {
    DeriveDocumentId ids = new DeriveDocumentId();
    byte[] source = ("logs:" + log).getBytes(StandardCharsets.UTF_8);
    Set<String> keys = new HashSet<>();
    for (int i : lines) {
      byte[] b = AccessLines.line(token, i).getBytes(StandardCharsets.UTF_8);
      keys.add(ids.derive(source, b, 0, b.length).toString());
    }
    return keys;
  }

  /** Every download once, no copy at all, ids as derived. */
  private static void assertExactlyOnce(
      RawRecords raw, Path log, String token, Set<Integer> expected) {
    raw.awaitLines(expected, Duration.ofSeconds(60)).poll(Duration.ofSeconds(2));
    assertThat(raw.byLine.keySet()).as("lines in ingest.raw").isEqualTo(expected);
    assertThat(raw.copies()).as("records beyond one per line").isZero();
    assertThat(raw.keys()).isEqualTo(expectedKeys(log, token, expected));
  }

  private static void awaitAcked(LogSourceService service) {
    Waits.until(
        Duration.ofSeconds(30),
        () -> service.inflight() == 0,
        () -> service.inflight() + " in flight");
  }

  private static void gzip(Path from, Path to) throws Exception {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
      Files.copy(from, out);
    }
    Files.delete(from);
  }

  @Test
  void shouldFollowRenameRotationsWhileTheServerStillWritesToTheOldFile() throws Exception {
    String token = UniqueNames.of("rename");
    Path log = dir.resolve("access.log");
    Files.createFile(log);
    int n = 0;
    try (LogSourceService service = start(log, Map.of());
        RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token)) {
      OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND);
      for (int round = 0; round < 4; round++) {
        for (int chunk = 0; chunk < 20; chunk++) {
          AccessLines.write(out, token, n, n + 25);
          n += 25;
          Thread.sleep(5);
        }
        // logrotate: .2 is compressed (delaycompress), .1 becomes .2, the file becomes .1
        Path one = dir.resolve("access.log.1");
        Path two = dir.resolve("access.log.2");
        if (Files.exists(two)) {
          gzip(two, dir.resolve("access.log." + (round + 2) + ".gz"));
        }
        if (Files.exists(one)) {
          Files.move(one, two);
        }
        Files.move(log, one);
        Files.createFile(log);
        // the server writes on to the renamed file until it reopens its log (nginx: USR1)
        for (int chunk = 0; chunk < 4; chunk++) {
          AccessLines.write(out, token, n, n + 25);
          n += 25;
          Thread.sleep(50);
        }
        out.close();
        out = Files.newOutputStream(log, StandardOpenOption.APPEND);
      }
      AccessLines.write(out, token, n, n + 300);
      n += 300;
      out.close();
      assertExactlyOnce(raw, log, token, AccessLines.downloads(0, n));
      awaitAcked(service);
    }
  }

  @Test
  void shouldReadOnInTheCopyWhenTheFileIsCopiedAndTruncated() throws Exception {
    String token = UniqueNames.of("copytruncate");
    Path log = dir.resolve("access.log");
    Files.createFile(log);
    int n = 0;
    // a slow look at the file, so that each burst is copied and truncated before it is read whole
    try (LogSourceService service =
            start(log, Map.of(LogSourceConfig.FILE_POLL_INTERVAL, "400ms"));
        RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token);
        OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
      for (int round = 0; round < 5; round++) {
        AccessLines.write(out, token, n, n + 150);
        n += 150;
        Thread.sleep(round * 150L); // a different share of the burst read each round
        AccessLines.write(out, token, n, n + 150);
        n += 150;
        // logrotate copytruncate: older copies shift, the file is copied, then truncated; the
        // writer (O_APPEND) writes on at the new end
        Path one = dir.resolve("access.log.1");
        if (Files.exists(one)) {
          Files.move(one, dir.resolve("access.log.2"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(log, one);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
          ch.truncate(0);
        }
        Thread.sleep(700);
      }
      AccessLines.write(out, token, n, n + 300);
      n += 300;
      assertExactlyOnce(raw, log, token, AccessLines.downloads(0, n));
      awaitAcked(service);
    }
  }

  @Test
  void shouldResumeFromTheCheckpointAndReadGzippedRotatedFilesOnce() throws Exception {
    String token = UniqueNames.of("resume");
    Path log = dir.resolve("access.log");
    // before the first start: two rotated files, one gzip'd, and the current one
    AccessLines.append(dir.resolve("access.log.2"), token, 0, 200);
    gzip(dir.resolve("access.log.2"), dir.resolve("access.log.2.gz"));
    AccessLines.append(dir.resolve("access.log.1"), token, 200, 400);
    AccessLines.append(log, token, 400, 600);
    try (RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token)) {
      Map<String, String> all = Map.of(LogSourceConfig.FILE_START, "all");
      try (LogSourceService service = start(log, all)) {
        raw.awaitLines(AccessLines.downloads(0, 600), Duration.ofSeconds(60));
        awaitAcked(service);
      }
      // while it is down: more lines, then a rotation (.1 compressed, the file renamed), more lines
      AccessLines.append(log, token, 600, 700);
      gzip(dir.resolve("access.log.1"), dir.resolve("access.log.1.gz"));
      Files.move(log, dir.resolve("access.log.1"));
      AccessLines.append(log, token, 700, 800);
      try (LogSourceService service = start(log, all)) {
        AccessLines.append(log, token, 800, 900);
        assertExactlyOnce(raw, log, token, AccessLines.downloads(0, 900));
        awaitAcked(service);
      }
    }
  }

  @Test
  void shouldStartAtTheEndWhenToldAndStillReadNewFilesWhole() throws Exception {
    String token = UniqueNames.of("end");
    Path log = dir.resolve("access.log");
    AccessLines.append(log, token, 0, 100);
    Files.writeString(log, "203.0.113.1 - - [27/Nov/2026:10:", StandardOpenOption.APPEND);
    try (RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token);
        LogSourceService service = start(log, Map.of(LogSourceConfig.FILE_START, "end"))) {
      Thread.sleep(300);
      // the partial line is finished, then lines follow
      Files.writeString(
          log, "00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"\n", StandardOpenOption.APPEND);
      AccessLines.append(log, token, 100, 200);
      Files.move(log, dir.resolve("access.log.1"));
      AccessLines.append(log, token, 200, 300);
      assertExactlyOnce(raw, log, token, AccessLines.downloads(100, 300));
      awaitAcked(service);
    }
  }

  @Test
  void shouldGoOnWithTheOtherFilesWhenOneCannotBeRead() throws Exception {
    String token = UniqueNames.of("unreadable");
    Path broken = Files.createDirectory(dir.resolve("not-a-file.log"));
    Path log = dir.resolve("access.log");
    AccessLines.append(log, token, 0, 200);
    try (RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token);
        LogSourceService service = start(log, Map.of(LogSourceConfig.FILES, broken + "," + log))) {
      assertExactlyOnce(raw, log, token, AccessLines.downloads(0, 200));
      assertThat(
              service.healthChecks().stream()
                  .filter(c -> c.name().equals("log-files"))
                  .findFirst()
                  .orElseThrow()
                  .check()
                  .healthy())
          .as("the heartbeat tells of the file it cannot read")
          .isFalse();
    }
  }
}
