package org.kindling.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.Waits;

/**
 * One destination down does not slow another: while "down" stalls every request for 25 s (a
 * shortened stand-in for a minute-long outage, to keep the suite quick), "up", in the same export
 * process, keeps delivering within seconds and its lag stays low; "down" catches up afterwards.
 */
class IsolationIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  private static final String SECRET = "isolation";
  private static final Duration DOWNTIME = Duration.ofSeconds(25);

  @BeforeAll
  static void topics() {
    KAFKA.ensureTopics();
  }

  private static void webhook(Map<String, String> m, String name, String url) {
    String p = "export.destination." + name + ".";
    m.put(p + "type", "webhook");
    m.put(p + "webhook.url", url);
    m.put(p + "webhook.secret", SECRET);
    m.put(p + "filter.namespaces", "iso");
    m.put(p + "batch.max.wait", "200ms");
    m.put(p + "request.timeout", "5s");
    m.put(p + "retry.max.attempts", "1000");
    m.put(p + "retry.initial.backoff", "200ms");
    m.put(p + "retry.max.backoff", "2s");
  }

  private double lag(Pipeline p, String destination) {
    return p.registry.get("export_lag").tag("destination", destination).gauge().value();
  }

  @Test
  void shouldKeepAHealthyDestinationCurrentWhileAnotherIsDown() throws Exception {
    try (WebhookReceiver up = new WebhookReceiver(SECRET);
        WebhookReceiver down = new WebhookReceiver(SECRET);
        Pipeline p = new Pipeline(KAFKA)) {
      down.behaviour = r -> new WebhookReceiver.Stall(Duration.ofSeconds(30));
      Map<String, String> settings = new HashMap<>();
      settings.put("export.destinations", "up,down");
      webhook(settings, "up", up.url());
      webhook(settings, "down", down.url());
      Map<String, Long> sentAt = new HashMap<>();
      List<Double> upLag = new ArrayList<>();
      double downLag = 0;
      try (ExportService s = p.start(settings)) {
        assertThat(s.destinations())
            .extracting(DestinationInfo::group)
            .containsExactly("export-up", "export-down");
        long start = System.nanoTime();
        long nextSample = start;
        while (System.nanoTime() - start < DOWNTIME.toNanos()) {
          for (int i = 0; i < 2; i++) {
            Pipeline.Sent x = p.send("iso");
            sentAt.put(x.id(), System.nanoTime());
          }
          p.flush();
          if (System.nanoTime() >= nextSample) {
            upLag.add(lag(p, "up"));
            downLag = lag(p, "down");
            nextSample += 1_000_000_000L;
          }
          Thread.sleep(200);
        }
        Set<String> ids = sentAt.keySet();
        Waits.until(
            Duration.ofSeconds(30),
            () -> up.acknowledged.keySet().containsAll(ids),
            () -> up.acknowledged.size() + " of " + ids.size() + " at up");
        assertThat(down.acknowledged).isEmpty();
        // the outage ends: down catches up with everything it missed
        down.behaviour = r -> WebhookReceiver.OK;
        Waits.until(
            Duration.ofSeconds(90),
            () -> down.acknowledged.keySet().containsAll(ids),
            () -> down.acknowledged.size() + " of " + ids.size() + " at down after the outage");
      }
      List<Long> latencies =
          sentAt.entrySet().stream()
              .map(e -> (up.firstAcknowledgedAt.get(e.getKey()) - e.getValue()) / 1_000_000)
              .sorted()
              .collect(Collectors.toList());
      long p50 = latencies.get(latencies.size() / 2);
      long max = latencies.get(latencies.size() - 1);
      System.out.printf(
          "isolation: %d documents in %s; up latency p50 %d ms, max %d ms; up lag samples %s;"
              + " down lag at the end of the outage %.0f%n",
          sentAt.size(), DOWNTIME, p50, max, upLag, downLag);
      assertThat(max).as("slowest delivery to up, ms").isLessThan(5000);
      assertThat(upLag.stream().mapToDouble(Double::doubleValue).max().orElse(0))
          .as("largest lag of up")
          .isLessThan(60);
      assertThat(downLag).as("lag of down at the end of its outage").isGreaterThan(150);
      assertThat(p.failures("export:up")).isEmpty();
      assertThat(p.failures("export:down")).isEmpty();
    }
  }
}
