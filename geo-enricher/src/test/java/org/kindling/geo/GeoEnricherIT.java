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
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.geo.counts.CountProcessor;
import org.kindling.testkit.GeoIpTestData;
import org.kindling.testkit.GeoIpTestData.Place;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.Waits;

/**
 * The geo-enricher on a real broker, across a restart in the middle of the stream.
 *
 * <p>5,000 enrichable {@code ingest.validated} records (addresses of the test database with known
 * places, three doctypes, random event times in two blocks of three minutes: X at minutes 0-2, Y at
 * minutes 10-12) and 20 unenrichable ones go through two instances in turn. The first instance
 * enriches block X, then the first half of Y, whose first record closes the X minutes (grace 5
 * minutes); once they are written it is closed. The second half of Y is written only then, and the
 * second instance starts on an empty state directory, so the counters' totals, the open Y minutes
 * and the closed X minutes must come back from their changelogs. One closing record per counted
 * doctype at minute 20 closes the Y minutes and stays in its own open minute.
 *
 * <p>The enriched records, the totals and the per-minute cells on {@code ingest.counts} must equal
 * what this test computes from its own input with the documented rules (privacy floor 5, 0.1 degree
 * locations), each minute must be written exactly once, and no client address may appear in any
 * record written by the app, as text or as raw address bytes.
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
  private static final Duration GRACE = Duration.ofMinutes(5);
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
    List<Input> y1 = gen.block(Y1_GOOD, Y1_BAD, base + 10 * MINUTE_MS, base + 13 * MINUTE_MS);
    List<Input> y2 = gen.block(Y2_GOOD, Y2_BAD, base + 10 * MINUTE_MS, base + 13 * MINUTE_MS);
    long closingMs = base + 20 * MINUTE_MS + 1_000;
    List<Input> closing =
        List.of(gen.record(DOWNLOAD, closingMs, true), gen.record(SHARE, closingMs, true));
    List<Input> all = new ArrayList<>();
    List.of(x, y1, y2, closing).forEach(all::addAll);
    Expected expected = Expected.of(all, closingMs);
    int enrichable = ENRICHABLE + closing.size();

    SimpleMeterRegistry registryA = new SimpleMeterRegistry();
    SimpleMeterRegistry registryB = new SimpleMeterRegistry();
    produce(x);
    try (GeoEnricherService a = service(stateA, registryA)) {
      a.start();
      KAFKA.consume(Topics.ENRICHED.name(), X_GOOD, Duration.ofSeconds(60));
      produce(y1);
      KAFKA.consume(Topics.ENRICHED.name(), X_GOOD + Y_BEFORE_RESTART, Duration.ofSeconds(30));
      // the Y records have closed the X minutes: wait until they are written
      Set<String> xMinutes = new TreeSet<>();
      expected.minutes.keySet().stream()
          .filter(k -> k.endsWith("|all|all") && minuteOf(k) < base + 10 * MINUTE_MS)
          .forEach(xMinutes::add);
      assertThat(xMinutes).hasSize(2 * 3);
      Waits.until(
          Duration.ofSeconds(30),
          () ->
              minutes(KAFKA.consumeAll(Topics.COUNTS.name(), Duration.ofMillis(300)))
                  .keySet()
                  .containsAll(xMinutes),
          () -> "the X minutes " + xMinutes + " were not written");
    } // closed mid-stream; its state directory is not used again
    produce(y2);

    List<ConsumerRecord<byte[], byte[]>> enriched;
    List<ConsumerRecord<byte[], byte[]>> errors;
    List<ConsumerRecord<byte[], byte[]>> counts;
    List<List<ConsumerRecord<byte[], byte[]>>> internal = new ArrayList<>();
    try (GeoEnricherService b = service(stateB, registryB)) {
      b.start();
      KAFKA.consume(Topics.ENRICHED.name(), ENRICHABLE, Duration.ofSeconds(60));
      produce(closing);
      List<List<ConsumerRecord<byte[], byte[]>>> last = new ArrayList<>(List.of(List.of()));
      Waits.until(
          Duration.ofSeconds(40),
          () -> {
            last.set(0, KAFKA.consumeAll(Topics.COUNTS.name(), Duration.ofMillis(500)));
            return minutes(last.get(0)).equals(expected.minutes)
                && totals(last.get(0)).equals(expected.totals);
          },
          () ->
              "ingest.counts differs; minutes: "
                  + diff(expected.minutes, minutes(last.get(0)))
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

    // ingest.counts: exact totals and minutes, each minute written once and complete when its
    // all|all cell arrives
    assertThat(minuteKeys(counts)).doesNotHaveDuplicates();
    assertThat(minutes(counts)).isEqualTo(expected.minutes);
    assertThat(totals(counts)).isEqualTo(expected.totals);
    assertMinuteOrder(counts);
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
    o.put(GeoConfig.WINDOW_GRACE, GRACE.toMinutes() + "m");
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
      for (int i = 0; i < out.size(); i++) {
        double d = random.nextDouble();
        String doctype = d < 0.80 ? DOWNLOAD : d < 0.95 ? SHARE : MAIN;
        long time = fromMs + (long) (random.nextDouble() * (toMs - fromMs));
        out.set(i, record(doctype, time, !badSlots.contains(i)));
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

  /** The counters' output and the enriched countries, computed from the input. */
  private static final class Expected {
    final Map<String, String> totals = new TreeMap<>();
    final Map<String, String> minutes = new TreeMap<>();
    final Map<String, Long> perCountry = new TreeMap<>();

    static Expected of(List<Input> inputs, long closingMs) {
      Expected e = new Expected();
      // doctype|dimension -> value -> {count, newest event time}
      Map<String, Map<String, long[]>> cells = new TreeMap<>();
      // doctype|minute|<minute>| -> dimension|value -> count
      Map<String, Map<String, Long>> minuteCells = new TreeMap<>();
      Map<String, Long> minuteStarts = new HashMap<>();
      for (Input in : inputs) {
        if (!in.enrichable()) {
          continue;
        }
        Place p = in.place();
        e.perCountry.merge(p.country(), 1L, Long::sum);
        String d = in.doctype();
        tally(cells, d + "|all", "all", in.eventMs());
        if (!COUNTED.contains(d)) {
          continue;
        }
        tally(cells, d + "|continent", p.continent(), in.eventMs());
        tally(cells, d + "|country", p.country(), in.eventMs());
        if (p.subdivision1() != null) {
          tally(cells, d + "|subdivision", p.country() + "-" + p.subdivision1(), in.eventMs());
        }
        long start = in.eventMs() - Math.floorMod(in.eventMs(), MINUTE_MS);
        if (start + MINUTE_MS + GRACE.toMillis() > closingMs) {
          continue; // the minute is still open at the end
        }
        String prefix = d + "|minute|" + MINUTE_KEY.format(Instant.ofEpochMilli(start)) + "|";
        minuteStarts.put(prefix, start);
        Map<String, Long> m = minuteCells.computeIfAbsent(prefix, k -> new TreeMap<>());
        m.merge("country|" + p.country(), 1L, Long::sum);
        m.merge("location|" + round(p.latitude()) + "," + round(p.longitude()), 1L, Long::sum);
        m.merge("all|all", 1L, Long::sum);
      }
      cells.forEach(
          (pair, values) -> {
            if (pair.endsWith("|all")) {
              long[] t = values.get("all");
              e.totals.put(pair.replace("|all", "|total|all|all"), tallyJson(t[0], t[1]));
              return;
            }
            String prefix = pair.replace("|", "|total|") + "|";
            long other = 0;
            long otherTime = 0;
            long newest = 0;
            for (Map.Entry<String, long[]> cell : values.entrySet()) {
              long[] t = cell.getValue();
              newest = Math.max(newest, t[1]);
              if (t[0] >= MIN_COUNT) {
                e.totals.put(prefix + cell.getKey(), tallyJson(t[0], t[1]));
              } else {
                other += t[0];
                otherTime = Math.max(otherTime, t[1]);
              }
            }
            e.totals.put(prefix + "other", tallyJson(other, other > 0 ? otherTime : newest));
          });
      minuteCells.forEach(
          (prefix, m) -> {
            int written = 0;
            for (String dimension : List.of("country", "location")) {
              long other = 0;
              for (Map.Entry<String, Long> cell : m.entrySet()) {
                if (!cell.getKey().startsWith(dimension + "|")) {
                  continue;
                }
                if (cell.getValue() >= MIN_COUNT) {
                  e.minutes.put(prefix + cell.getKey(), "{\"count\":" + cell.getValue() + "}");
                  written++;
                } else {
                  other += cell.getValue();
                }
              }
              if (other > 0) {
                e.minutes.put(prefix + dimension + "|other", "{\"count\":" + other + "}");
                written++;
              }
            }
            long start = minuteStarts.get(prefix);
            e.minutes.put(
                prefix + "all|all",
                "{\"count\":"
                    + m.get("all|all")
                    + ",\"cells\":"
                    + written
                    + ",\"window_start\":\""
                    + Instant.ofEpochMilli(start)
                    + "\",\"window_end\":\""
                    + Instant.ofEpochMilli(start + MINUTE_MS)
                    + "\"}");
          });
      return e;
    }

    private static void tally(
        Map<String, Map<String, long[]>> cells, String pair, String value, long time) {
      long[] t =
          cells
              .computeIfAbsent(pair, k -> new TreeMap<>())
              .computeIfAbsent(value, k -> new long[2]);
      t[0]++;
      t[1] = Math.max(t[1], time);
    }

    private static String tallyJson(long count, long time) {
      return "{\"count\":"
          + count
          + ",\"updated_at\":\""
          + Instant.ofEpochMilli(time).truncatedTo(ChronoUnit.SECONDS)
          + "\"}";
    }

    /** 0.1 degree, halves away from zero. */
    private static String round(double degrees) {
      double r = BigDecimal.valueOf(degrees).setScale(1, RoundingMode.HALF_UP).doubleValue();
      return Double.toString(r == 0.0 ? 0.0 : r);
    }
  }

  /** The start of the minute of a minute key, in epoch milliseconds. */
  private static long minuteOf(String key) {
    String minute = key.split("\\|")[2];
    return Instant.parse(minute.substring(0, minute.length() - 1) + ":00Z").toEpochMilli();
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static List<String> minuteKeys(List<ConsumerRecord<byte[], byte[]>> counts) {
    return counts.stream().map(r -> text(r.key())).filter(k -> k.contains("|minute|")).toList();
  }

  /** The minute cells (each written once, so the last value is the only one). */
  private static Map<String, String> minutes(List<ConsumerRecord<byte[], byte[]>> counts) {
    return latest(counts, "|minute|");
  }

  /** The latest value of every running total, as a compacted read would see it. */
  private static Map<String, String> totals(List<ConsumerRecord<byte[], byte[]>> counts) {
    return latest(counts, "|total|");
  }

  private static Map<String, String> latest(
      List<ConsumerRecord<byte[], byte[]>> counts, String kind) {
    Map<String, String> out = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : counts) {
      String key = text(r.key());
      if (key.contains(kind)) {
        out.put(key, text(r.value()));
      }
    }
    return out;
  }

  /** Every cell of a minute is in the partition of its all|all cell, written before it. */
  private static void assertMinuteOrder(List<ConsumerRecord<byte[], byte[]>> counts) {
    Map<String, ConsumerRecord<byte[], byte[]>> complete = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : counts) {
      String key = text(r.key());
      if (key.contains("|minute|") && key.endsWith("|all|all")) {
        complete.put(key.substring(0, key.length() - "all|all".length()), r);
      }
    }
    for (ConsumerRecord<byte[], byte[]> r : counts) {
      String key = text(r.key());
      if (!key.contains("|minute|")) {
        continue;
      }
      String prefix = key.substring(0, key.lastIndexOf('|', key.lastIndexOf('|') - 1) + 1);
      ConsumerRecord<byte[], byte[]> last = complete.get(prefix);
      assertThat(last).as(key).isNotNull();
      assertThat(r.partition()).as(key).isEqualTo(last.partition());
      assertThat(r.offset()).as(key).isLessThanOrEqualTo(last.offset());
    }
  }

  private static String diff(Map<String, String> expected, Map<String, String> actual) {
    List<String> out = new ArrayList<>();
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String k : keys) {
      String e = expected.get(k);
      String a = actual.get(k);
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
