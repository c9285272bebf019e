package org.kindling.export;

import java.io.PrintStream;
import java.time.Clock;
import org.kindling.export.amplitude.AmplitudeDestination;
import org.kindling.export.config.DestinationConfig;
import org.kindling.export.influxdb.InfluxDestination;
import org.kindling.export.log.LogDestination;
import org.kindling.export.webhook.WebhookDestination;

/** Builds the destination of a configuration by its type. */
public final class Destinations {
  private Destinations() {}

  /**
   * The destination of {@code c}; fails start-up (a ConfigException naming the key) on a setting
   * its type cannot use.
   *
   * @param stdout where a log destination with log.output=stdout writes
   */
  public static Destination create(DestinationConfig c, Clock clock, PrintStream stdout) {
    return switch (c.type()) {
      case INFLUXDB -> InfluxDestination.create(c, clock);
      case WEBHOOK -> WebhookDestination.create(c, clock);
      case AMPLITUDE -> AmplitudeDestination.create(c, clock);
      case LOG -> LogDestination.create(c, stdout);
    };
  }
}
