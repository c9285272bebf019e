package org.kindling.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.Waits;

/** The broker goes away in the middle of a load; nothing answered 200 may be lost. */
class EdgeBrokerOutageIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @TempDir Path dir;

  @Test
  void shouldKeepEveryAcceptedSubmissionWhenTheBrokerStopsMidLoad() throws Exception {
    KAFKA.ensureTopics();
    Map<String, String> settings = new HashMap<>();
    settings.put(EdgeConfig.PORT, "0");
    settings.put(EdgeConfig.HOST, "127.0.0.1");
    settings.put(EdgeConfig.SPOOL_DIR, dir.toString());
    settings.put(EdgeConfig.PRODUCE_TIMEOUT, "500ms");
    settings.put(EdgeConfig.SHUTDOWN_TIMEOUT, "10s");
    try (EdgeService edge =
        new EdgeService(
            KAFKA.config(settings), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      edge.start();
      LoadClient client = new LoadClient(edge.port(), 32);
      AtomicBoolean running = new AtomicBoolean(true);
      int[] sent = {0};
      Thread load =
          new Thread(
              () -> {
                try {
                  while (running.get()) {
                    client.run(sent[0], 50);
                    sent[0] += 50;
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      load.start();
      Waits.until(Duration.ofSeconds(30), () -> client.accepted.size() >= 1000, () -> "warm-up");
      int broker = KAFKA.brokerIds().iterator().next();
      KAFKA.stopBroker(broker);
      int beforeOutage = client.accepted.size();
      Waits.until(
          Duration.ofSeconds(60),
          () -> edge.spool().records() >= 1000,
          () -> "spooled only " + edge.spool().records());
      KAFKA.startBroker(broker);
      Waits.until(
          Duration.ofSeconds(30),
          () -> client.accepted.size() >= beforeOutage + 3000,
          () -> "load after the outage");
      running.set(false);
      load.join();
      assertThat(client.refused).isEmpty();
      Waits.until(
          Duration.ofSeconds(90),
          () -> edge.spool().records() == 0,
          () -> edge.spool().records() + " records still spooled");

      List<ConsumerRecord<byte[], byte[]>> all =
          KAFKA.consumeAll("ingest.raw", Duration.ofSeconds(3));
      Map<String, String> inKafka = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : all) {
        inKafka.put(
            new String(r.key(), StandardCharsets.UTF_8),
            new String(r.value(), StandardCharsets.UTF_8));
      }
      assertThat(client.accepted.size()).isGreaterThan(5000);
      for (Map.Entry<String, String> e : client.accepted.entrySet()) {
        assertThat(inKafka).containsEntry(e.getKey(), e.getValue());
      }
    }
  }
}
