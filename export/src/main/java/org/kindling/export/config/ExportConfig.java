package org.kindling.export.config;

import java.util.List;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.ConfigModule;
import org.kindling.core.config.ConfigType;

/**
 * Keys of the export stage ({@code export.*}). Destinations are named in {@value #DESTINATIONS};
 * each one's own settings live under {@code export.destination.<name>.}, a pass-through family for
 * the core configuration that {@link ParseDestinations} checks key by key against {@link
 * DestinationKeys} at start-up, so a typo there fails like any other unknown key.
 */
public final class ExportConfig implements ConfigModule {
  public static final String DESTINATIONS = "export.destinations";
  public static final String DESTINATION_PREFIX = "export.destination.";
  public static final String SHUTDOWN_TIMEOUT = "export.shutdown.timeout";

  @Override
  public String title() {
    return "Export (destinations)";
  }

  @Override
  public List<ConfigKey> keys() {
    return List.of(
        ConfigKey.of(
            DESTINATIONS,
            ConfigType.LIST,
            "",
            "Names of the destinations `kindling export` delivers to, each configured under"
                + " export.destination.<name>.* and read with its own consumer group"
                + " export-<name>. A name is lower-case letters and digits, starting with a"
                + " letter, so that it maps onto environment variables. Empty: no destinations."),
        ConfigKey.prefix(
            DESTINATION_PREFIX,
            "Settings of one destination, export.destination.<name>.<key>: type (influxdb,"
                + " webhook, amplitude, log), filter, batching, retries and the type's own keys."
                + " The keys and their defaults are listed in export/README.md; an unknown one or"
                + " a bad value stops start-up like any other key."),
        ConfigKey.positive(
            SHUTDOWN_TIMEOUT,
            ConfigType.DURATION,
            "20s",
            "On a graceful stop, how long the destinations may take to finish the batches in"
                + " flight (and commit them) before these are abandoned; abandoned batches are"
                + " sent again by the next start, since their offsets were not committed."));
  }
}
