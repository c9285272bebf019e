package org.kindling.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling waits for integration tests: no fixed sleeps. */
public final class Waits {
  private Waits() {}

  /**
   * Polls {@code condition} every 50 ms until it holds; fails with {@code message} (evaluated at
   * the deadline, so it can describe the last observed state) after {@code timeout}.
   */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> message) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + ": " + message.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting: " + message.get(), e);
      }
    }
  }
}
