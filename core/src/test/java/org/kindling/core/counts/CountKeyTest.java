package org.kindling.core.counts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.kindling.core.counts.CountKey.Dimension;

class CountKeyTest {
  private static final long T = Instant.parse("2026-11-24T18:05:59.999Z").toEpochMilli();

  @Test
  void shouldWriteTheKeyGrammar() {
    assertThat(CountKey.formatMinute(T)).isEqualTo("2026-11-24T18:05Z");
    assertThat(CountKey.minutePrefix("glow.download", CountKey.formatMinute(T)))
        .isEqualTo("glow.download|minute|2026-11-24T18:05Z|");
    assertThat(CountKey.total("glow.download", Dimension.COUNTRY, "DE").format())
        .isEqualTo("glow.download|total|country|DE");
    assertThat(CountKey.minute("glow.download", T, Dimension.LOCATION, "52.5,13.4").format())
        .isEqualTo("glow.download|minute|2026-11-24T18:05Z|location|52.5,13.4");
    assertThat(CountKey.minuteClose("glow.download", T).format())
        .isEqualTo("glow.download|minute|2026-11-24T18:05Z|all|all");
    assertThat(CountKey.doctypeOf("glow/download")).isEqualTo("glow.download");
    assertThat(CountKey.doctypeOf(" glow.share ")).isEqualTo("glow.share");
    assertThat(CountKey.doctypePath("glow.download")).isEqualTo("glow/download");
  }

  @Test
  void shouldParseWhatItWrites() {
    for (CountKey k :
        new CountKey[] {
          CountKey.total("glow.download", Dimension.ALL, CountKey.ALL),
          CountKey.total("org-mozilla-fenix.baseline", Dimension.SUBDIVISION, "US-CA"),
          CountKey.total("glow.share", Dimension.CONTINENT, CountKey.OTHER),
          CountKey.minute("glow.download", T, Dimension.COUNTRY, "DE"),
          CountKey.minuteClose("glow.download", T)
        }) {
      assertThat(CountKey.parse(k.format())).isEqualTo(k);
    }
    assertThat(CountKey.parse("glow.download|total|all|all").isTotal()).isTrue();
    assertThat(CountKey.parse("glow.download|minute|2026-11-24T18:05Z|all|all").isMinuteClose())
        .isTrue();
    for (String bad :
        new String[] {
          "glow.download",
          "glow.download|total|country",
          "glow.download|total|planet|x",
          "glow.download|minute|2026-11-24T18:05Z|country",
          "glow.download|hour|x|country|DE"
        }) {
      assertThatThrownBy(() -> CountKey.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void shouldPartitionAMinuteByItsPrefixAndTotalsByTheirKey() {
    assertThat(
            CountKey.parse("glow.download|minute|2026-11-24T18:05Z|country|DE").partitionPrefix())
        .isEqualTo("glow.download|minute|2026-11-24T18:05Z");
    assertThat(CountKey.minuteClose("glow.download", T).partitionPrefix())
        .isEqualTo("glow.download|minute|2026-11-24T18:05Z");
    assertThat(CountKey.parse("glow.download|total|country|DE").partitionPrefix())
        .isEqualTo("glow.download|total|country|DE");
  }

  @Test
  void shouldRoundTripTheTypedValues() {
    CountKey total = CountKey.total("glow.download", Dimension.COUNTRY, "DE");
    CountValue.Total t = new CountValue.Total(7, Instant.parse("2026-11-24T18:05:07.123Z"));
    assertThat(t.toJson()).isEqualTo("{\"count\":7,\"updated_at\":\"2026-11-24T18:05:07Z\"}");
    assertThat(CountValue.parse(total, t.toJson())).isEqualTo(t);

    CountKey cell = CountKey.minute("glow.download", T, Dimension.COUNTRY, "DE");
    assertThat(CountValue.parse(cell, "{\"count\":5}")).isEqualTo(new CountValue.Cell(5));

    CountKey close = CountKey.minuteClose("glow.download", T);
    CountValue.MinuteClose c =
        new CountValue.MinuteClose(
            12, 3, Instant.parse("2026-11-24T18:05:00Z"), Instant.parse("2026-11-24T18:06:00Z"));
    assertThat(c.toJson())
        .isEqualTo(
            "{\"count\":12,\"cells\":3,\"window_start\":\"2026-11-24T18:05:00Z\","
                + "\"window_end\":\"2026-11-24T18:06:00Z\"}");
    assertThat(CountValue.parse(close, c.toJson())).isEqualTo(c);

    assertThatThrownBy(() -> CountValue.parse(cell, "not json"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CountValue.parse(total, "{\"count\":1,\"updated_at\":\"yesterday\"}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
