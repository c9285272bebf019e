package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.platform.query.LakeQuery;
import org.kindling.platform.simulate.ClientAddresses;
import org.kindling.platform.simulate.Mix;
import org.kindling.platform.simulate.Simulator;
import org.kindling.platform.simulate.Summary;
import org.kindling.platform.simulate.SyntheticTraffic;
import org.kindling.testkit.GeoIpTestData;
import org.kindling.testkit.Waits;

/**
 * {@code kindling local} SIGKILLed in the middle of traffic and started again on the same data
 * folder: every submission answered 200 before the kill is in the lake or in the errors lake, once;
 * and the edge, which starts first, accepts submissions again within 15 s of the restart, while the
 * Streams apps still restore their state behind it.
 */
class LocalCrashIT {
  private static final int COUNT = 3000;
  private static final double RATE = 150;

  @TempDir Path data;

  @Test
  void shouldKeepEverythingAnsweredAndAcceptAgainSoonAfterASigkill() throws Exception {
    int edgePort = LocalProcess.freePort();
    Map<String, String> settings =
        Map.of(
            "ops.port",
            "0",
            "local.kafka.port",
            Integer.toString(LocalProcess.freePort()),
            "local.s3.port",
            Integer.toString(LocalProcess.freePort()),
            "local.dashboard.enabled",
            "false",
            "geo.database",
            GeoIpTestData.cityDatabase().toString(),
            "sink.idle.flush",
            "2s");
    Path console = data.resolve("console.log");
    Summary sent;
    try (LocalProcess first = LocalProcess.start(data, edgePort, settings, console)) {
      first.awaitAccepting(Duration.ofSeconds(120));
      CompletableFuture<Summary> run = send(first, 7);
      Thread.sleep((long) (COUNT / RATE * 1000 / 2)); // half-way
      first.kill();
      sent = run.get();
    }
    // the one probe submission of awaitAccepting is an extra lake row
    try (LocalProcess second = LocalProcess.start(data, edgePort, settings, console)) {
      Duration back = second.awaitAccepting(Duration.ofSeconds(120));
      System.out.println("kindling local accepts submissions again " + back + " after a restart");
      assertThat(back)
          .as("time to the first 200 after the restart")
          .isLessThan(Duration.ofSeconds(15));
      Path lake = data.resolve("s3").resolve("kindling-lake");
      // every submission answered 200 lands once; one the kill left without an answer lands at
      // most once (the edge may have made it durable before it could answer)
      Map<String, Long> answered = new TreeMap<>(sent.lakeRows());
      answered.merge("glow_download_v1", 2L, Long::sum); // the two probes
      answered.put("errors", sent.expectedErrors());
      answered.values().removeIf(v -> v == 0);
      Map<String, Long> unanswered = new TreeMap<>(sent.unansweredLakeRows());
      unanswered.put("errors", sent.unansweredErrors());
      AtomicReference<Map<String, Long>> last = new AtomicReference<>();
      Waits.until(
          Duration.ofMinutes(3),
          () -> {
            last.set(Accounting.counts(lake));
            return within(last.get(), answered, unanswered);
          },
          () -> "lake " + last.get() + " answered " + answered + " unanswered " + unanswered);
      Thread.sleep(5000); // past the sink's idle flush: nothing more lands
      Map<String, Long> landed = Accounting.counts(lake);
      assertThat(within(landed, answered, unanswered))
          .as("lake %s answered %s unanswered %s", landed, answered, unanswered)
          .isTrue();
      try (LakeQuery q = new LakeQuery(lake)) {
        for (String table : landed.keySet()) {
          if (!table.equals("errors")) {
            Number distinct =
                (Number)
                    q.run("SELECT count(DISTINCT document_id) FROM " + table).rows().get(0).get(0);
            assertThat(distinct.longValue()).as(table + " doubled").isEqualTo(landed.get(table));
          }
        }
      }
      System.out.printf(
          "SIGKILL mid-traffic: submitted %d, answered 200 %d, without an answer %d; lake and"
              + " errors %s: lost 0, doubled 0%n",
          sent.sent(), sent.accepted(), sent.sent() - sent.accepted(), landed);
    }
    assertThat(Files.readString(console)).contains("Kindling is ready");
  }

  /** Every table holds its answered rows and at most its unanswered ones beside them. */
  private static boolean within(
      Map<String, Long> lake, Map<String, Long> answered, Map<String, Long> unanswered) {
    java.util.Set<String> tables = new java.util.TreeSet<>(lake.keySet());
    tables.addAll(answered.keySet());
    for (String t : tables) {
      long n = lake.getOrDefault(t, 0L);
      long min = answered.getOrDefault(t, 0L);
      if (n < min || n > min + unanswered.getOrDefault(t, 0L)) {
        return false;
      }
    }
    return true;
  }

  private static CompletableFuture<Summary> send(LocalProcess local, long seed) throws Exception {
    ClientAddresses clients = ClientAddresses.from(GeoIpTestData.cityDatabase(), seed, 20);
    SyntheticTraffic traffic = new SyntheticTraffic(seed, clients, Mix.parse(Mix.DEFAULT));
    Simulator sim = new Simulator(local.edge(), traffic, RATE, 64);
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return sim.run(COUNT, null, null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
