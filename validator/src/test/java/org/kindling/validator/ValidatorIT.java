package org.kindling.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.schemas.SchemaStore;
import org.kindling.testkit.KafkaClusterExtension;

/**
 * The validator on a real broker: 10,000 mixed submissions (valid, gzip, invalid of every kind,
 * duplicates, gzip bombs) give exact counts on ingest.validated and ingest.errors, across a
 * shutdown in the middle of the stream and a restart on an empty state directory (so the dedup
 * store must come back from its changelog).
 */
class ValidatorIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  private static final int TOTAL = 10_000;

  @TempDir Path stateA;
  @TempDir Path stateB;

  private record Raw(String key, byte[] value, Map<String, String> attrs) {}

  private final Map<String, Integer> expectedErrors = new TreeMap<>();
  private final Set<String> expectedValid = new HashSet<>();
  private int expectedDuplicates;

  @Test
  void shouldCountExactlyAcrossARestart() throws Exception {
    KAFKA.ensureTopics();
    List<Raw> raws = generate(new Random(7));
    List<Raw> first = raws.subList(0, TOTAL / 2);
    List<Raw> second = raws.subList(TOTAL / 2, TOTAL);

    produce(first);
    SimpleMeterRegistry registryA = new SimpleMeterRegistry();
    try (ValidatorService a = service(stateA, registryA)) {
      a.start();
      KAFKA.consume(Topics.VALIDATED.name(), 1_000, Duration.ofSeconds(60));
    } // closed mid-stream (no state cleanup); the rest of the first half is left for B
    produce(second);
    SimpleMeterRegistry registryB = new SimpleMeterRegistry();
    List<ConsumerRecord<byte[], byte[]>> validated;
    List<ConsumerRecord<byte[], byte[]>> errors;
    try (ValidatorService b = service(stateB, registryB)) {
      b.start();
      int expectedTotal =
          expectedValid.size() + expectedErrors.values().stream().mapToInt(i -> i).sum();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      do {
        validated = KAFKA.consumeAll(Topics.VALIDATED.name(), Duration.ofSeconds(2));
        errors = KAFKA.consumeAll(Topics.ERRORS.name(), Duration.ofMillis(500));
      } while (validated.size() + errors.size() < expectedTotal && System.nanoTime() < deadline);
      // nothing more arrives after the expected total
      validated = KAFKA.consumeAll(Topics.VALIDATED.name(), Duration.ofSeconds(3));
      errors = KAFKA.consumeAll(Topics.ERRORS.name(), Duration.ofSeconds(1));
    }

    List<String> ids = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : validated) {
      ids.add(
          KafkaClusterExtension.header(r, Attributes.DOCUMENT_NAMESPACE)
              + "/"
              + KafkaClusterExtension.header(r, Attributes.DOCUMENT_TYPE)
              + "/"
              + KafkaClusterExtension.header(r, Attributes.DOCUMENT_ID));
    }
    assertThat(ids).doesNotHaveDuplicates().hasSize(expectedValid.size());
    assertThat(new HashSet<>(ids)).isEqualTo(expectedValid);

    Map<String, Integer> errorTypes = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : errors) {
      FailureRecord f = FailureRecordSerde.decode(r.value());
      errorTypes.merge(f.errorType(), 1, Integer::sum);
      assertThat(f.stage()).isEqualTo("validator");
      assertThat(f.attributes()).containsKey(Attributes.REMOTE_ADDR);
      assertThat(f.payload()).isNotEmpty();
    }
    assertThat(errorTypes).isEqualTo(expectedErrors);
    assertThat(TOTAL - validated.size() - errors.size()).isEqualTo(expectedDuplicates);
    // every duplicate was counted by one of the two instances (a transaction aborted by the
    // shutdown may be counted twice, never less)
    double dups = duplicates(registryA) + duplicates(registryB);
    assertThat(dups).isGreaterThanOrEqualTo(expectedDuplicates);
  }

  private static double duplicates(SimpleMeterRegistry registry) {
    return registry.find(ValidatorMetrics.DUPLICATE).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  /**
   * One chain of size limits (topics.max.message.bytes, every producer, the largest document): a
   * valid 3 MiB document, gzip'd well under the edge's body limit, is carried on (the Streams
   * producer's own 2 MiB limit used to make it a "production" error), and with a smaller chain it
   * is an error of its own type with its original bytes.
   */
  @Test
  void shouldCarryALargeValidDocumentOrRefuseItWithItsBytes() throws Exception {
    KAFKA.ensureTopics();
    String big = "3b000000-0000-4000-8000-000000000001";
    String refused = "3b000000-0000-4000-8000-000000000002";
    byte[] doc =
        ("{\"product\":\"firefox\",\"version\":\"145.0\",\"os\":\"linux64\",\"locale\":\"de\","
                + "\"blob\":\""
                + "x".repeat(3 << 20)
                + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] body = StepsTest.gzip(doc);
    assertThat(body.length).isLessThan(1 << 20);
    produce(List.of(new Raw(big, body, attrs("/submit/glow/download/1/" + big, 1))));
    try (ValidatorService v = service(stateA, new SimpleMeterRegistry())) {
      v.start();
      ConsumerRecord<byte[], byte[]> out = awaitKey(Topics.VALIDATED.name(), big);
      assertThat(out.value()).hasSize(doc.length);
    }
    produce(List.of(new Raw(refused, body, attrs("/submit/glow/download/1/" + refused, 2))));
    KindlingConfig small =
        KAFKA.config(
            Map.of(
                CoreConfig.STREAMS_STATE_DIR,
                stateB.toString(),
                CoreConfig.TOPICS_MAX_MESSAGE_BYTES,
                "1MiB"));
    try (ValidatorService v =
        new ValidatorService(small, new SimpleMeterRegistry(), SchemaStore.bundled())) {
      v.start();
      FailureRecord f = FailureRecordSerde.decode(awaitKey(Topics.ERRORS.name(), refused).value());
      assertThat(f.errorType()).isEqualTo(ErrorTypes.DOCUMENT_TOO_LARGE);
      assertThat(f.payload()).isEqualTo(body);
      assertThat(f.errorMessage()).contains(String.valueOf(doc.length));
    }
  }

  private static ConsumerRecord<byte[], byte[]> awaitKey(String topic, String key)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : KAFKA.consumeAll(topic, Duration.ofMillis(500))) {
        if (r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
          return r;
        }
      }
    }
    throw new AssertionError("no record " + key + " on " + topic);
  }

  private ValidatorService service(Path state, SimpleMeterRegistry registry) {
    // Streams does not leave the group on close (a restart should not rebalance), so the second
    // instance waits for the first one's session to time out: keep that short here.
    KindlingConfig config =
        KAFKA.config(
            Map.of(
                CoreConfig.STREAMS_STATE_DIR,
                state.toString(),
                "kafka.streams.consumer.session.timeout.ms",
                "6000",
                "kafka.streams.consumer.heartbeat.interval.ms",
                "1000"));
    return new ValidatorService(config, registry, SchemaStore.bundled());
  }

  private static void produce(List<Raw> raws) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
      for (Raw r : raws) {
        p.send(
            new ProducerRecord<>(
                Topics.RAW.name(),
                null,
                r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
                r.value(),
                AttributeHeaders.fromMap(r.attrs())));
      }
      p.flush();
    }
  }

  private List<Raw> generate(Random random) {
    List<Raw> out = new ArrayList<>();
    List<Raw> validSoFar = new ArrayList<>();
    byte[] bomb = StepsTest.gzipUnchecked(new byte[9 << 20]);
    for (int i = 0; i < TOTAL; i++) {
      int pick = random.nextInt(100);
      String id = String.format("17000000-0000-4000-8000-%012d", i);
      Raw r;
      if (pick < 10 && !validSoFar.isEmpty()) {
        // a resubmission of an earlier valid document (same namespace, type and id)
        Raw original = validSoFar.get(random.nextInt(validSoFar.size()));
        r =
            new Raw(
                original.key(), original.value(), attrs(original.attrs().get(Attributes.URI), i));
        expectedDuplicates++;
      } else if (pick < 55) {
        r = valid("/submit/glow/download/1/" + id, id, download(i), i);
      } else if (pick < 70) {
        r = valid("/submit/glow/share/1/" + id, id, StepsTest.gzipUnchecked(share(i)), i);
      } else if (pick < 80) {
        String ping =
            "{\"service\":\"s\",\"response_time_ms\":"
                + i
                + ",\"queue_length\":1,\"timestamp\":\"2026-11-24T18:05:00Z\"}";
        r = valid("/submit/service/health/1/" + id, id, utf8(ping), i);
      } else if (pick < 84) {
        r =
            error(
                ErrorTypes.SCHEMA_VALIDATION,
                "/submit/glow/download/1/" + id,
                id,
                utf8("{\"os\":\"x\"}"),
                i);
      } else if (pick < 88) {
        r = error(ErrorTypes.JSON_PARSE, "/submit/glow/download/1/" + id, id, utf8("{nope"), i);
      } else if (pick < 91) {
        r = error(ErrorTypes.URI, "/submit/glow/" + id, id, download(i), i);
      } else if (pick < 94) {
        r = error(ErrorTypes.SCHEMA_NOT_FOUND, "/submit/glow/upload/1/" + id, id, download(i), i);
      } else if (pick < 99) {
        byte[] gz = StepsTest.gzipUnchecked(download(i));
        r =
            error(
                ErrorTypes.DECOMPRESSION,
                "/submit/glow/download/1/" + id,
                id,
                java.util.Arrays.copyOf(gz, gz.length - 6),
                i);
      } else {
        r = error(ErrorTypes.PAYLOAD_TOO_LARGE, "/submit/glow/download/1/" + id, id, bomb, i);
      }
      if (expectedValid.contains(r.attrs().get("expect"))) {
        validSoFar.add(r);
      }
      r.attrs().remove("expect");
      out.add(r);
    }
    return out;
  }

  private Raw valid(String uri, String id, byte[] body, int i) {
    Map<String, String> a = attrs(uri, i);
    String key = uri.substring("/submit/".length(), uri.lastIndexOf('/'));
    key = key.substring(0, key.lastIndexOf('/')) + "/" + id;
    expectedValid.add(key);
    a.put("expect", key);
    return new Raw(id, body, a);
  }

  private Raw error(String type, String uri, String id, byte[] body, int i) {
    expectedErrors.merge(type, 1, Integer::sum);
    return new Raw(id, body, attrs(uri, i));
  }

  private static Map<String, String> attrs(String uri, int i) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(Attributes.SUBMISSION_TIMESTAMP, "2026-11-24T18:05:00.000000Z");
    a.put(Attributes.URI, uri);
    a.put(Attributes.METHOD, "POST");
    a.put(Attributes.REMOTE_ADDR, "192.0.2." + (i % 250));
    return a;
  }

  private static byte[] download(int i) {
    return utf8(
        "{\"product\":\"firefox\",\"version\":\"145.0\",\"os\":\"linux64\",\"locale\":\"de\",\"n\":"
            + i
            + "}");
  }

  private static byte[] share(int i) {
    return utf8("{\"network\":\"mastodon\",\"n\":" + i + "}");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
