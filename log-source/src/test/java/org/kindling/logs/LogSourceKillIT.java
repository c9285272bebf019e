package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.UniqueNames;
import org.kindling.testkit.Waits;

/**
 * The log source as its own OS process, SIGKILLed in the middle of a file and started again: every
 * download line reaches ingest.raw, and every copy of a line that a restart sends again has the
 * same document id (and URI), so the validator's deduplication keeps exactly one.
 */
class LogSourceKillIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @TempDir Path dir;

  @BeforeAll
  static void topics() {
    KAFKA.ensureTopics();
  }

  private Map<String, String> settings(Path log) {
    Map<String, String> s = new HashMap<>();
    s.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
    s.put(LogSourceConfig.FILES, log.toString());
    s.put(LogSourceConfig.CHECKPOINT_DIR, dir.resolve("checkpoint").toString());
    s.put(LogSourceConfig.FILE_POLL_INTERVAL, "50ms");
    s.put(LogSourceConfig.CHECKPOINT_INTERVAL, "100ms");
    return s;
  }

  private static void assertEveryLineOnceAfterDedup(
      RawRecords raw, Path log, String token, Set<Integer> expected) {
    raw.awaitLines(expected, Duration.ofSeconds(90)).poll(Duration.ofSeconds(2));
    assertThat(raw.byLine.keySet()).as("lines in ingest.raw").isEqualTo(expected);
    assertThat(raw.copiesAreIdentical())
        .as("every copy of a line has its key and uri, so the validator drops it")
        .isTrue();
    DeriveDocumentId ids = new DeriveDocumentId();
    byte[] source = ("logs:" + log).getBytes(StandardCharsets.UTF_8);
    Set<String> keys = new HashSet<>();
    for (int i : expected) {
      byte[] b = AccessLines.line(token, i).getBytes(StandardCharsets.UTF_8);
      keys.add(ids.derive(source, b, 0, b.length).toString());
    }
    assertThat(raw.keys()).as("distinct document ids, one per line").isEqualTo(keys);
  }

  @Test
  void shouldLoseNothingWhenKilledWithRecordsKafkaHasNotAcknowledged() throws Exception {
    String token = UniqueNames.of("kill-outage");
    Path log = dir.resolve("access.log");
    AccessLines.append(log, token, 0, 500);
    try (RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token)) {
      ChildProcess first = ChildProcess.start(dir.resolve("first.properties"), settings(log));
      raw.awaitLines(AccessLines.downloads(0, 500), Duration.ofSeconds(60));
      int broker = KAFKA.brokerIds().iterator().next();
      KAFKA.stopBroker(broker);
      try {
        AccessLines.append(log, token, 500, 1000);
        // the process has read the new lines (their records wait for Kafka) and had time to write
        // checkpoints: those must not cover lines Kafka never acknowledged
        Waits.until(
            Duration.ofSeconds(30),
            () -> {
              try {
                return first.counter("logs_lines_read_total") >= 1000;
              } catch (Exception e) {
                return false;
              }
            },
            () -> "the process did not read the new lines");
        Thread.sleep(1000);
        first.kill();
      } finally {
        KAFKA.startBroker(broker);
      }
      try (ChildProcess second =
          ChildProcess.start(dir.resolve("second.properties"), settings(log))) {
        assertEveryLineOnceAfterDedup(raw, log, token, AccessLines.downloads(0, 1000));
        assertThat(second.counter("logs_records_acked_total"))
            .as("the second process sent what the first had not got acknowledged")
            .isGreaterThanOrEqualTo(400);
      }
    }
  }

  @Test
  void shouldLoseNothingWhenKilledRepeatedlyWhileTheFileGrows() throws Exception {
    String token = UniqueNames.of("kill-load");
    Path log = dir.resolve("access.log");
    Files.createFile(log);
    int total = 6000;
    AtomicInteger written = new AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              try {
                while (written.get() < total) {
                  int from = written.get();
                  AccessLines.append(log, token, from, from + 30);
                  written.addAndGet(30);
                  Thread.sleep(20);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "access-log-writer");
    Random random = new Random(16);
    try (RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token)) {
      writer.start();
      for (int kill = 0; kill < 3; kill++) {
        ChildProcess p =
            ChildProcess.start(dir.resolve("run" + kill + ".properties"), settings(log));
        Thread.sleep(700 + random.nextInt(800));
        p.kill();
      }
      writer.join();
      try (ChildProcess last = ChildProcess.start(dir.resolve("last.properties"), settings(log))) {
        assertEveryLineOnceAfterDedup(raw, log, token, AccessLines.downloads(0, total));
        System.out.printf(
            "killed 3 times: %d lines, %d records, %d copies sent again (same ids); the last"
                + " process sent %.0f%n",
            raw.byLine.size(), raw.total, raw.copies(), last.counter("logs_records_acked_total"));
      }
    }
  }
}
