package org.kindling.export.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.kindling.core.Json;
import org.kindling.export.Destination;
import org.kindling.export.ErrorJson;
import org.kindling.export.ExportRecord;
import org.kindling.export.Item;
import org.kindling.export.Outcome;
import org.kindling.export.UnencodableException;
import org.kindling.export.config.DestinationConfig;
import org.kindling.export.config.DestinationKeys;
import org.kindling.export.http.HttpConfig;
import org.kindling.export.http.HttpSender;

/**
 * JSON batches POSTed to a URL:
 *
 * <pre>
 * {"destination":"hooks","sent_at":"2026-11-30T12:00:00.123Z",
 *  "documents":[{...enriched document...}, ...],
 *  "errors":[{"document_id":..,"stage":..,"error_type":..,"error_message":..,...}, ...]}</pre>
 *
 * with {@code Content-Type: application/json}, {@code X-Kindling-Signature: sha256=<hex HMAC-SHA256
 * of the body>}, {@code X-Kindling-Destination: <name>} and the configured headers. Any 2xx
 * acknowledges the batch. Idempotency key: each document's {@code document_id}; a batch may be
 * delivered more than once (after a timeout, a crash or a replay), and not in order, so receivers
 * deduplicate on it. {@code sent_at} is signed too, so a receiver can refuse stale deliveries.
 */
public final class WebhookDestination implements Destination {
  /** Headers the destination sets itself; configuration may not replace them. */
  static final Set<String> OWN_HEADERS =
      Set.of("content-type", "x-kindling-signature", "x-kindling-destination", "user-agent");

  private final String name;
  private final URI url;
  private final Signature signature;
  private final Map<String, String> extraHeaders;
  private final HttpSender http;
  private final Clock clock;

  WebhookDestination(
      String name,
      URI url,
      Signature signature,
      Map<String, String> extraHeaders,
      HttpSender http,
      Clock clock) {
    this.name = name;
    this.url = url;
    this.signature = signature;
    this.extraHeaders = extraHeaders;
    this.http = http;
    this.clock = clock;
  }

  /** The destination of {@code c}; fails start-up on a setting it cannot use. */
  public static WebhookDestination create(DestinationConfig c, Clock clock) {
    URI url = HttpConfig.uri(c, DestinationKeys.WEBHOOK_URL);
    String secret = c.require(DestinationKeys.WEBHOOK_SECRET, "for type webhook");
    Map<String, String> headers = new LinkedHashMap<>();
    c.withPrefix(DestinationKeys.WEBHOOK_HEADER_PREFIX)
        .forEach(
            (rest, value) -> {
              String header = rest.replace('.', '-').toLowerCase(Locale.ROOT);
              String key = DestinationKeys.WEBHOOK_HEADER_PREFIX + rest;
              if (OWN_HEADERS.contains(header)) {
                throw c.bad(key, "the webhook sets " + header + " itself");
              }
              try {
                // the JDK client refuses restricted (host, content-length, ...) and malformed ones
                HttpRequest.newBuilder(url).header(header, value);
              } catch (IllegalArgumentException e) {
                throw c.bad(key, "not a header that can be sent: " + e.getMessage());
              }
              headers.put(header, value);
            });
    return new WebhookDestination(
        c.name(), url, new Signature(secret), headers, HttpConfig.sender(c, clock), clock);
  }

  @Override
  public String target() {
    return url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
  }

  @Override
  public byte[] encode(ExportRecord r) throws UnencodableException {
    try {
      if (r.isError()) {
        return Json.mapper().writeValueAsBytes(ErrorJson.of(r));
      }
      if (r.document() == null) {
        throw new UnencodableException("the record value is not a JSON object");
      }
      return Json.mapper().writeValueAsBytes(r.document());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request body of {@code batch}: see the class comment. */
  byte[] body(List<Item> batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii("{\"destination\":"));
    out.writeBytes(string(name));
    out.writeBytes(ascii(",\"sent_at\":"));
    out.writeBytes(string(clock.instant().toString()));
    out.writeBytes(ascii(",\"documents\":["));
    append(out, batch, false);
    out.writeBytes(ascii("],\"errors\":["));
    append(out, batch, true);
    out.writeBytes(ascii("]}"));
    return out.toByteArray();
  }

  private static void append(ByteArrayOutputStream out, List<Item> batch, boolean errors) {
    boolean first = true;
    for (Item item : batch) {
      if (item.record().isError() == errors) {
        if (!first) {
          out.write(',');
        }
        out.writeBytes(item.encoded());
        first = false;
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] string(String s) {
    try {
      return Json.mapper().writeValueAsBytes(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Outcome send(List<Item> batch) throws InterruptedException {
    byte[] body = body(batch);
    Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
    headers.put("Content-Type", "application/json");
    headers.put("X-Kindling-Destination", name);
    headers.put(Signature.HEADER, signature.sign(body));
    return http.post(url, headers, body);
  }
}
