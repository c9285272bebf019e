package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Topics;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.UniqueNames;

/** The syslog listener against a real broker: both TCP framings, UDP, errors. */
class SyslogIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @BeforeAll
  static void topics() {
    KAFKA.ensureTopics();
  }

  private static LogSourceService start() throws Exception {
    Map<String, String> s = new HashMap<>();
    s.put(LogSourceConfig.SYSLOG_HOST, "127.0.0.1");
    s.put(LogSourceConfig.SYSLOG_TCP_PORT, "0");
    s.put(LogSourceConfig.SYSLOG_UDP_PORT, "0");
    s.put(LogSourceConfig.SOURCE_NAME, "relay");
    LogSourceService service = new LogSourceService(KAFKA.config(s), new SimpleMeterRegistry());
    service.start();
    return service;
  }

  @Test
  void shouldTakeOctetCountedNewlineFramedAndUdpMessages() throws Exception {
    String token = UniqueNames.of("syslog");
    try (LogSourceService service = start();
        RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token)) {
      List<byte[]> octet = new ArrayList<>();
      List<byte[]> newline = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        octet.add(SyslogClient.octetCounted("web1", AccessLines.line(token, i)));
        newline.add(SyslogClient.newlineFramed("web2", AccessLines.line(token, 100 + i)));
      }
      SyslogClient.tcp(service.syslogTcpPort(), octet.toArray(byte[][]::new));
      SyslogClient.tcp(service.syslogTcpPort(), newline.toArray(byte[][]::new));
      for (int i = 200; i < 300; i++) {
        SyslogClient.udp(service.syslogUdpPort(), "web3", AccessLines.line(token, i));
      }
      raw.awaitLines(AccessLines.downloads(0, 300), Duration.ofSeconds(60))
          .poll(Duration.ofSeconds(1));
      assertThat(raw.byLine.keySet()).isEqualTo(AccessLines.downloads(0, 300));
      assertThat(raw.copies()).isZero();

      DeriveDocumentId ids = new DeriveDocumentId();
      for (int i : AccessLines.downloads(0, 300)) {
        ConsumerRecord<byte[], byte[]> r = raw.byLine.get(i).get(0);
        String line = AccessLines.line(token, i);
        String host = i < 100 ? "web1" : i < 200 ? "web2" : "web3";
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertThat(new String(r.key(), StandardCharsets.UTF_8))
            .isEqualTo(
                ids.derive(
                        ("relay:syslog:" + host).getBytes(StandardCharsets.UTF_8), b, 0, b.length)
                    .toString());
        assertThat(AttributeHeaders.get(r.headers(), Attributes.REMOTE_ADDR))
            .isEqualTo(line.substring(0, line.indexOf(' ')));
        assertThat(AttributeHeaders.get(r.headers(), Attributes.SUBMISSION_TIMESTAMP))
            .as("the log line's time, not the syslog header's")
            .startsWith("2026-11-27T10:");
      }
    }
  }

  @Test
  void shouldSendAMatchedLineThatCannotBeReadToErrors() throws Exception {
    String token = UniqueNames.of("syslog-error");
    String bad = AccessLines.line(token, 0).replace("/Nov/", "/Nov-");
    try (LogSourceService service = start()) {
      SyslogClient.tcp(service.syslogTcpPort(), SyslogClient.newlineFramed("web1", bad));
      FailureRecord found = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (found == null && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r :
            KAFKA.consumeAll(Topics.ERRORS.name(), Duration.ofSeconds(1))) {
          FailureRecord f = FailureRecordSerde.decode(r.value());
          if (("Mozilla/5.0 test/" + token + "/0")
              .equals(f.attributes().get(Attributes.USER_AGENT))) {
            found = f;
          }
        }
      }
      assertThat(found).isNotNull();
      assertThat(found.errorType()).isEqualTo("log_parse");
      assertThat(found.stage()).isEqualTo("log-source");
      assertThat(new String(found.payload(), StandardCharsets.UTF_8))
          .isEqualTo(MaskAddresses.apply(bad))
          .doesNotContain(bad.substring(0, bad.indexOf(' ')));
      assertThat(found.errorMessage()).contains("time");
    }
  }
}
