package org.kindling.core.counts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.core.counts.CountKey.Dimension;

class CountKeyTest {
  private static final long T = Instant.parse("2026-11-24T18:05:59.999Z").toEpochMilli();

  @Test
  void shouldWriteTheKeyGrammar() {
    assertThat(CountKey.formatMinute(T)).isEqualTo("2026-11-24T18:05Z");
    assertThat(CountKey.parseMinute("2026-11-24T18:05Z"))
        .isEqualTo(Instant.parse("2026-11-24T18:05:00Z"));
    assertThat(CountKey.total("glow.download", Dimension.COUNTRY, "DE", 3).format())
        .isEqualTo("glow.download|total|country|DE|3");
    assertThat(CountKey.minute("glow.download", T, 0).format())
        .isEqualTo("glow.download|minute|2026-11-24T18:05Z|0");
    assertThat(CountKey.watermark(7).format()).isEqualTo("watermark|7");
    assertThat(CountKey.doctypeOf("glow/download")).isEqualTo("glow.download");
    assertThat(CountKey.doctypeOf(" glow.share ")).isEqualTo("glow.share");
    assertThat(CountKey.doctypePath("glow.download")).isEqualTo("glow/download");
  }

  @Test
  void shouldParseWhatItWritesAndTheTotalsOfTheCountersBefore() {
    for (CountKey k :
        new CountKey[] {
          CountKey.total("glow.download", Dimension.ALL, CountKey.ALL, 0),
          CountKey.total("org-mozilla-fenix.baseline", Dimension.SUBDIVISION, "US-CA", 12),
          CountKey.minute("glow.download", T, 2),
          CountKey.watermark(0)
        }) {
      assertThat(CountKey.parse(k.format())).isEqualTo(k);
    }
    // a total of the counters before they counted per partition: a partial of its own
    assertThat(CountKey.parse("glow.download|total|country|DE"))
        .isEqualTo(CountKey.total("glow.download", Dimension.COUNTRY, "DE", CountKey.LEGACY));
    for (String bad :
        new String[] {
          "glow.download",
          "glow.download|total|country",
          "glow.download|total|planet|x|0",
          "glow.download|total|country|DE|-2",
          "glow.download|minute|2026-11-24T18:05Z|country|DE", // a cell of the old counters
          "glow.download|minute|2026-11-24T18:05Z|x",
          "watermark|a",
          "glow.download|hour|x|0"
        }) {
      assertThatThrownBy(() -> CountKey.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void shouldRoundTripTheTypedValues() {
    CountKey total = CountKey.total("glow.download", Dimension.COUNTRY, "DE", 0);
    CountValue.Total t = new CountValue.Total(7, Instant.parse("2026-11-24T18:05:07.123Z"));
    assertThat(t.toJson()).isEqualTo("{\"count\":7,\"updated_at\":\"2026-11-24T18:05:07Z\"}");
    assertThat(CountValue.parse(total, t.toJson())).isEqualTo(t);

    CountKey minute = CountKey.minute("glow.download", T, 0);
    CountValue.Minute m = new CountValue.Minute(5, Map.of("DE", 3L), Map.of("52.5,13.4", 2L));
    assertThat(m.toJson())
        .isEqualTo("{\"count\":5,\"countries\":{\"DE\":3},\"locations\":{\"52.5,13.4\":2}}");
    assertThat(CountValue.parse(minute, m.toJson())).isEqualTo(m);
    assertThat(CountValue.parse(minute, null)).isNull();

    CountKey watermark = CountKey.watermark(1);
    CountValue.Watermark w = new CountValue.Watermark(Instant.parse("2026-11-24T18:06:00Z"), 4, 5);
    assertThat(w.toJson())
        .isEqualTo("{\"closed_until\":\"2026-11-24T18:06:00Z\",\"partitions\":4,\"min_count\":5}");
    assertThat(CountValue.parse(watermark, w.toJson())).isEqualTo(w);

    assertThatThrownBy(() -> CountValue.parse(minute, "not json"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CountValue.parse(total, "{\"count\":1,\"updated_at\":\"yesterday\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CountValue.parse(total, "[1]"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
