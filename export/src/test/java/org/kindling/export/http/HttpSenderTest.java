package org.kindling.export.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.export.Outcome;

class HttpSenderTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private final HttpSender http =
      new HttpSender(
          Duration.ofSeconds(1), Duration.ofSeconds(1), Clock.fixed(NOW, ZoneOffset.UTC));

  private static HttpHeaders headers(Map<String, List<String>> m) {
    return HttpHeaders.of(m, (a, b) -> true);
  }

  private Outcome classify(int status, Map<String, List<String>> h, String body) {
    return http.classify(new HttpSender.Answer(status, headers(h), body));
  }

  @Test
  void shouldTellDeliveredRejectedAndRetryableAnswersApart() {
    assertThat(classify(200, Map.of(), "")).isInstanceOf(Outcome.Delivered.class);
    assertThat(classify(204, Map.of(), "")).isInstanceOf(Outcome.Delivered.class);
    for (int s : new int[] {400, 413, 422}) {
      assertThat(classify(s, Map.of(), "bad")).isInstanceOf(Outcome.Rejected.class);
    }
    for (int s : new int[] {408, 429, 500, 502, 503, 504, 401, 404, 301}) {
      assertThat(classify(s, Map.of(), "")).as("%d", s).isInstanceOf(Outcome.Retry.class);
    }
  }

  @Test
  void shouldKeepTheStartOfTheAnswerAsTheReason() {
    Outcome o = classify(500, Map.of(), "  internal\n error  " + "x".repeat(1000));
    assertThat(((Outcome.Retry) o).reason())
        .startsWith("HTTP 500: internal error xxx")
        .hasSize("HTTP 500: ".length() + HttpSender.MAX_REASON_BODY + 3);
  }

  @Test
  void shouldReadRetryAfterInSecondsOrAsADate() {
    Outcome o = classify(429, Map.of("Retry-After", List.of("7")), "");
    assertThat(((Outcome.Retry) o).retryAfter()).isEqualTo(Duration.ofSeconds(7));
    o = classify(503, Map.of("Retry-After", List.of("Mon, 30 Nov 2026 12:01:00 GMT")), "");
    assertThat(((Outcome.Retry) o).retryAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(HttpSender.parseRetryAfter("Mon, 30 Nov 2026 11:00:00 GMT", NOW))
        .isEqualTo(Duration.ZERO);
    assertThat(HttpSender.parseRetryAfter("soon", NOW)).isNull();
    o = classify(503, Map.of(), "");
    assertThat(((Outcome.Retry) o).retryAfter()).isNull();
  }
}
