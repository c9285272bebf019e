package org.kindling.export;

import java.time.Duration;

/** Waits between attempts; tests pass one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration d) throws InterruptedException;

  /** Thread.sleep. */
  Sleeper REAL = d -> Thread.sleep(d.toMillis());
}
