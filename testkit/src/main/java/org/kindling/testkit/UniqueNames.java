package org.kindling.testkit;

import java.util.concurrent.atomic.AtomicInteger;

/** Unique topic names and application ids, so tests that share a broker never see each other. */
public final class UniqueNames {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

  private UniqueNames() {}

  /** {@code prefix} followed by a suffix unique within this JVM and across recent runs. */
  public static String of(String prefix) {
    return prefix + "-" + RUN + "-" + COUNTER.incrementAndGet();
  }
}
