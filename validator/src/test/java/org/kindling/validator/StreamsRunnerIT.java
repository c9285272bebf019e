package org.kindling.validator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.StreamsRunner;
import org.kindling.core.ops.HealthCheck;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.UniqueNames;
import org.kindling.testkit.Waits;

/**
 * A deterministic {@link Error} in a processor fails every new stream thread the same way: the app
 * stops with a clear reason instead of replacing its thread for ever.
 */
class StreamsRunnerIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @TempDir Path state;

  @Test
  void shouldStopTheAppOnAnErrorInsteadOfReplacingItsThreadForEver() throws Exception {
    String topic = UniqueNames.of("poison");
    KAFKA.createTopic(topic, 1);
    AtomicInteger attempts = new AtomicInteger();
    Topology t = new Topology();
    t.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic);
    t.addProcessor(
        "poisoned",
        () ->
            new Processor<byte[], byte[], Void, Void>() {
              @Override
              public void process(Record<byte[], byte[]> r) {
                attempts.incrementAndGet();
                throw new AssertionError("a bug that fails every time");
              }
            },
        "in");
    Properties props =
        KafkaDefaults.streams(
            KAFKA.config(Map.of(CoreConfig.STREAMS_STATE_DIR, state.toString())),
            UniqueNames.of("poisoned-app"));
    try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
      p.send(new ProducerRecord<>(topic, "x".getBytes(StandardCharsets.UTF_8))).get();
    }
    try (StreamsRunner runner = new StreamsRunner("poisoned-app", t, props, null)) {
      runner.streams().start();
      Waits.until(
          Duration.ofSeconds(60),
          () ->
              runner.state() == KafkaStreams.State.ERROR
                  || runner.state() == KafkaStreams.State.NOT_RUNNING
                  || runner.state() == KafkaStreams.State.PENDING_ERROR,
          () -> "still " + runner.state() + " after " + attempts.get() + " attempts");
      HealthCheck.Result health = StreamsRunner.healthCheck("poisoned", () -> runner).check();
      assertThat(health.healthy()).isFalse();
      assertThat(health.detail())
          .contains("stopped", "AssertionError", "a bug that fails every time");
      int seen = attempts.get();
      Thread.sleep(2000);
      assertThat(attempts.get()).as("no new thread tries again").isEqualTo(seen);
    }
  }
}
