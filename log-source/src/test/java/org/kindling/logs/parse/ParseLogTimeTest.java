package org.kindling.logs.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParseLogTimeTest {
  private static long micros(String iso) {
    Instant i = Instant.parse(iso);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  @Test
  void shouldReadClfWithItsOffset() throws Exception {
    ParseLogTime t = ParseLogTime.of("clf");
    assertThat(t.micros("27/Nov/2026:10:00:00 +0000")).isEqualTo(micros("2026-11-27T10:00:00Z"));
    assertThat(t.micros("27/Nov/2026:10:00:00 -0130")).isEqualTo(micros("2026-11-27T11:30:00Z"));
    assertThat(t.micros("29/Feb/2028:23:59:59 +0100")).isEqualTo(micros("2028-02-29T22:59:59Z"));
  }

  @Test
  void shouldReadIsoEpochAndPatterns() throws Exception {
    assertThat(ParseLogTime.of("iso8601").micros("2026-11-27T10:00:00.123456+02:00"))
        .isEqualTo(micros("2026-11-27T08:00:00.123456Z"));
    assertThat(ParseLogTime.of("iso8601").micros("2026-11-27T10:00:00Z"))
        .isEqualTo(micros("2026-11-27T10:00:00Z"));
    assertThat(ParseLogTime.of("epoch").micros("1795773600.5")).isEqualTo(1_795_773_600_500_000L);
    assertThat(ParseLogTime.of("epoch").micros("1795773600")).isEqualTo(1_795_773_600_000_000L);
    assertThat(ParseLogTime.of("yyyy-MM-dd HH:mm:ss").micros("2026-11-27 10:00:00"))
        .as("a pattern without offset is UTC")
        .isEqualTo(micros("2026-11-27T10:00:00Z"));
    assertThat(ParseLogTime.of("yyyy-MM-dd HH:mm:ssXXX").micros("2026-11-27 10:00:00+01:00"))
        .isEqualTo(micros("2026-11-27T09:00:00Z"));
  }

  @Test
  void shouldRefuseWhatIsNotATime() {
    ParseLogTime clf = ParseLogTime.of("clf");
    for (String bad :
        new String[] {
          "27/Foo/2026:10:00:00 +0000",
          "32/Nov/2026:10:00:00 +0000",
          "27/Nov/2026:24:00:00 +0000",
          "27/Nov/2026:10:00:00",
          "2026-11-27T10:00:00Z"
        }) {
      assertThatThrownBy(() -> clf.micros(bad)).as(bad).isInstanceOf(LogParseException.class);
    }
    assertThatThrownBy(() -> ParseLogTime.of("iso8601").micros("2026-11-27T10:00:00"))
        .isInstanceOf(LogParseException.class);
    assertThatThrownBy(() -> ParseLogTime.of("epoch").micros("12a"))
        .isInstanceOf(LogParseException.class);
    assertThatThrownBy(() -> ParseLogTime.of("yyyy-MM-dd qqqqqq ppp"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
