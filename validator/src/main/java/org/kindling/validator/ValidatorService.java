package org.kindling.validator;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.kindling.core.Service;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.RecordLimits;
import org.kindling.core.kafka.StreamsRunner;
import org.kindling.core.ops.HealthCheck;
import org.kindling.schemas.SchemaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The validator stage: the {@link ValidatorTopology} run by a {@link StreamsRunner}. */
public final class ValidatorService implements Service {
  /** The Streams application.id, the module name. */
  public static final String APPLICATION_ID = "validator";

  private static final Logger LOG = LoggerFactory.getLogger(ValidatorService.class);

  private final KindlingConfig config;
  private final MeterRegistry registry;
  private final SchemaStore schemas;
  private volatile StreamsRunner runner;

  public ValidatorService(KindlingConfig config, MeterRegistry registry) {
    this(config, registry, ValidatorConfig.schemaStore(config));
  }

  /** With an explicit schema store (tests, tools). */
  public ValidatorService(KindlingConfig config, MeterRegistry registry, SchemaStore schemas) {
    this.config = config;
    this.registry = registry;
    this.schemas = schemas;
  }

  @Override
  public String name() {
    return APPLICATION_ID;
  }

  @Override
  public void start() {
    LOG.info(
        "validator: {}; documents up to {} bytes (topics.max.message.bytes {})",
        schemas,
        RecordLimits.maxDocumentBytes(config),
        RecordLimits.maxRecordBytes(config));
    runner =
        new StreamsRunner(
                APPLICATION_ID,
                ValidatorTopology.build(config, schemas, registry),
                KafkaDefaults.streams(config, APPLICATION_ID),
                registry)
            .start(config.getDuration(CoreConfig.STREAMS_START_TIMEOUT));
  }

  /** The running Streams app, or null before {@link #start()}. */
  public StreamsRunner runner() {
    return runner;
  }

  @Override
  public List<HealthCheck> healthChecks() {
    return List.of(StreamsRunner.healthCheck("validator_streams", () -> runner));
  }

  @Override
  public void close() {
    StreamsRunner r = runner;
    if (r != null) {
      r.close();
    }
  }
}
