package org.kindling.logs.syslog;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.kindling.logs.PublishRecords;

/**
 * Back-pressure for TCP senders: a connection whose messages find Kafka at its in-flight bound
 * stops being read (auto-read off), so the kernel's receive buffer fills, the TCP window closes and
 * the sender waits (syslog-ng with {@code flags(flow-control)} then stops reading its own sources).
 * Reading resumes on every paused connection once half of the bound is acknowledged. Nothing is
 * dropped: what was already read is sent.
 */
final class PauseReading {
  private final PublishRecords publisher;
  private final Set<Channel> paused = ConcurrentHashMap.newKeySet();

  PauseReading(PublishRecords publisher) {
    this.publisher = publisher;
    publisher.onCapacity(this::resumeAll);
  }

  /** After a message of {@code ch} was handed over: pauses it when Kafka has no room. */
  void check(Channel ch) {
    if (publisher.hasCapacity()) {
      return;
    }
    ch.config().setAutoRead(false);
    paused.add(ch);
    // capacity may have come back between the check and the pause
    if (publisher.hasCapacity()) {
      resume(ch);
    }
  }

  /** Connections not being read now. */
  int pausedConnections() {
    return paused.size();
  }

  void forget(Channel ch) {
    paused.remove(ch);
  }

  private void resumeAll() {
    for (Channel ch : paused) {
      resume(ch);
    }
  }

  private void resume(Channel ch) {
    if (paused.remove(ch)) {
      ch.eventLoop().execute(() -> ch.config().setAutoRead(true));
    }
  }
}
