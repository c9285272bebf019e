package org.kindling.export;

import java.util.List;

/**
 * What a configured destination is, for the start-up banner and logs.
 *
 * @param name its name
 * @param type its type ({@code influxdb}, ...)
 * @param target where it delivers, without credentials
 * @param group its consumer group
 * @param topics the topics it reads
 */
public record DestinationInfo(
    String name, String type, String target, String group, List<String> topics) {
  @Override
  public String toString() {
    return name + " (" + type + " -> " + target + ", reads " + String.join(", ", topics) + ")";
  }
}
