package org.kindling.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static Backoff backoff(double random) {
    return new Backoff(
        Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5), () -> random);
  }

  @Test
  void shouldDoubleFromTheInitialWaitUpToTheMaximum() {
    Backoff b = backoff(0);
    assertThat(b.base(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(b.base(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.base(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.base(7)).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.base(1000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldTakeARandomPartOfUpToHalfOff() {
    assertThat(backoff(0).delay(3, null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff(0.5).delay(3, null)).isEqualTo(Duration.ofMillis(1500));
    assertThat(backoff(0.999999).delay(3, null).toMillis()).isBetween(1000L, 1001L);
  }

  @Test
  void shouldWaitAtLeastWhatRetryAfterSays() {
    assertThat(backoff(0).delay(1, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    // a shorter hint does not shorten the backoff
    assertThat(backoff(0).delay(4, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void shouldCutAnOverlongRetryAfter() {
    assertThat(backoff(0).delay(1, Duration.ofDays(1))).isEqualTo(Duration.ofMinutes(5));
  }
}
