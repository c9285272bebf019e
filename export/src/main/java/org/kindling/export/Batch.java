package org.kindling.export;

import java.util.List;

/**
 * A sealed batch: the items to send together and the bytes their encoded parts take.
 *
 * @param items the items, in the order they were read
 * @param bytes the sum of their {@link Item#size()}
 */
public record Batch(List<Item> items, long bytes) {
  public Batch {
    items = List.copyOf(items);
  }

  public int size() {
    return items.size();
  }
}
