package org.kindling.export.config;

import java.util.Arrays;
import java.util.List;

/** The kinds of destination, by their {@code type} value. */
public enum DestinationType {
  INFLUXDB("influxdb"),
  WEBHOOK("webhook"),
  AMPLITUDE("amplitude"),
  LOG("log");

  private final String id;

  DestinationType(String id) {
    this.id = id;
  }

  /** The value of the {@code type} key. */
  public String id() {
    return id;
  }

  /** The type of that id, or null. */
  public static DestinationType of(String id) {
    for (DestinationType t : values()) {
      if (t.id.equals(id)) {
        return t;
      }
    }
    return null;
  }

  /** Every id, for messages and the key reference. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(DestinationType::id).toList();
  }

  @Override
  public String toString() {
    return id;
  }
}
