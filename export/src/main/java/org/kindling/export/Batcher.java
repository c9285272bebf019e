package org.kindling.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects items into batches, sealing one when it holds {@code maxRecords} items, when its encoded
 * size reaches {@code maxBytes} (an item that would take it over starts the next batch; an item
 * larger than the limit on its own is sent alone), or when its first item has waited {@code
 * maxWait}. Times are {@link System#nanoTime()} values passed in, so tests need no clock.
 */
public final class Batcher {
  private final int maxRecords;
  private final long maxBytes;
  private final long maxWaitNanos;
  private List<Item> open = new ArrayList<>();
  private long openBytes;
  private long openedAt;

  public Batcher(int maxRecords, long maxBytes, Duration maxWait) {
    if (maxRecords < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("batch limits must be positive");
    }
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.maxWaitNanos = maxWait.toNanos();
  }

  /** Adds {@code item}; returns the batches this sealed (none, one or two), oldest first. */
  public List<Batch> add(Item item, long now) {
    List<Batch> sealed = new ArrayList<>(2);
    if (!open.isEmpty() && openBytes + item.size() > maxBytes) {
      sealed.add(seal());
    }
    if (open.isEmpty()) {
      openedAt = now;
    }
    open.add(item);
    openBytes += item.size();
    if (open.size() >= maxRecords || openBytes >= maxBytes) {
      sealed.add(seal());
    }
    return sealed;
  }

  /** The open batch once its first item has waited {@code maxWait}, else null. */
  public Batch due(long now) {
    return !open.isEmpty() && now - openedAt >= maxWaitNanos ? seal() : null;
  }

  /** The open batch whatever its age (on a stop), or null when there is none. */
  public Batch drain() {
    return open.isEmpty() ? null : seal();
  }

  /** Items waiting in the open batch. */
  public int pending() {
    return open.size();
  }

  /** Drops the open batch (a failed session; its records are read again). */
  public void clear() {
    open = new ArrayList<>();
    openBytes = 0;
  }

  private Batch seal() {
    Batch b = new Batch(open, openBytes);
    open = new ArrayList<>();
    openBytes = 0;
    return b;
  }
}
