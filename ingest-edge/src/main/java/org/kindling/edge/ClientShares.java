package org.kindling.edge;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How much of a shared bound each client holds, by client address ({@code remote_addr}), so that
 * one client cannot take all of it: the edge's in-flight body bytes and the spool. A client may
 * hold at most {@code share} of a bound; every other client still has the rest. Entries go when a
 * client holds nothing, so the map is never larger than what is held.
 */
final class ClientShares {
  /** The client of requests without an IP peer (tests, Unix sockets). */
  static final String UNKNOWN = "unknown";

  private final long limit;
  private final ConcurrentHashMap<String, Long> held = new ConcurrentHashMap<>();

  /**
   * @param bound the shared bound (bytes)
   * @param share the part of it one client may hold, in (0, 1]
   */
  ClientShares(long bound, double share) {
    this.limit = Math.max(1, (long) (bound * share));
  }

  /** The most one client may hold. */
  long limit() {
    return limit;
  }

  /** Takes {@code n} for {@code client}; false (and nothing taken) when that passes its share. */
  boolean tryTake(String client, long n) {
    boolean[] ok = {false};
    held.compute(
        key(client),
        (k, v) -> {
          long now = v == null ? 0 : v;
          if (now + n > limit) {
            return v;
          }
          ok[0] = true;
          return now + n;
        });
    return ok[0];
  }

  /** Takes {@code n} for {@code client} whatever its share (records recovered from disk). */
  void take(String client, long n) {
    held.merge(key(client), n, Long::sum);
  }

  /** Gives back {@code n} of {@code client}. */
  void give(String client, long n) {
    held.computeIfPresent(key(client), (k, v) -> v - n <= 0 ? null : v - n);
  }

  /** What {@code client} holds. */
  long held(String client) {
    return held.getOrDefault(key(client), 0L);
  }

  /** How many clients hold something. */
  int clients() {
    return held.size();
  }

  private static String key(String client) {
    return client == null ? UNKNOWN : client;
  }
}
