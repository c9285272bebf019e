package org.kindling.platform.local;

import java.util.List;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.ConfigModule;
import org.kindling.core.config.ConfigType;

/** Keys of {@code kindling local}: which pieces run embedded and where their data lives. */
public final class LocalConfig implements ConfigModule {
  public static final String DATA_DIR = "local.data.dir";
  public static final String KAFKA_EMBEDDED = "local.kafka.embedded";
  public static final String KAFKA_PORT = "local.kafka.port";
  public static final String S3_EMBEDDED = "local.s3.embedded";
  public static final String S3_PORT = "local.s3.port";
  public static final String DASHBOARD_ENABLED = "local.dashboard.enabled";
  public static final String DASHBOARD_PORT = "local.dashboard.port";
  public static final String DASHBOARD_DIR = "local.dashboard.dir";
  public static final String EDGE_ENABLED = "local.edge.enabled";
  public static final String VALIDATOR_ENABLED = "local.validator.enabled";
  public static final String GEO_ENABLED = "local.geo.enabled";
  public static final String SINK_ENABLED = "local.sink.enabled";

  @Override
  public String title() {
    return "Local mode (kindling local)";
  }

  @Override
  public List<ConfigKey> keys() {
    return List.of(
        ConfigKey.of(
            DATA_DIR,
            ConfigType.PATH,
            "data",
            "Where local mode keeps Kafka's log (kafka/), the S3 objects (s3/), Streams state"
                + " (streams/) and the edge spool (spool/); kept across restarts."),
        ConfigKey.of(
            KAFKA_EMBEDDED,
            ConfigType.BOOLEAN,
            "true",
            "Run a single-node KRaft broker in the JVM. false: use kafka.bootstrap.servers."),
        ConfigKey.intRange(
            KAFKA_PORT, "9092", 0, 65535, "Client port of the embedded broker (Kafka's usual)."),
        ConfigKey.of(
            S3_EMBEDDED,
            ConfigType.BOOLEAN,
            "true",
            "Run an S3 API server (S3Proxy, filesystem backend) in the JVM. false: use"
                + " s3.endpoint / AWS."),
        ConfigKey.intRange(
            S3_PORT, "9000", 0, 65535, "Port of the embedded S3 server (MinIO's usual)."),
        ConfigKey.of(
            DASHBOARD_ENABLED, ConfigType.BOOLEAN, "true", "Serve the Glow dashboard page."),
        ConfigKey.intRange(
            DASHBOARD_PORT, "8088", 0, 65535, "Port of the dashboard's static file server."),
        ConfigKey.of(
            DASHBOARD_DIR,
            ConfigType.PATH,
            "dashboard",
            "Directory holding the dashboard page (the repository's dashboard/)."),
        ConfigKey.of(EDGE_ENABLED, ConfigType.BOOLEAN, "true", "Run the HTTP edge."),
        ConfigKey.of(VALIDATOR_ENABLED, ConfigType.BOOLEAN, "true", "Run the validator."),
        ConfigKey.of(GEO_ENABLED, ConfigType.BOOLEAN, "true", "Run the geo-enricher."),
        ConfigKey.of(SINK_ENABLED, ConfigType.BOOLEAN, "true", "Run the s3-sink."));
  }
}
