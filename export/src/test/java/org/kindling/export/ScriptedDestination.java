package org.kindling.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A destination whose answers a test scripts: a queue of outcomes, then a rule for every further
 * batch. It records the ids of each batch it was sent.
 */
final class ScriptedDestination implements Destination {
  final Deque<Outcome> script = new ArrayDeque<>();
  Function<List<Item>, Outcome> otherwise = b -> Outcome.DELIVERED;
  final List<List<String>> sent = new ArrayList<>();

  @Override
  public String target() {
    return "scripted";
  }

  @Override
  public byte[] encode(ExportRecord record) throws UnencodableException {
    if (record.document() == null) {
      throw new UnencodableException("not a document");
    }
    return record.id().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized Outcome send(List<Item> batch) {
    sent.add(batch.stream().map(i -> i.record().id()).toList());
    Outcome o = script.poll();
    return o != null ? o : otherwise.apply(batch);
  }
}
