package org.kindling.platform.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.kindling.core.CapturedHeader;
import org.kindling.core.Json;
import org.kindling.core.SubmitUri;

/**
 * Generates realistic submissions: Glow downloads and shares, Firefox desktop telemetry pings (some
 * gzip), Glean pings, service events, invalid submissions of several kinds, and duplicates of
 * submissions the edge already accepted.
 *
 * <p>The seed fixes the traffic's shape: the kinds, clients, payloads and their order. Document ids
 * (and client ids) come from a generator of their own, new for every run unless a test fixes it:
 * the validator drops a document id it has seen within its dedup window, so a run that repeats an
 * earlier one on purpose must still send new documents for its summary to come true.
 */
public final class SyntheticTraffic {
  private static final String[] PRODUCTS = {
    "firefox", "firefox-beta", "firefox-esr", "thunderbird"
  };
  private static final String[] OSES = {"win64", "osx", "linux64", "android", "ios", "win"};
  private static final String[] LOCALES = {"en-US", "de", "fr", "es-ES", "pt-BR", "ja", "zh-CN"};
  private static final String[] NETWORKS = {
    "twitter", "facebook", "mastodon", "bluesky", "linkedin", "reddit", "email"
  };
  private static final String[] USER_AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
        + " Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Android 15; Mobile; rv:145.0) Gecko/145.0 Firefox/145.0"
  };

  private final Random random;
  private final Random ids;
  private final ClientAddresses addresses;
  private final Mix mix;
  private final JsonNode telemetryMain;
  private final JsonNode telemetryEvent;
  private final JsonNode gleanBaseline;
  private final List<Submission> accepted = new ArrayList<>();

  /** Traffic of the shape {@code seed} fixes, with new document ids. */
  public SyntheticTraffic(long seed, ClientAddresses addresses, Mix mix) {
    this(seed, new SecureRandom().nextLong(), addresses, mix);
  }

  /** Traffic of the shape {@code seed} fixes, with document ids from {@code idSeed} (tests). */
  public SyntheticTraffic(long seed, long idSeed, ClientAddresses addresses, Mix mix) {
    this.random = new Random(seed);
    this.ids = new Random(idSeed);
    this.addresses = addresses;
    this.mix = mix;
    this.telemetryMain = template("telemetry-main.json");
    this.telemetryEvent = template("telemetry-event.json");
    this.gleanBaseline = template("glean-baseline.json");
  }

  /**
   * Tells the generator that the edge accepted a submission, so later duplicates copy only
   * submissions that are known to have been accepted (and are therefore really duplicates).
   */
  public synchronized void accepted(Submission s) {
    if (s.expected() == Submission.Outcome.LAKE && accepted.size() < 10_000) {
      accepted.add(s);
    }
  }

  /** The next submission, of a kind drawn from the mix. */
  public synchronized Submission next() {
    String kind = mix.draw(random);
    if ("duplicate".equals(kind)) {
      if (accepted.isEmpty()) {
        kind = "download";
      } else {
        Submission original = accepted.get(random.nextInt(accepted.size()));
        return new Submission(
            "duplicate",
            original.path(),
            original.body(),
            original.headers(),
            original.table(),
            original.country());
      }
    }
    ClientAddresses.Address client = addresses.next(random);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(CapturedHeader.X_FORWARDED_FOR.httpName(), client.ip());
    headers.put(
        CapturedHeader.USER_AGENT.httpName(), USER_AGENTS[random.nextInt(USER_AGENTS.length)]);
    headers.put("Content-Type", "application/json");
    String id = uuid();
    switch (kind) {
      case "download":
        return new Submission(
            kind,
            generic("glow", "download", "1", id),
            json(download()),
            headers,
            "glow_download_v1",
            client.country());
      case "share":
        return new Submission(
            kind,
            generic("glow", "share", "1", id),
            json(share()),
            headers,
            "glow_share_v1",
            client.country());
      case "telemetry":
        return telemetry(id, headers, client);
      case "glean":
        return new Submission(
            kind,
            generic("org-mozilla-fenix", "baseline", "1", id),
            json(glean()),
            headers,
            "org_mozilla_fenix_baseline_v1",
            client.country());
      case "service":
        return service(id, headers, client);
      case "invalid":
        return invalid(id, headers, client);
      default:
        throw new IllegalStateException("unknown kind " + kind);
    }
  }

  private Submission telemetry(String id, Map<String, String> headers, ClientAddresses.Address c) {
    boolean main = random.nextBoolean();
    ObjectNode doc = (main ? telemetryMain : telemetryEvent).deepCopy();
    doc.put("id", id);
    doc.put("clientId", uuid());
    doc.put("creationDate", Instant.now().toString());
    headers.put(CapturedHeader.X_PINGSENDER_VERSION.httpName(), "1.0");
    byte[] body = json(doc);
    if (random.nextInt(10) < 3) {
      body = gzip(body);
      headers.put(CapturedHeader.CONTENT_ENCODING.httpName(), "gzip");
    }
    String type = main ? "main" : "event";
    return new Submission(
        "telemetry",
        telemetry(id, type, "Firefox", "145.0.1", "release", "20261117092205"),
        body,
        headers,
        "telemetry_" + type + "_v4",
        c.country());
  }

  private Submission service(String id, Map<String, String> headers, ClientAddresses.Address c) {
    ObjectNode doc = Json.mapper().createObjectNode();
    String now = Instant.now().toString();
    if (random.nextBoolean()) {
      doc.put("service", "clowder-" + (1 + random.nextInt(3)));
      doc.put("response_time_ms", Math.round(random.nextDouble() * 5000) / 10.0);
      doc.put("queue_length", random.nextInt(50));
      doc.put("status", random.nextInt(20) == 0 ? "degraded" : "ok");
      doc.put("timestamp", now);
      return new Submission(
          "service",
          generic("service", "health", "1", id),
          json(doc),
          headers,
          "service_health_v1",
          c.country());
    }
    boolean download = random.nextBoolean();
    doc.put("event", download ? "resource_download" : "page_view");
    doc.put("url", "/datasets/ds-" + random.nextInt(100));
    doc.put("resource_id", "ds-" + random.nextInt(100));
    doc.put("user_id", "u-" + random.nextInt(1000));
    if (download) {
      doc.put("bytes", 1 + random.nextInt(10_000_000));
    }
    doc.put("timestamp", now);
    return new Submission(
        "service",
        generic("service", "traffic", "1", id),
        json(doc),
        headers,
        "service_traffic_v1",
        c.country());
  }

  private Submission invalid(String id, Map<String, String> headers, ClientAddresses.Address c) {
    int variant = random.nextInt(4);
    byte[] body;
    String path = generic("glow", "download", "1", id);
    switch (variant) {
      case 0: // schema violation: a download without its os
        ObjectNode d = download();
        d.remove("os");
        body = json(d);
        break;
      case 1: // not JSON
        body = "{\"product\": \"firefox\", ".getBytes(StandardCharsets.UTF_8);
        break;
      case 2: // gzip magic bytes followed by garbage
        body = new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7};
        break;
      default: // a version no schema exists for
        path = generic("glow", "download", "99", id);
        body = json(download());
        break;
    }
    return new Submission("invalid", path, body, headers, null, c.country());
  }

  private ObjectNode download() {
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("product", PRODUCTS[random.nextInt(PRODUCTS.length)]);
    doc.put("version", (140 + random.nextInt(6)) + "." + random.nextInt(3));
    doc.put("os", OSES[random.nextInt(OSES.length)]);
    doc.put("locale", LOCALES[random.nextInt(LOCALES.length)]);
    doc.put("channel", "release");
    if (random.nextInt(4) == 0) {
      // A field the schema does not declare: the lake keeps it in additional_properties.
      doc.put("referrer_campaign", "fall-" + random.nextInt(5));
    }
    return doc;
  }

  private ObjectNode share() {
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("network", NETWORKS[random.nextInt(NETWORKS.length)]);
    doc.put("product", "firefox");
    doc.put("locale", LOCALES[random.nextInt(LOCALES.length)]);
    doc.put("url", "https://www.mozilla.org/firefox/");
    return doc;
  }

  private ObjectNode glean() {
    ObjectNode doc = gleanBaseline.deepCopy();
    ((ObjectNode) doc.get("client_info")).put("client_id", uuid());
    ((ObjectNode) doc.get("ping_info")).put("seq", random.nextInt(1000));
    return doc;
  }

  /** The path of a generic-form submission URI. */
  private static String generic(String namespace, String type, String version, String id) {
    try {
      return SubmitUri.generic(namespace, type, version, id).path();
    } catch (SubmitUri.InvalidException e) {
      throw new IllegalStateException("the simulator built an invalid URI: " + e.getMessage(), e);
    }
  }

  /** The path of a telemetry-form submission URI. */
  private static String telemetry(
      String id, String type, String app, String version, String channel, String build) {
    try {
      return SubmitUri.telemetry(id, type, app, version, channel, build).path();
    } catch (SubmitUri.InvalidException e) {
      throw new IllegalStateException("the simulator built an invalid URI: " + e.getMessage(), e);
    }
  }

  /** A random (version 4) UUID from the id generator. */
  private String uuid() {
    long msb = (ids.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (ids.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  private static byte[] json(JsonNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static ObjectNode template(String name) {
    try (InputStream in = SyntheticTraffic.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing simulator template " + name);
      }
      return (ObjectNode) Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
