package org.kindling.bench.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.geo.AddMetadata;
import org.kindling.geo.Geo;
import org.kindling.geo.LookupGeo;
import org.kindling.geo.ParseUserAgent;
import org.kindling.geo.UserAgentInfo;
import org.kindling.validator.RejectedSubmission;
import org.kindling.validator.Submission;
import org.kindling.validator.ValidationSteps;

/**
 * Realistic submissions for the stage benchmarks, built from the schemas' pass examples (copied
 * into this module's resources from {@code schemas/src/test/resources/examples}): a mix of Glow
 * download and share events, Firefox telemetry (main, event, crash; gzip, as Firefox sends them),
 * Glean pings (gzip) and service events, each with a unique document id, a public client address
 * that the GeoLite2 City database knows, a common browser user agent, and the attributes the edge
 * writes. The same raw records are turned into the shapes of the later topics by the stages' own
 * step classes.
 */
public final class Corpus {
  /** One Kafka record: key, value, attributes (headers). */
  public record Rec(String key, byte[] value, Map<String, String> attributes) {
    public ProducerRecord<byte[], byte[]> toProducerRecord(String topic) {
      return new ProducerRecord<>(
          topic,
          null,
          key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          value,
          AttributeHeaders.fromMap(attributes));
    }
  }

  private record Template(
      String ns, String type, int version, String label, boolean gzip, int weight) {}

  /** Weighted so that Glow events dominate by count and telemetry by bytes, as on a real edge. */
  private static final List<Template> TEMPLATES =
      List.of(
          new Template("glow", "download", 1, "full", false, 9),
          new Template("glow", "download", 1, "minimal", false, 3),
          new Template("glow", "share", 1, "twitter", false, 2),
          new Template("glow", "share", 1, "facebook", false, 1),
          new Template("telemetry", "main", 4, "daily", true, 3),
          new Template("telemetry", "main", 4, "no-measurements", true, 1),
          new Template("telemetry", "event", 4, "periodic", true, 1),
          new Template("telemetry", "crash", 4, "content", true, 1),
          new Template("glean", "glean", 1, "baseline", true, 1),
          new Template("glean", "glean", 1, "events", false, 1),
          new Template("service", "health", 1, "ok", false, 1),
          new Template("service", "extraction", 1, "queued", false, 1),
          new Template("service", "storage", 1, "uploaded", false, 1),
          new Template("service", "traffic", 1, "page-view", false, 1));

  /** Public networks that the bundled GeoLite2 City database (2019) places in a country. */
  private static final List<String> NETWORKS =
      List.of(
          "81.2.69.",
          "89.160.20.",
          "216.160.83.",
          "2.125.160.",
          "175.16.199.",
          "67.43.156.",
          "202.196.224.",
          "8.8.8.",
          "91.198.174.",
          "193.0.6.",
          "200.160.2.",
          "202.12.27.",
          "185.60.216.",
          "77.88.55.",
          "62.141.45.",
          "141.1.1.",
          "212.58.244.",
          "213.180.204.",
          "196.216.2.",
          "41.203.64.",
          "103.21.244.",
          "110.33.122.",
          "151.101.1.",
          "178.62.4.",
          "5.9.10.",
          "84.17.32.",
          "130.89.149.",
          "193.49.144.",
          "134.76.12.",
          "128.112.128.");

  private static final List<String> USER_AGENTS =
      List.of(
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:145.0) Gecko/20100101 Firefox/145.0",
          "Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0",
          "Mozilla/5.0 (Android 14; Mobile; rv:145.0) Gecko/145.0 Firefox/145.0",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/131.0.0.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like"
              + " Gecko) Version/18.1 Safari/605.1.15",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML,"
              + " like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0");

  private Corpus() {}

  /** {@code n} raw submissions as {@code ingest.raw} holds them, in a fixed pseudo-random order. */
  public static List<Rec> raw(int n, long seed) {
    Random random = new Random(seed);
    List<byte[]> plain = new ArrayList<>();
    List<byte[]> gzipped = new ArrayList<>();
    int totalWeight = 0;
    for (Template t : TEMPLATES) {
      byte[] body = example(t);
      plain.add(body);
      gzipped.add(gzip(body));
      totalWeight += t.weight();
    }
    Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<Rec> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int pick = random.nextInt(totalWeight);
      int k = 0;
      while (pick >= TEMPLATES.get(k).weight()) {
        pick -= TEMPLATES.get(k).weight();
        k++;
      }
      Template t = TEMPLATES.get(k);
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      String uri =
          t.ns().equals("telemetry")
              ? "/submit/telemetry/"
                  + id
                  + "/"
                  + t.type()
                  + "/Firefox/145.0.1/release/20261117092205"
              : "/submit/" + t.ns() + "/" + t.type() + "/" + t.version() + "/" + id;
      byte[] body = t.gzip() ? gzipped.get(k) : plain.get(k);
      Map<String, String> a = new LinkedHashMap<>();
      // one submission every 50 microseconds: 100k records span 5 s of submission time
      a.put(Attributes.SUBMISSION_TIMESTAMP, micros(base.plusNanos(i * 50_000L)));
      a.put(Attributes.URI, uri);
      a.put(Attributes.METHOD, "POST");
      a.put(Attributes.PROTOCOL, "HTTP/1.1");
      a.put(Attributes.HOST, "incoming.example.org");
      a.put(
          Attributes.REMOTE_ADDR,
          NETWORKS.get(random.nextInt(NETWORKS.size())) + (1 + random.nextInt(250)));
      a.put(Attributes.USER_AGENT, USER_AGENTS.get(random.nextInt(USER_AGENTS.size())));
      a.put(Attributes.CONTENT_LENGTH, Integer.toString(body.length));
      if (t.gzip()) {
        a.put(Attributes.CONTENT_ENCODING, "gzip");
      }
      if (t.ns().equals("telemetry")) {
        a.put(Attributes.X_PINGSENDER_VERSION, "1.0");
        a.put(Attributes.DATE, "Fri, 27 Nov 2026 10:00:00 GMT");
      }
      out.add(new Rec(id, body, a));
    }
    return out;
  }

  /**
   * The records as the validator writes them to {@code ingest.validated}: compact JSON, key =
   * document id, attributes + URI parts. Fails when a template does not validate.
   */
  public static List<Rec> validated(List<Rec> raw, ValidationSteps steps) {
    List<Rec> out = new ArrayList<>(raw.size());
    for (Rec r : raw) {
      Submission s;
      try {
        s = steps.apply(r.value(), r.attributes());
      } catch (RejectedSubmission e) {
        throw new IllegalStateException(
            "benchmark record rejected: " + r.attributes().get(Attributes.URI) + ": " + e, e);
      }
      try {
        out.add(
            new Rec(
                s.attribute(Attributes.DOCUMENT_ID),
                Json.mapper().writeValueAsBytes(s.document()),
                s.attributes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /**
   * The records as the geo-enricher writes them to {@code ingest.enriched}: {@code metadata} added,
   * client address and raw user agent removed, geo and user agent headers added.
   */
  public static List<Rec> enriched(List<Rec> validated, LookupGeo lookup, ParseUserAgent ua) {
    List<Rec> out = new ArrayList<>(validated.size());
    for (Rec r : validated) {
      try {
        JsonNode node = Json.mapper().readTree(r.value());
        Geo geo = lookup.lookup(r.attributes().get(Attributes.REMOTE_ADDR));
        UserAgentInfo info = ua.parse(r.attributes().get(Attributes.USER_AGENT));
        AddMetadata.apply((ObjectNode) node, r.attributes(), geo, info);
        Map<String, String> a = new LinkedHashMap<>(r.attributes());
        a.keySet().removeAll(Attributes.CLIENT_ADDRESS);
        a.remove(Attributes.USER_AGENT);
        putIfSet(a, Attributes.GEO_COUNTRY, geo.country());
        putIfSet(a, Attributes.GEO_CONTINENT, geo.continent());
        putIfSet(a, Attributes.GEO_SUBDIVISION1, geo.subdivision1());
        putIfSet(a, Attributes.GEO_SUBDIVISION2, geo.subdivision2());
        putIfSet(a, Attributes.GEO_CITY, geo.city());
        putIfSet(a, Attributes.GEO_DB_VERSION, geo.dbVersion());
        putIfSet(a, Attributes.USER_AGENT_BROWSER, info.browser());
        putIfSet(a, Attributes.USER_AGENT_VERSION, info.version());
        putIfSet(a, Attributes.USER_AGENT_OS, info.os());
        out.add(new Rec(r.key(), Json.mapper().writeValueAsBytes(node), a));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static void putIfSet(Map<String, String> a, String k, String v) {
    if (v != null) {
      a.put(k, v);
    }
  }

  /** Writes the records to {@code topic} with the core producer defaults and waits for the acks. */
  public static void load(KindlingConfig config, String topic, List<Rec> records) {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            KafkaDefaults.producer(config, "bench-loader"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (Rec r : records) {
        p.send(
            r.toProducerRecord(topic),
            (m, e) -> {
              if (e != null) {
                throw new IllegalStateException("loading " + topic + " failed", e);
              }
            });
      }
      p.flush();
    }
  }

  /** Total bytes of the values. */
  public static long valueBytes(List<Rec> records) {
    long n = 0;
    for (Rec r : records) {
      n += r.value().length;
    }
    return n;
  }

  /** How many values start with the gzip magic number. */
  public static long gzipCount(List<Rec> records) {
    return records.stream()
        .filter(
            r ->
                r.value().length > 1
                    && (r.value()[0] & 0xff) == 0x1f
                    && (r.value()[1] & 0xff) == 0x8b)
        .count();
  }

  private static byte[] example(Template t) {
    String name =
        "/org/kindling/bench/examples/"
            + t.ns()
            + "/"
            + t.type()
            + "."
            + t.version()
            + "."
            + t.label()
            + ".pass.json";
    try (InputStream in = Corpus.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      // clients send compact JSON; the examples are pretty-printed for people
      return Json.mapper().writeValueAsBytes(Json.mapper().readTree(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** ISO-8601 with microseconds, as the edge writes submission_timestamp. */
  static String micros(Instant t) {
    String s = t.truncatedTo(ChronoUnit.SECONDS).toString();
    return s.substring(0, s.length() - 1)
        + String.format(Locale.ROOT, ".%06dZ", t.getNano() / 1000);
  }
}
