package org.kindling.export;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether a destination is currently taking deliveries, for the heartbeat: since when its attempts
 * fail and why. Written by the delivery threads, read by the heartbeat.
 */
public final class DeliveryState {
  private final Clock clock;
  private volatile Instant failingSince;
  private volatile String lastFailure;
  private volatile Instant lastDelivery;

  public DeliveryState(Clock clock) {
    this.clock = clock;
  }

  void delivered() {
    failingSince = null;
    lastDelivery = clock.instant();
  }

  void failed(String reason) {
    if (failingSince == null) {
      failingSince = clock.instant();
    }
    lastFailure = reason;
  }

  /** Since when attempts fail without a success in between, or null. */
  public Instant failingSince() {
    return failingSince;
  }

  /** The reason of the last failed attempt, or null. */
  public String lastFailure() {
    return lastFailure;
  }

  /** When the destination last acknowledged a batch, or null. */
  public Instant lastDelivery() {
    return lastDelivery;
  }
}
