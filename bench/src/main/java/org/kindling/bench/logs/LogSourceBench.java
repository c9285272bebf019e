package org.kindling.bench.logs;

import static org.kindling.bench.common.Bench.num;
import static org.kindling.bench.common.Bench.ratio;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kindling.bench.common.Bench;
import org.kindling.bench.common.LocalServers;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.TopicAdmin;
import org.kindling.geo.GeoDatabase;
import org.kindling.logs.LogSourceConfig;
import org.kindling.logs.LogSourceService;
import org.kindling.logs.ProcessLine;
import org.kindling.platform.simulate.AccessLogWriter;
import org.kindling.platform.simulate.ClientAddresses;

/**
 * The log source against a bare loop on the same million-line combined log, in one run:
 *
 * <ol>
 *   <li><b>bare</b>: {@link BufferedReader#readLine()} and a combined-format regular expression
 *       {@code matches()} per line, nothing else: the floor of any log tailer;
 *   <li><b>no Kafka</b>: {@link LogSourceService} following the file from its start, as deployed
 *       (follower thread, {@link ProcessLine} per line, batches, checkpoints, the send thread),
 *       with a {@link DiscardingProducer} that acknowledges every record at once: Kafka out of the
 *       timed part;
 *   <li><b>with Kafka</b>: the same with its real producer (acks=all, idempotent, zstd) to a
 *       single-node KRaft broker in a child JVM.
 * </ol>
 *
 * Both log source rounds are timed from {@code start()} until every download is acknowledged.
 *
 * <p>Rates are lines per CPU-second of this process (every thread, garbage collection and JIT
 * included; the broker's CPU is the child's and is printed apart) and per wall second; the thread
 * CPU time of the working threads (ThreadMXBean) is printed beside them. Target (issue 16): the log
 * source at least 0.5 of the bare loop's lines per CPU-second.
 *
 * <p>System properties: {@code bench.lines} (1000000), {@code bench.rounds} (3 after one warm-up
 * round), {@code bench.kafka} (true; false leaves the rounds with the broker out), {@code
 * bench.set.KEY=VALUE} (any configuration key of the log source, e.g. {@code
 * bench.set.kafka.producer.compression.type=lz4}).
 */
public final class LogSourceBench {
  /**
   * The usual combined-format expression of log tailers (Logstash's COMBINEDAPACHELOG, simpler).
   */
  static final Pattern COMBINED =
      Pattern.compile(
          "^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"([^\"]*)\" (\\d{3}) (\\S+)(?: \"([^\"]*)\""
              + " \"([^\"]*)\")?.*$");

  private static volatile long sink;

  private record Result(String what, double wall, double cpu, double threadCpu, long count) {
    double perCpu(long lines) {
      return lines / cpu;
    }

    double perWall(long lines) {
      return lines / wall;
    }
  }

  private LogSourceBench() {}

  public static void main(String[] args) throws Exception {
    Bench.quietLogs();
    // the log source's start-up lines (one per round) are not figures
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.kindling.logs"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int n = Bench.intProperty("bench.lines", 1_000_000);
    int rounds = Math.max(1, Bench.intProperty("bench.rounds", 3));
    boolean withKafka = !"false".equals(System.getProperty("bench.kafka"));
    System.out.println("LogSourceBench: " + Bench.machine());
    Path dir = Files.createTempDirectory("kindling-logbench-");
    try {
      Path log = dir.resolve("access.log");
      ClientAddresses addresses = ClientAddresses.from(GeoDatabase.bundledFile(), 16, 50);
      long downloads =
          new AccessLogWriter(16, addresses)
              .writeAll(log, n, Instant.parse("2026-11-27T10:00:00Z"), 2000);
      System.out.printf(
          "corpus: %s lines of combined log, %s MB (%d bytes a line on average), %s downloads"
              + " (the rest page views, static files, 304/404, bots)%n",
          num(n), num(Files.size(log) / 1e6), Files.size(log) / n, num(downloads));
      try (LocalServers servers = LocalServers.start(false)) {
        KindlingConfig base =
            KindlingConfig.of(
                ConfigDefinitions.discover(),
                Map.of(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, servers.bootstrapServers()));
        new TopicAdmin(base).ensureTopics();
        System.out.println("warm-up round (not counted)...");
        bare(log);
        logSource(log, dir, servers, base, n, downloads, "warm-up", false);
        if (withKafka) {
          logSource(log, dir, servers, base, n, downloads, "warm-up-kafka", true);
        }
        List<Result> bare = new ArrayList<>();
        List<Result> noKafka = new ArrayList<>();
        List<Result> source = new ArrayList<>();
        System.out.printf(
            "%nround  what          lines/CPU-s    lines/s wall   CPU s  thread CPU s  result%n");
        for (int r = 1; r <= rounds; r++) {
          Result b = bare(log);
          print(r, b, n);
          bare.add(b);
          Result p = logSource(log, dir, servers, base, n, downloads, r + "", false);
          print(r, p, n);
          noKafka.add(p);
          if (withKafka) {
            Result s = logSource(log, dir, servers, base, n, downloads, r + "-kafka", true);
            print(r, s, n);
            source.add(s);
          }
        }
        double bareCpu = Bench.median(bare.stream().map(x -> x.perCpu(n)).toList());
        double bareWall = Bench.median(bare.stream().map(x -> x.perWall(n)).toList());
        double bareThread = Bench.median(bare.stream().map(x -> n / x.threadCpu()).toList());
        double noKafkaCpu = Bench.median(noKafka.stream().map(x -> x.perCpu(n)).toList());
        double noKafkaWall = Bench.median(noKafka.stream().map(x -> x.perWall(n)).toList());
        double noKafkaThread = Bench.median(noKafka.stream().map(x -> n / x.threadCpu()).toList());
        if (source.isEmpty()) {
          source.add(new Result("with Kafka", Double.NaN, Double.NaN, Double.NaN, 0));
        }
        double kafkaCpu = Bench.median(source.stream().map(x -> x.perCpu(n)).toList());
        double kafkaWall = Bench.median(source.stream().map(x -> x.perWall(n)).toList());
        double kafkaThread = Bench.median(source.stream().map(x -> n / x.threadCpu()).toList());
        System.out.printf(
            "%nsummary (medians over %d rounds; CPU = this process, threads = ThreadMXBean)%n"
                + "  bare loop             %s lines/CPU-s, %s lines/thread-CPU-s, %s lines/s wall%n"
                + "  log source, no Kafka  %s lines/CPU-s, %s lines/thread-CPU-s, %s lines/s wall%n"
                + "  log source, Kafka     %s lines/CPU-s, %s lines/thread-CPU-s, %s lines/s wall"
                + " (acks=all to the broker in a child JVM)%n"
                + "  %s log source (Kafka out of the timed part)/bare %s lines per CPU-second"
                + " (target >= 0.50); threads %s, wall %s%n"
                + "  info log source with Kafka/bare %s lines per CPU-second; threads %s, wall %s%n",
            rounds,
            num(bareCpu),
            num(bareThread),
            num(bareWall),
            num(noKafkaCpu),
            num(noKafkaThread),
            num(noKafkaWall),
            num(kafkaCpu),
            num(kafkaThread),
            num(kafkaWall),
            Bench.verdict(noKafkaCpu / bareCpu >= 0.5),
            ratio(noKafkaCpu / bareCpu),
            ratio(noKafkaThread / bareThread),
            ratio(noKafkaWall / bareWall),
            ratio(kafkaCpu / bareCpu),
            ratio(kafkaThread / bareThread),
            ratio(kafkaWall / bareWall));
      }
    } finally {
      Bench.deleteTree(dir);
    }
  }

  private static void print(int round, Result r, long n) {
    System.out.printf(
        "%-6d %-12s %13s %14s %7.2f %13.2f  %s%n",
        round,
        r.what(),
        num(r.perCpu(n)),
        num(r.perWall(n)),
        r.cpu(),
        r.threadCpu(),
        r.what().equals("bare") ? num(r.count()) + " lines matched" : num(r.count()) + " records");
  }

  private static Result bare(Path log) throws IOException {
    long cpu0 = Bench.processCpuNanos();
    long thread0 = Bench.threadCpuNanos();
    long t0 = System.nanoTime();
    long matched = 0;
    try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      Matcher m = COMBINED.matcher("");
      String line;
      while ((line = r.readLine()) != null) {
        if (m.reset(line).matches()) {
          matched++;
        }
      }
    }
    return new Result(
        "bare",
        (System.nanoTime() - t0) / 1e9,
        (Bench.processCpuNanos() - cpu0) / 1e9,
        (Bench.threadCpuNanos() - thread0) / 1e9,
        matched);
  }

  /**
   * The log source following the file from its start until every download is acknowledged: by the
   * broker (the producer of {@link PublishRecords#producerProperties}), or at once when {@code
   * withKafka} is false ({@link DiscardingProducer}).
   */
  private static Result logSource(
      Path log,
      Path dir,
      LocalServers servers,
      KindlingConfig base,
      long lines,
      long downloads,
      String round,
      boolean withKafka)
      throws Exception {
    Map<String, String> s = new HashMap<>();
    s.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, servers.bootstrapServers());
    s.put(LogSourceConfig.FILES, log.toString());
    s.put(LogSourceConfig.CHECKPOINT_DIR, dir.resolve("checkpoint-" + round).toString());
    // the records wait for acknowledgements either way; without Kafka they come at once
    s.put(LogSourceConfig.MAX_INFLIGHT_RECORDS, "10000");
    System.getProperties()
        .stringPropertyNames()
        .forEach(
            k -> {
              if (k.startsWith("bench.set.")) {
                s.put(k.substring("bench.set.".length()), System.getProperty(k));
              }
            });
    KindlingConfig config = base.with(s);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    long broker0 = servers.cpuNanos();
    long cpu0 = Bench.processCpuNanos();
    long t0 = System.nanoTime();
    double threadCpu;
    try (LogSourceService service =
        withKafka
            ? new LogSourceService(config, registry)
            : new LogSourceService(config, registry, new DiscardingProducer())) {
      service.start();
      Counter acked = registry.find("logs_records_acked").counter();
      Counter read = registry.find("logs_lines_read").tag("input", log.toString()).counter();
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (acked.count() < downloads || read.count() < lines) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the log source did not finish: "
                  + acked.count()
                  + " acked, "
                  + read.count()
                  + " read");
        }
        Thread.sleep(5);
      }
      threadCpu =
          (Bench.javaThreadsCpuNanos("logs-")
                  + Bench.javaThreadsCpuNanos("kafka-producer-network-thread | log-source"))
              / 1e9;
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (Bench.processCpuNanos() - cpu0) / 1e9;
    if (withKafka && !round.equals("warm-up")) {
      System.out.printf(
          "       (broker CPU %.2f s in the child JVM)%n", (servers.cpuNanos() - broker0) / 1e9);
    }
    return new Result(withKafka ? "with Kafka" : "no Kafka", wall, cpu, threadCpu, downloads);
  }
}
