package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubmissionTimestampTest {
  @Test
  void shouldWriteTheEdgesFormat() {
    SubmissionTimestamp f = new SubmissionTimestamp();
    long t = Instant.parse("2026-11-27T10:00:00Z").getEpochSecond() * 1_000_000L;
    assertThat(f.format(t)).isEqualTo("2026-11-27T10:00:00.000000Z");
    assertThat(f.format(t + 42)).isEqualTo("2026-11-27T10:00:00.000042Z");
    assertThat(f.format(t + 1_234_567)).isEqualTo("2026-11-27T10:00:01.234567Z");
    assertThat(f.format(t))
        .isEqualTo(SubmissionTimestamp.FORMAT.format(Instant.ofEpochSecond(t / 1_000_000L)));
  }
}
