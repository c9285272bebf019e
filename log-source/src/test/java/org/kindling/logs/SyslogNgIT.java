package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Topics;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.UniqueNames;

/**
 * A real syslog-ng (Debian's syslog-ng-core), configured with the snippet of the README, forwards
 * an access log it follows (RFC 5424, octet-counted) and relays lines that {@code logger} sends it
 * over UDP (RFC 3164, newline-framed) to the log source over TCP; every download line reaches
 * ingest.raw exactly once, including the lines written while the broker is down.
 */
class SyslogNgIT {
  private static final Path SYSLOG_NG = Path.of("/usr/sbin/syslog-ng");
  private static final String START = "<!-- syslog-ng-snippet:start -->";
  private static final String END = "<!-- syslog-ng-snippet:end -->";

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @TempDir Path dir;

  @BeforeAll
  static void topics() {
    KAFKA.ensureTopics();
  }

  /** The configuration snippet of the root README, without its code fence. */
  static String readmeSnippet() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int s = readme.indexOf(START);
    int e = readme.indexOf(END);
    assertThat(s).as("README has the syslog-ng snippet markers").isGreaterThanOrEqualTo(0);
    StringBuilder out = new StringBuilder();
    for (String line : readme.substring(s + START.length(), e).split("\n")) {
      if (!line.startsWith("```")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Process syslogNg(Path access, int tcpPort, int udpPort) throws IOException {
    String snippet = readmeSnippet();
    String conf =
        "@version: 3.38\n"
            + snippet
                .replace("/var/log/nginx/access.log", access.toString())
                .replace("kindling-logs.example.org", "127.0.0.1")
                .replace("port(5514)", "port(" + tcpPort + ")")
                .replace("port(514)", "port(" + udpPort + ")");
    assertThat(conf).doesNotContain("example.org").doesNotContain("5514");
    Path file = dir.resolve("syslog-ng.conf");
    Files.writeString(file, conf);
    List<String> cmd =
        List.of(
            SYSLOG_NG.toString(),
            "-F",
            "-e",
            "--no-caps",
            "-f",
            file.toString(),
            "-R",
            dir.resolve("syslog-ng.persist").toString(),
            "-p",
            dir.resolve("syslog-ng.pid").toString(),
            "-c",
            dir.resolve("syslog-ng.ctl").toString());
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("syslog-ng.out").toFile())
        .start();
  }

  private static void logger(int udpPort, Path lines) throws Exception {
    Process p =
        new ProcessBuilder(
                "logger",
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(udpPort),
                "-d",
                "--rfc3164",
                "-t",
                "nginx",
                "-f",
                lines.toString())
            .inheritIO()
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void shouldCarryEveryLineThroughSyslogNgOnce() throws Exception {
    assumeTrue(Files.isExecutable(SYSLOG_NG), "syslog-ng-core is not installed");
    String token = UniqueNames.of("syslog-ng");
    Path access = dir.resolve("access.log");
    Files.createFile(access);
    int udp = freeUdpPort();
    Map<String, String> s = new HashMap<>();
    s.put(LogSourceConfig.SYSLOG_HOST, "127.0.0.1");
    s.put(LogSourceConfig.SYSLOG_TCP_PORT, "0");
    s.put(LogSourceConfig.MAX_INFLIGHT_RECORDS, "200");
    Process syslogNg = null;
    try (LogSourceService service =
            new LogSourceService(KAFKA.config(s), new SimpleMeterRegistry());
        RawRecords raw = new RawRecords(KAFKA.bootstrapServers(), Topics.RAW.name(), token)) {
      service.start();
      syslogNg = syslogNg(access, service.syslogTcpPort(), udp);
      Thread.sleep(1500); // syslog-ng opens the file and its sockets
      assertThat(syslogNg.isAlive()).as(output()).isTrue();

      for (int i = 0; i < 400; i += 50) {
        AccessLines.append(access, token, i, i + 50);
        Thread.sleep(50);
      }
      Path relayed = dir.resolve("relayed.txt");
      List<String> lines = new ArrayList<>();
      for (int i = 400; i < 500; i++) {
        lines.add(AccessLines.line(token, i));
      }
      Files.write(relayed, lines, StandardCharsets.UTF_8);
      logger(udp, relayed);
      raw.awaitLines(AccessLines.downloads(0, 500), Duration.ofSeconds(60))
          .poll(Duration.ofSeconds(2));
      assertThat(raw.byLine.keySet()).as(output()).isEqualTo(AccessLines.downloads(0, 500));
      assertThat(raw.copies()).isZero();

      // the broker goes away while lines keep coming: the log source stops reading the connection,
      // syslog-ng holds the lines (flow-control), and everything arrives once the broker is back
      int broker = KAFKA.brokerIds().iterator().next();
      KAFKA.stopBroker(broker);
      try {
        for (int i = 500; i < 3000; i += 250) {
          AccessLines.append(access, token, i, i + 250);
          Thread.sleep(100);
        }
        Thread.sleep(3000);
      } finally {
        KAFKA.startBroker(broker);
      }
      raw.awaitLines(AccessLines.downloads(0, 3000), Duration.ofSeconds(120))
          .poll(Duration.ofSeconds(3));
      assertThat(raw.byLine.keySet()).as(output()).isEqualTo(AccessLines.downloads(0, 3000));
      assertThat(raw.copiesAreIdentical()).isTrue();
      assertThat(raw.copies()).as("copies (none expected: nothing crashed)").isZero();
    } finally {
      if (syslogNg != null) {
        syslogNg.destroy();
        syslogNg.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private String output() {
    try {
      return "syslog-ng said: " + Files.readString(dir.resolve("syslog-ng.out"));
    } catch (IOException e) {
      return "no syslog-ng output";
    }
  }
}
