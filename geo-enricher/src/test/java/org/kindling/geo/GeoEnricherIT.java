package org.kindling.geo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.counts.CountKey;
import org.kindling.core.counts.CountKey.Dimension;
import org.kindling.core.counts.CountValue;
import org.kindling.core.counts.PartialCounts;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.geo.counts.CountProcessor;
import org.kindling.testkit.GeoIpTestData;
import org.kindling.testkit.GeoIpTestData.Place;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.Waits;

/**
 * The geo-enricher on a real broker with four partitions, across a restart in the middle of the
 * stream.
 *
 * <p>5,000 enrichable {@code ingest.validated} records (addresses of the test database with known
 * places, three doctypes, event times in the order a real edge stamps them: X at minutes 0-2, then
 * Y at minutes 10-12) and 20 unenrichable ones go through two instances in turn. The first instance
 * enriches block X and the first half of Y (Y1), whose records close the X minutes on every
 * partition; once every partition has written them it is closed, in the middle of a minute. The
 * second half of Y is written only then, and the second instance starts on an empty state
 * directory, so the partitions' totals, open minutes and watermarks must come back from their
 * changelogs. With nothing more to read, every partition closes its last minute by the wall clock.
 *
 * <p>Read through {@link PartialCounts} (as the public writer reads it), {@code ingest.counts} must
 * hold exactly what this test computes from its own input: the totals, and every minute closed by
 * every partition with its counts, countries and locations; no record may be late; each partial
 * precedes, on the same partition, the watermark that closes it; and no client address may appear
 * in any record written by the app, as text or as raw address bytes.
 */
class GeoEnricherIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA =
      KafkaClusterExtension.singleBroker()
          // Streams does not leave the group on close, so the second instance waits for the first
          // one's session to expire: allow a short session.
          .withBrokerProperty("group.min.session.timeout.ms", "1000");

  private static final int ENRICHABLE = 5_000;
  private static final int X_GOOD = 2_500;
  private static final int Y1_GOOD = 1_250;
  private static final int Y2_GOOD = ENRICHABLE - X_GOOD - Y1_GOOD;
  private static final int X_BAD = 10;
  private static final int Y1_BAD = 5;
  private static final int Y2_BAD = 5;
  private static final int BAD = X_BAD + Y1_BAD + Y2_BAD;

  /** Y records the first instance must have enriched before it is closed. */
  private static final int Y_BEFORE_RESTART = 500;

  private static final long MINUTE_MS = 60_000L;
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final int MIN_COUNT = 5;

  private static final String DOWNLOAD = "glow.download";
  private static final String SHARE = "glow.share";
  private static final String MAIN = "telemetry.main";
  private static final Set<String> COUNTED = Set.of(DOWNLOAD, SHARE);
  private static final List<String> USER_AGENTS =
      List.of(
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
          "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)"
              + " Version/17.5 Safari/605.1.15");
  private static final DateTimeFormatter MINUTE_KEY =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @TempDir Path stateA;
  @TempDir Path stateB;

  /** One ingest.validated record and the place its remote_addr lies in. */
  private record Input(
      String id,
      String doctype,
      long eventMs,
      String submitted,
      Place place,
      boolean enrichable,
      Map<String, String> attributes,
      byte[] body) {}

  @Test
  void shouldCountExactlyAcrossARestartAndWriteNoClientAddress() throws Exception {
    KAFKA.ensureTopics();
    // Event time in the recent past: within the topics' retention, never ahead of the broker.
    long base =
        Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(30, ChronoUnit.MINUTES).toEpochMilli();
    Generator gen = new Generator(new Random(20261124));
    List<Input> x = gen.block(X_GOOD, X_BAD, base, base + 3 * MINUTE_MS);
    long middle = base + 11 * MINUTE_MS + MINUTE_MS / 2;
    List<Input> y1 = gen.block(Y1_GOOD, Y1_BAD, base + 10 * MINUTE_MS, middle);
    List<Input> y2 = gen.block(Y2_GOOD, Y2_BAD, middle, base + 13 * MINUTE_MS);
    List<Input> all = new ArrayList<>();
    List.of(x, y1, y2).forEach(all::addAll);
    Expected expected = Expected.of(all);
    int enrichable = ENRICHABLE;

    SimpleMeterRegistry registryA = new SimpleMeterRegistry();
    SimpleMeterRegistry registryB = new SimpleMeterRegistry();
    produce(x);
    try (GeoEnricherService a = service(stateA, registryA)) {
      a.start();
      KAFKA.consume(Topics.ENRICHED.name(), X_GOOD, Duration.ofSeconds(60));
      produce(y1);
      KAFKA.consume(Topics.ENRICHED.name(), X_GOOD + Y_BEFORE_RESTART, Duration.ofSeconds(30));
      // the Y records close the X minutes on every partition: wait until they are written
      Set<String> xMinutes = new TreeSet<>();
      expected.minutes.keySet().stream()
          .filter(k -> minuteOf(k) < base + 10 * MINUTE_MS)
          .forEach(xMinutes::add);
      assertThat(xMinutes).hasSize(2 * 3);
      Waits.until(
          Duration.ofSeconds(30),
          () ->
              closedMinutes(fold(KAFKA.consumeAll(Topics.COUNTS.name(), Duration.ofMillis(300))))
                  .keySet()
                  .containsAll(xMinutes),
          () -> "the X minutes " + xMinutes + " were not closed by every partition");
    } // closed mid-stream; its state directory is not used again
    produce(y2);

    List<ConsumerRecord<byte[], byte[]>> enriched;
    List<ConsumerRecord<byte[], byte[]>> errors;
    List<ConsumerRecord<byte[], byte[]>> counts;
    List<List<ConsumerRecord<byte[], byte[]>>> internal = new ArrayList<>();
    try (GeoEnricherService b = service(stateB, registryB)) {
      b.start();
      KAFKA.consume(Topics.ENRICHED.name(), ENRICHABLE, Duration.ofSeconds(60));
      List<PartialCounts> last = new ArrayList<>(List.of(new PartialCounts()));
      Waits.until(
          Duration.ofSeconds(60),
          () -> {
            last.set(0, fold(KAFKA.consumeAll(Topics.COUNTS.name(), Duration.ofMillis(500))));
            return closedMinutes(last.get(0)).equals(expected.minutes)
                && totals(last.get(0)).equals(expected.totals);
          },
          () ->
              "ingest.counts differs; minutes: "
                  + diff(expected.minutes, closedMinutes(last.get(0)))
                  + "; totals: "
                  + diff(expected.totals, totals(last.get(0))));
      // nothing more is written after the expected state
      enriched = KAFKA.consumeAll(Topics.ENRICHED.name(), Duration.ofMillis(500));
      errors = KAFKA.consumeAll(Topics.ERRORS.name(), Duration.ofMillis(300));
      counts = KAFKA.consumeAll(Topics.COUNTS.name(), Duration.ofSeconds(1));
      try (Admin admin = KAFKA.admin()) {
        for (String topic : new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS))) {
          if (topic.startsWith(GeoEnricherTopology.APPLICATION_ID + "-")) {
            internal.add(KAFKA.consumeAll(topic, Duration.ofMillis(200)));
          }
        }
      }
    }

    // ingest.enriched: every enrichable record once, with the country of its address
    Map<String, Input> byId = new HashMap<>();
    all.forEach(i -> byId.put(i.id(), i));
    assertThat(enriched).hasSize(enrichable);
    Set<String> enrichedIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : enriched) {
      String id = new String(r.key(), StandardCharsets.UTF_8);
      assertThat(enrichedIds.add(id)).as("enriched twice: %s", id).isTrue();
      Input in = byId.get(id);
      assertThat(in).as(id).isNotNull();
      assertThat(in.enrichable()).as(id).isTrue();
      assertThat(r.timestamp()).as(id).isEqualTo(in.eventMs());
      Map<String, String> headers = AttributeHeaders.toMap(r.headers());
      assertThat(headers)
          .as(id)
          .doesNotContainKeys(
              Attributes.REMOTE_ADDR, Attributes.X_FORWARDED_FOR, Attributes.USER_AGENT)
          .containsEntry(Attributes.GEO_COUNTRY, in.place().country())
          .containsEntry(Attributes.GEO_CONTINENT, in.place().continent())
          .containsEntry(Attributes.DOCUMENT_ID, id);
      JsonNode doc = Json.mapper().readTree(r.value());
      assertThat(doc.get("normalized_country_code").asText())
          .as(id)
          .isEqualTo(in.place().country());
      assertThat(doc.get("submission_timestamp").asText()).as(id).isEqualTo(in.submitted());
    }
    assertThat(expected.perCountry).isNotEmpty();
    Map<String, Long> enrichedPerCountry = new TreeMap<>();
    enriched.forEach(
        r ->
            enrichedPerCountry.merge(
                KafkaClusterExtension.header(r, Attributes.GEO_COUNTRY), 1L, Long::sum));
    assertThat(enrichedPerCountry).isEqualTo(expected.perCountry);

    // ingest.errors: each unenrichable record once, from this stage, without the client address
    assertThat(errors).hasSize(BAD);
    Set<String> errorIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : errors) {
      FailureRecord f = FailureRecordSerde.decode(r.value());
      String id = new String(r.key(), StandardCharsets.UTF_8);
      assertThat(errorIds.add(id)).as("failed twice: %s", id).isTrue();
      assertThat(byId.get(id).enrichable()).as(id).isFalse();
      assertThat(f.stage()).isEqualTo(GeoEnricherTopology.APPLICATION_ID);
      assertThat(f.errorType()).isEqualTo("enrichment");
      assertThat(f.payload()).isEqualTo(byId.get(id).body());
      assertThat(f.attributes())
          .doesNotContainKeys(Attributes.REMOTE_ADDR, Attributes.X_FORWARDED_FOR)
          .containsEntry(Attributes.DOCUMENT_ID, id);
    }

    // ingest.counts: exact totals and minutes, every partial before the watermark closing it
    PartialCounts fold = fold(counts);
    assertThat(closedMinutes(fold)).isEqualTo(expected.minutes);
    assertThat(totals(fold)).isEqualTo(expected.totals);
    assertThat(fold.partitions()).isEqualTo(4);
    assertPartialsBeforeTheirWatermark(counts);
    assertThat(lateRecords(registryA) + lateRecords(registryB)).isZero();

    // no client address anywhere the app writes
    AddressScan.selfCheck(gen.clientAddresses);
    AddressScan scan = new AddressScan(gen.clientAddresses);
    for (ConsumerRecord<byte[], byte[]> r : enriched) {
      scan.record(r, true);
    }
    for (ConsumerRecord<byte[], byte[]> r : counts) {
      scan.record(r, true);
    }
    for (ConsumerRecord<byte[], byte[]> r : errors) {
      scan.record(r, true);
      scan.bytes(
          r.topic() + "@" + r.offset() + " payload",
          FailureRecordSerde.decode(r.value()).payload(),
          true);
    }
    // internal topics hold binary store values (counts, epoch milliseconds): text only there
    internal.forEach(records -> records.forEach(r -> scan.record(r, false)));
    assertThat(scan.findings.size())
        .as("client addresses in the output, first: %s", scan.findings.stream().limit(10).toList())
        .isZero();
    assertThat(scan.scanned).isGreaterThan(enrichable + BAD + counts.size() - 1);
  }

  private static double lateRecords(SimpleMeterRegistry registry) {
    return registry.find(CountProcessor.LATE_RECORDS).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static GeoEnricherService service(Path state, SimpleMeterRegistry registry) {
    Map<String, String> o = new HashMap<>();
    o.put(CoreConfig.STREAMS_STATE_DIR, state.toString());
    o.put(GeoConfig.DATABASE, GeoIpTestData.cityDatabase().toString());
    o.put(GeoConfig.WINDOW_GRACE, GRACE.toSeconds() + "s");
    o.put(GeoConfig.WINDOW_IDLE, "10s");
    o.put(GeoConfig.PRIVACY_MIN_COUNT, String.valueOf(MIN_COUNT));
    o.put(GeoConfig.COUNTED_DOCTYPES, "glow/download,glow/share");
    o.put(GeoConfig.TOTALS_INTERVAL, "200ms");
    o.put("kafka.streams.consumer.session.timeout.ms", "2000");
    o.put("kafka.streams.consumer.heartbeat.interval.ms", "500");
    return new GeoEnricherService(KAFKA.config(o), registry);
  }

  private static void produce(List<Input> inputs) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
      for (Input in : inputs) {
        p.send(
            new ProducerRecord<>(
                Topics.VALIDATED.name(),
                null,
                in.id().getBytes(StandardCharsets.UTF_8),
                in.body(),
                AttributeHeaders.fromMap(in.attributes())));
      }
      p.flush();
    }
  }

  /** Builds the input: random doctypes, places (skewed, so some cells fall below the floor). */
  private static final class Generator {
    private final Random random;
    private final List<Place> places;
    private final double[] cumulative;
    private final Map<Place, Integer> hosts = new HashMap<>();
    final Set<String> clientAddresses = new HashSet<>();
    private int n;

    Generator(Random random) {
      this.random = random;
      clientAddresses.addAll(GeoIpTestData.PRIVATE_ADDRESSES);
      this.places = new ArrayList<>(GeoIpTestData.PLACES);
      Collections.shuffle(places, random);
      cumulative = new double[places.size()];
      double sum = 0;
      for (int i = 0; i < places.size(); i++) {
        sum += 1.0 / (i + 1);
        cumulative[i] = sum;
      }
    }

    List<Input> block(int good, int bad, long fromMs, long toMs) {
      List<Input> out = new ArrayList<>();
      for (int i = 0; i < good + bad; i++) {
        out.add(null);
      }
      Set<Integer> badSlots = new HashSet<>();
      while (badSlots.size() < bad) {
        badSlots.add(random.nextInt(good + bad));
      }
      // in time order, as an edge stamps submissions when they arrive
      long[] times = new long[out.size()];
      for (int i = 0; i < times.length; i++) {
        times[i] = fromMs + (long) (random.nextDouble() * (toMs - fromMs));
      }
      java.util.Arrays.sort(times);
      for (int i = 0; i < out.size(); i++) {
        double d = random.nextDouble();
        String doctype = d < 0.80 ? DOWNLOAD : d < 0.95 ? SHARE : MAIN;
        out.set(i, record(doctype, times[i], !badSlots.contains(i)));
      }
      return out;
    }

    Input record(String doctype, long eventMs, boolean enrichable) {
      String id = "geo-it-" + n++;
      Place place = pickPlace();
      String remote = address(place);
      String forwarded =
          address(pickPlace())
              + ", "
              + GeoIpTestData.PRIVATE_ADDRESSES.get(
                  random.nextInt(GeoIpTestData.PRIVATE_ADDRESSES.size()));
      String namespace = doctype.substring(0, doctype.indexOf('.'));
      String type = doctype.substring(doctype.indexOf('.') + 1);
      // microseconds as the edge writes them; the event time is their millisecond
      Instant submitted = Instant.ofEpochMilli(eventMs).plusNanos(random.nextInt(1000) * 1000L);
      String ts = submitted.truncatedTo(ChronoUnit.SECONDS).toString();
      ts =
          ts.substring(0, ts.length() - 1)
              + String.format(Locale.ROOT, ".%06dZ", submitted.getNano() / 1000);
      Map<String, String> a = new LinkedHashMap<>();
      a.put(Attributes.SUBMISSION_TIMESTAMP, ts);
      a.put(Attributes.URI, "/submit/" + namespace + "/" + type + "/1/" + id);
      a.put(Attributes.METHOD, "POST");
      a.put(Attributes.PROTOCOL, "HTTP/1.1");
      a.put(Attributes.REMOTE_ADDR, remote);
      a.put(Attributes.X_FORWARDED_FOR, forwarded);
      a.put(Attributes.USER_AGENT, USER_AGENTS.get(random.nextInt(USER_AGENTS.size())));
      a.put(Attributes.HOST, "incoming.example.org");
      a.put(Attributes.DOCUMENT_NAMESPACE, namespace);
      a.put(Attributes.DOCUMENT_TYPE, type);
      a.put(Attributes.DOCUMENT_VERSION, "1");
      a.put(Attributes.DOCUMENT_ID, id);
      String body;
      if (!enrichable) {
        body = "[" + n + "]"; // JSON, but not an object: the enricher rejects it
      } else if (doctype.equals(MAIN)) {
        body = "{\"client_id\":\"" + new UUID(random.nextLong(), n) + "\"}";
      } else if (doctype.equals(SHARE)) {
        body = "{\"network\":\"mastodon\",\"n\":" + n + "}";
      } else {
        body = "{\"product\":\"firefox\",\"version\":\"145.0\",\"os\":\"linux64\",\"n\":" + n + "}";
      }
      return new Input(
          id, doctype, eventMs, ts, place, enrichable, a, body.getBytes(StandardCharsets.UTF_8));
    }

    private Place pickPlace() {
      double r = random.nextDouble() * cumulative[cumulative.length - 1];
      for (int i = 0; i < cumulative.length; i++) {
        if (r < cumulative[i]) {
          return places.get(i);
        }
      }
      return places.get(places.size() - 1);
    }

    /** A new address inside {@code place}'s network. */
    private String address(Place place) {
      int h = hosts.merge(place, 1, Integer::sum);
      String net = place.network();
      String address;
      if (place.ipv4()) {
        address =
            net.substring(0, net.indexOf(".0.0/")) + "." + (1 + h / 250) + "." + (1 + h % 250);
      } else {
        address = net.substring(0, net.indexOf("::/")) + "::" + Integer.toHexString(0x100 + h);
      }
      if (!place.contains(address) || !GeoIpTestData.placeOf(address).orElseThrow().equals(place)) {
        throw new IllegalStateException(address + " is not in " + net);
      }
      clientAddresses.add(address);
      return address;
    }
  }

  /** The summed counts and the enriched countries, computed from the input. */
  private static final class Expected {
    /** {@code <doctype>|<dimension>|<value>} to its count, before any privacy floor. */
    final Map<String, Long> totals = new TreeMap<>();

    /** {@code <doctype>|<minute>} to its summed cells. */
    final Map<String, PartialCounts.Minute> minutes = new TreeMap<>();

    final Map<String, Long> perCountry = new TreeMap<>();

    static Expected of(List<Input> inputs) {
      Expected e = new Expected();
      Map<String, long[]> counts = new TreeMap<>();
      Map<String, Map<String, Long>> countries = new TreeMap<>();
      Map<String, Map<String, Long>> locations = new TreeMap<>();
      for (Input in : inputs) {
        if (!in.enrichable()) {
          continue;
        }
        Place p = in.place();
        e.perCountry.merge(p.country(), 1L, Long::sum);
        String d = in.doctype();
        e.totals.merge(d + "|all|all", 1L, Long::sum);
        if (!COUNTED.contains(d)) {
          continue;
        }
        e.totals.merge(d + "|continent|" + p.continent(), 1L, Long::sum);
        e.totals.merge(d + "|country|" + p.country(), 1L, Long::sum);
        if (p.subdivision1() != null) {
          e.totals.merge(d + "|subdivision|" + p.country() + "-" + p.subdivision1(), 1L, Long::sum);
        }
        String minute = d + "|" + MINUTE_KEY.format(Instant.ofEpochMilli(in.eventMs()));
        counts.computeIfAbsent(minute, k -> new long[1])[0]++;
        countries.computeIfAbsent(minute, k -> new TreeMap<>()).merge(p.country(), 1L, Long::sum);
        locations
            .computeIfAbsent(minute, k -> new TreeMap<>())
            .merge(round(p.latitude()) + "," + round(p.longitude()), 1L, Long::sum);
      }
      counts.forEach(
          (minute, n) ->
              e.minutes.put(
                  minute,
                  new PartialCounts.Minute(n[0], countries.get(minute), locations.get(minute))));
      return e;
    }

    /** 0.1 degree, halves away from zero. */
    private static String round(double degrees) {
      double r = BigDecimal.valueOf(degrees).setScale(1, RoundingMode.HALF_UP).doubleValue();
      return Double.toString(r == 0.0 ? 0.0 : r);
    }
  }

  /** The start of the minute of a {@code <doctype>|<minute>} key, in epoch milliseconds. */
  private static long minuteOf(String key) {
    return CountKey.parseMinute(key.substring(key.indexOf('|') + 1)).toEpochMilli();
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** The topic read as the public writer reads it. */
  private static PartialCounts fold(List<ConsumerRecord<byte[], byte[]>> counts) {
    PartialCounts fold = new PartialCounts();
    for (ConsumerRecord<byte[], byte[]> r : counts) {
      fold.accept(text(r.key()), text(r.value()));
    }
    return fold;
  }

  /** The summed totals, {@code <doctype>|<dimension>|<value>} to count. */
  private static Map<String, Long> totals(PartialCounts fold) {
    Map<String, Long> out = new TreeMap<>();
    for (String d : fold.doctypes()) {
      out.put(d + "|all|all", fold.total(d));
      for (Dimension dim : Dimension.TOTALS) {
        fold.totals(d, dim).forEach((cell, n) -> out.put(d + "|" + dim.id() + "|" + cell, n));
      }
    }
    out.values().removeIf(n -> n == 0);
    return out;
  }

  /** The minutes every partition has closed, {@code <doctype>|<minute>} to summed cells. */
  private static Map<String, PartialCounts.Minute> closedMinutes(PartialCounts fold) {
    Map<String, PartialCounts.Minute> out = new TreeMap<>();
    for (String d : fold.doctypes()) {
      for (String m : fold.minutes(d)) {
        if (fold.isClosed(m)) {
          out.put(d + "|" + m, fold.minute(d, m).orElseThrow());
        }
      }
    }
    return out;
  }

  /**
   * Every minute partial is on the partition of its source partition's watermark, at a lower offset
   * than the first watermark that closes its minute.
   */
  private static void assertPartialsBeforeTheirWatermark(
      List<ConsumerRecord<byte[], byte[]>> counts) {
    int checked = 0;
    for (ConsumerRecord<byte[], byte[]> r : counts) {
      CountKey k = CountKey.parse(text(r.key()));
      if (k.kind() != CountKey.Kind.MINUTE || r.value() == null) {
        continue;
      }
      long end = k.minuteStart().toEpochMilli() + MINUTE_MS;
      ConsumerRecord<byte[], byte[]> closing = null;
      for (ConsumerRecord<byte[], byte[]> w : counts) {
        CountKey wk = CountKey.parse(text(w.key()));
        if (wk.kind() == CountKey.Kind.WATERMARK
            && wk.partition() == k.partition()
            && ((CountValue.Watermark) CountValue.parse(wk, text(w.value())))
                    .closedUntil()
                    .toEpochMilli()
                >= end) {
          closing = w;
          break;
        }
      }
      assertThat(closing).as("watermark closing %s", k).isNotNull();
      assertThat(closing.partition()).as(k.toString()).isEqualTo(r.partition());
      assertThat(r.offset()).as(k.toString()).isLessThan(closing.offset());
      checked++;
    }
    assertThat(checked).isGreaterThan(0);
  }

  private static <V> String diff(Map<String, V> expected, Map<String, V> actual) {
    List<String> out = new ArrayList<>();
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String k : keys) {
      V e = expected.get(k);
      V a = actual.get(k);
      if (e == null ? a != null : !e.equals(a)) {
        out.add(k + " expected " + e + " got " + a);
      }
    }
    return out.size() + " differences " + out.subList(0, Math.min(10, out.size()));
  }

  /**
   * Looks for client addresses in output bytes: as text (any substring of a run of address
   * characters) and as the 4 or 16 raw address bytes.
   */
  private static final class AddressScan {
    private final Set<String> texts = new HashSet<>();
    private final Set<Integer> raw4 = new HashSet<>();
    private final Set<Integer> raw16Prefixes = new HashSet<>();
    private final Set<ByteBuffer> raw16 = new HashSet<>();
    private int minLength = Integer.MAX_VALUE;
    private int maxLength;
    final List<String> findings = new ArrayList<>();
    int scanned;

    AddressScan(Set<String> addresses) throws Exception {
      for (String a : addresses) {
        byte[] b = InetAddress.getByName(a).getAddress();
        addText(a);
        if (b.length == 4) {
          raw4.add(ByteBuffer.wrap(b).getInt());
        } else {
          addText(InetAddress.getByAddress(b).getHostAddress());
          raw16Prefixes.add(ByteBuffer.wrap(b).getInt());
          raw16.add(ByteBuffer.wrap(b));
        }
      }
    }

    private void addText(String s) {
      texts.add(s.toLowerCase(Locale.ROOT));
      minLength = Math.min(minLength, s.length());
      maxLength = Math.max(maxLength, s.length());
    }

    /** The scan finds an address in text and in raw bytes: it can fail. */
    static void selfCheck(Set<String> addresses) throws Exception {
      List<String> samples = new ArrayList<>();
      addresses.stream().filter(a -> a.contains(".")).findFirst().ifPresent(samples::add);
      addresses.stream().filter(a -> a.contains(":")).findFirst().ifPresent(samples::add);
      for (String a : samples) {
        AddressScan probe = new AddressScan(addresses);
        byte[] b = InetAddress.getByName(a).getAddress();
        byte[] embedded = new byte[b.length + 12];
        System.arraycopy(b, 0, embedded, 5, b.length);
        probe.bytes("text", ("{\"x\":\"1" + a + "9\"}").getBytes(StandardCharsets.UTF_8), false);
        probe.bytes("raw", embedded, true);
        assertThat(probe.findings)
            .as("scan of %s", a)
            .contains("text: " + a)
            .anyMatch(f -> f.startsWith("raw: raw IPv"));
      }
      assertThat(samples).isNotEmpty();
    }

    void record(ConsumerRecord<byte[], byte[]> r, boolean rawBytes) {
      String where = r.topic() + "-" + r.partition() + "@" + r.offset();
      bytes(where + " key", r.key(), rawBytes);
      bytes(where + " value", r.value(), rawBytes);
      for (Header h : r.headers()) {
        bytes(where + " header " + h.key(), h.key().getBytes(StandardCharsets.UTF_8), rawBytes);
        bytes(where + " header " + h.key(), h.value(), rawBytes);
      }
      scanned++;
    }

    void bytes(String where, byte[] b, boolean rawBytes) {
      if (b == null) {
        return;
      }
      String s = new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
      int i = 0;
      while (i < s.length()) {
        if (!addressChar(s.charAt(i))) {
          i++;
          continue;
        }
        int end = i;
        while (end < s.length() && addressChar(s.charAt(end))) {
          end++;
        }
        for (int from = i; from + minLength <= end; from++) {
          for (int to = from + minLength; to <= Math.min(end, from + maxLength); to++) {
            if (texts.contains(s.substring(from, to))) {
              findings.add(where + ": " + s.substring(from, to));
            }
          }
        }
        i = end;
      }
      if (!rawBytes) {
        return;
      }
      for (int k = 0; k + 4 <= b.length; k++) {
        int v = ByteBuffer.wrap(b, k, 4).getInt();
        if (raw4.contains(v)) {
          findings.add(where + ": raw IPv4 bytes at " + k);
        }
        if (k + 16 <= b.length
            && raw16Prefixes.contains(v)
            && raw16.contains(ByteBuffer.wrap(b, k, 16).slice())) {
          findings.add(where + ": raw IPv6 bytes at " + k);
        }
      }
    }

    private static boolean addressChar(char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
    }
  }
}
