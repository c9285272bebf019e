package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;
import org.kindling.core.Topics;
import org.kindling.core.ops.HealthCheck;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.UniqueNames;
import org.kindling.testkit.Waits;

/**
 * Kafka goes away: the file follower stops reading (nothing is dropped, the checkpoint does not
 * move past what Kafka acknowledged) and TCP syslog senders are no longer read from, so they block;
 * when Kafka is back everything arrives.
 */
class LogSourceOutageIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @TempDir Path dir;

  @BeforeAll
  static void topics() {
    KAFKA.ensureTopics();
  }

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private LogSourceService start(Map<String, String> overrides) throws Exception {
    Map<String, String> s = new HashMap<>();
    s.put(LogSourceConfig.CHECKPOINT_DIR, dir.resolve("checkpoint").toString());
    s.put(LogSourceConfig.FILE_POLL_INTERVAL, "50ms");
    s.put(LogSourceConfig.CHECKPOINT_INTERVAL, "100ms");
    s.put(LogSourceConfig.MAX_INFLIGHT_RECORDS, "100");
    s.put(LogSourceConfig.SHUTDOWN_TIMEOUT, "30s");
    // sends give up after 6 s, so the outage also runs the publisher's own resends
    s.put("kafka.producer.delivery.timeout.ms", "6000");
    s.put("kafka.producer.request.timeout.ms", "2000");
    s.putAll(overrides);
    LogSourceService service = new LogSourceService(KAFKA.config(s), registry);
    service.start();
    return service;
  }

  private double read(String input) {
    var c = registry.find("logs_lines_read").tag("input", input).counter();
    return c == null ? 0 : c.count();
  }

  private static boolean healthy(LogSourceService service, String check) {
    for (HealthCheck c : service.healthChecks()) {
      if (c.name().equals(check)) {
        return c.check().healthy();
      }
    }
    throw new AssertionError("no check " + check);
  }

  @Test
  void shouldPauseReadingAndKeepTheCheckpointWhileKafkaIsDown() throws Exception {
    String token = UniqueNames.of("outage-file");
    Path log = dir.resolve("access.log");
    AccessLines.append(log, token, 0, 300);
    long acknowledgedBytes = Files.size(log);
    int broker = KAFKA.brokerIds().iterator().next();
    try (LogSourceService service = start(Map.of(LogSourceConfig.FILES, log.toString()));
        RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token)) {
      raw.awaitLines(AccessLines.downloads(0, 300), Duration.ofSeconds(60));
      Waits.until(
          Duration.ofSeconds(10),
          () -> checkpointOffset() == acknowledgedBytes,
          () -> "checkpoint");
      KAFKA.stopBroker(broker);
      try {
        AccessLines.append(log, token, 300, 5300);
        Waits.until(
            Duration.ofSeconds(30),
            () -> !healthy(service, "kafka-producer"),
            () -> "the heartbeat should report the failing sends");
        double before = read(log.toString());
        Thread.sleep(2000);
        double after = read(log.toString());
        assertThat(after).as("reading paused").isEqualTo(before);
        assertThat(after).as("lines read while Kafka is down").isLessThan(300 + 1000);
        assertThat(checkpointOffset())
            .as("the checkpoint covers only what Kafka acknowledged")
            .isEqualTo(acknowledgedBytes);
      } finally {
        KAFKA.startBroker(broker);
      }
      raw.awaitLines(AccessLines.downloads(0, 5300), Duration.ofSeconds(120))
          .poll(Duration.ofSeconds(2));
      assertThat(raw.byLine.keySet()).isEqualTo(AccessLines.downloads(0, 5300));
      assertThat(raw.copiesAreIdentical()).isTrue();
      Waits.until(
          Duration.ofSeconds(30),
          () -> checkpointOffset() == sizeOf(log),
          () -> "checkpoint at the end");
      System.out.printf(
          "file outage: %d lines, %d copies sent again%n", raw.byLine.size(), raw.copies());
    }
  }

  @Test
  void shouldStopReadingTcpSendersWhileKafkaIsDown() throws Exception {
    String token = UniqueNames.of("outage-syslog");
    int total = 60_000;
    int broker = KAFKA.brokerIds().iterator().next();
    try (LogSourceService service =
            start(
                Map.of(
                    LogSourceConfig.SYSLOG_TCP_PORT,
                    "0",
                    LogSourceConfig.SYSLOG_HOST,
                    "127.0.0.1"));
        RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token)) {
      AtomicInteger written = new AtomicInteger();
      AtomicReference<Exception> failure = new AtomicReference<>();
      KAFKA.stopBroker(broker);
      Thread sender =
          new Thread(
              () -> {
                try (Socket s =
                        new Socket(InetAddress.getLoopbackAddress(), service.syslogTcpPort());
                    OutputStream out = s.getOutputStream()) {
                  for (int i = 0; i < total; i++) {
                    out.write(SyslogClient.octetCounted("web1", AccessLines.line(token, i)));
                    written.incrementAndGet();
                  }
                } catch (Exception e) {
                  failure.set(e);
                }
              },
              "syslog-sender");
      try {
        sender.start();
        Waits.until(
            Duration.ofSeconds(30),
            () -> {
              int w = written.get();
              try {
                Thread.sleep(1500);
              } catch (InterruptedException e) {
                return false;
              }
              return written.get() == w;
            },
            () -> "the sender never blocked");
        assertThat(written.get()).as("the sender is blocked before the end").isLessThan(total);
        assertThat(read("syslog-tcp"))
            .as("messages read while Kafka is down")
            .isLessThan(written.get())
            .isLessThan(20_000);
      } finally {
        KAFKA.startBroker(broker);
      }
      sender.join(120_000);
      assertThat(failure.get()).isNull();
      assertThat(written.get()).isEqualTo(total);
      raw.awaitLines(AccessLines.downloads(0, total), Duration.ofSeconds(120))
          .poll(Duration.ofSeconds(2));
      assertThat(raw.byLine.keySet()).isEqualTo(AccessLines.downloads(0, total));
      assertThat(raw.copiesAreIdentical()).isTrue();
      System.out.printf(
          "syslog outage: %d lines, %d copies sent again%n", raw.byLine.size(), raw.copies());
    }
  }

  private long checkpointOffset() {
    try {
      Path f = dir.resolve("checkpoint").resolve("checkpoint.json");
      if (!Files.exists(f)) {
        return -1;
      }
      JsonNode root = Json.mapper().readTree(Files.readAllBytes(f));
      long max = -1;
      for (JsonNode file : root.path("files")) {
        for (JsonNode open : file.path("open")) {
          max = Math.max(max, open.path("offset").asLong());
        }
      }
      return max;
    } catch (Exception e) {
      return -2;
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
