package org.kindling.export;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Waits between delivery attempts: exponential ({@code initial}, doubling up to {@code max}) with
 * jitter that takes a random part of up to half off each wait, so that senders that failed together
 * do not retry together. A server's Retry-After hint is honoured as a lower bound, up to {@code
 * retryAfterMax}.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final Duration retryAfterMax;
  private final DoubleSupplier random;

  /**
   * @param random values in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}
   */
  public Backoff(Duration initial, Duration max, Duration retryAfterMax, DoubleSupplier random) {
    this.initial = initial;
    this.max = max;
    this.retryAfterMax = retryAfterMax;
    this.random = random;
  }

  /** The exponential wait after {@code failures} failed attempts, before jitter. */
  public Duration base(int failures) {
    long ms = initial.toMillis();
    for (int i = 1; i < failures && ms < max.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }

  /**
   * The wait before the next attempt, after {@code failures} (>= 1) failed ones.
   *
   * @param retryAfter the last answer's Retry-After, or null
   */
  public Duration delay(int failures, Duration retryAfter) {
    long base = base(failures).toMillis();
    long jittered = base - (long) (random.getAsDouble() * (base / 2.0));
    long wait = Math.max(jittered, 1);
    if (retryAfter != null) {
      long hint = Math.min(Math.max(retryAfter.toMillis(), 0), retryAfterMax.toMillis());
      wait = Math.max(wait, hint);
    }
    return Duration.ofMillis(wait);
  }
}
