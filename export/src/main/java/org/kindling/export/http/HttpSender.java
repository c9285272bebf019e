package org.kindling.export.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.kindling.core.ops.VersionInfo;
import org.kindling.export.Outcome;

/**
 * POSTs request bodies with the JDK's HTTP client and says what the answer means for a delivery:
 * 2xx delivered; 400, 413 and 422 rejected (the content is at fault); 408, 429, 5xx, timeouts and
 * connection failures retried, with the Retry-After hint when there is one. Other statuses (401,
 * 403, 404, redirects) are retried too: they come from the destination's setup, not from the
 * records, and once they outlast the retries the records wait in ingest.errors for a replay after
 * the fix.
 */
public final class HttpSender {
  /** Longest part of an answer's body kept in a reason (logs, heartbeat, failure records). */
  static final int MAX_REASON_BODY = 300;

  private final HttpClient client;
  private final Duration requestTimeout;
  private final Clock clock;
  private final String userAgent;

  public HttpSender(Duration connectTimeout, Duration requestTimeout, Clock clock) {
    // HTTP/1.1: the JDK client's cleartext HTTP/2 upgrade adds headers that some servers and
    // proxies mishandle on POSTs with bodies; batches are large enough that h2 gains little.
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.requestTimeout = requestTimeout;
    this.clock = clock;
    this.userAgent = "kindling-export/" + VersionInfo.current().version();
  }

  /** An answer: status, headers and the body as text. */
  public record Answer(int status, HttpHeaders headers, String body) {}

  /** How a destination reads an answer; {@link #classify} is the common reading. */
  @FunctionalInterface
  public interface Reading {
    Outcome read(Answer answer);
  }

  /** POSTs {@code body} and classifies the answer with {@link #classify}. */
  public Outcome post(URI uri, Map<String, String> headers, byte[] body)
      throws InterruptedException {
    return post(uri, headers, body, this::classify);
  }

  /** POSTs {@code body} and reads the answer with {@code reading}. */
  public Outcome post(URI uri, Map<String, String> headers, byte[] body, Reading reading)
      throws InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("User-Agent", userAgent)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    HttpResponse<byte[]> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return new Outcome.Retry("no answer within " + requestTimeout.toMillis() + " ms", null);
    } catch (IOException e) {
      // a refused connection has no message; its class says what happened
      String why =
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      return new Outcome.Retry("request failed: " + why, null);
    }
    return reading.read(
        new Answer(
            response.statusCode(),
            response.headers(),
            new String(response.body(), StandardCharsets.UTF_8)));
  }

  /** The common reading of an answer (see the class comment). */
  public Outcome classify(Answer a) {
    int s = a.status();
    if (s >= 200 && s < 300) {
      return Outcome.DELIVERED;
    }
    String reason = reason(a);
    if (s == 400 || s == 413 || s == 422) {
      return new Outcome.Rejected(reason, null);
    }
    return new Outcome.Retry(reason, retryAfter(a.headers()));
  }

  /** {@code HTTP 503: <start of the body>}. */
  public static String reason(Answer a) {
    String body = a.body() == null ? "" : a.body().strip().replaceAll("\\s+", " ");
    if (body.length() > MAX_REASON_BODY) {
      body = body.substring(0, MAX_REASON_BODY) + "...";
    }
    return "HTTP " + a.status() + (body.isEmpty() ? "" : ": " + body);
  }

  /** The Retry-After header (seconds or an HTTP date) as a wait from now, or null. */
  public Duration retryAfter(HttpHeaders headers) {
    Optional<String> v = headers.firstValue("Retry-After");
    return v.map(s -> parseRetryAfter(s, clock.instant())).orElse(null);
  }

  /** A Retry-After value as a wait from {@code now}, or null when it is neither form. */
  public static Duration parseRetryAfter(String value, Instant now) {
    String v = value.trim();
    if (v.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
