package org.kindling.validator;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kindling.core.Service;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.RecordLimits;
import org.kindling.core.kafka.StreamsRunner;
import org.kindling.core.ops.HealthCheck;
import org.kindling.schemas.ReloadingSchemaStore;
import org.kindling.schemas.SchemaEntry;
import org.kindling.schemas.SchemaStore;
import org.kindling.schemas.SchemaValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator stage: the {@link ValidatorTopology} run by a {@link StreamsRunner}, validating
 * against the schema set of {@code validator.schemas.dir}, which it watches for deploys ({@link
 * ReloadingSchemaStore}). Before a new set replaces the one in use, the new versions of the schemas
 * the app has been using are compiled, so a deploy that breaks a live doctype is refused and its
 * pings keep validating against the old set.
 */
public final class ValidatorService implements Service {
  /** The Streams application.id, the module name. */
  public static final String APPLICATION_ID = "validator";

  private static final Logger LOG = LoggerFactory.getLogger(ValidatorService.class);

  private final KindlingConfig config;
  private final MeterRegistry registry;
  private final SchemaStore fixed;
  private final SchemaValidator validator = new SchemaValidator();
  private volatile ReloadingSchemaStore schemas;
  private volatile StreamsRunner runner;

  /** The validator on the configured schemas (watched when they are a directory). */
  public ValidatorService(KindlingConfig config, MeterRegistry registry) {
    this(config, registry, null);
  }

  /** With an explicit, fixed schema set (tests, tools); null for the configured one. */
  public ValidatorService(KindlingConfig config, MeterRegistry registry, SchemaStore schemas) {
    this.config = config;
    this.registry = registry;
    this.fixed = schemas;
  }

  @Override
  public String name() {
    return APPLICATION_ID;
  }

  @Override
  public void start() {
    schemas =
        fixed != null
            ? ReloadingSchemaStore.fixed(fixed, APPLICATION_ID, registry)
            : ReloadingSchemaStore.load(
                config.getPath(ValidatorConfig.SCHEMAS_DIR),
                ValidatorConfig.gleanFallback(config),
                APPLICATION_ID,
                registry);
    schemas.withCheck(this::compileSchemasInUse).onReload(validator::retainOnly);
    LOG.info(
        "validator: {}; documents up to {} bytes (topics.max.message.bytes {})",
        schemas.get().summary(),
        RecordLimits.maxDocumentBytes(config),
        RecordLimits.maxRecordBytes(config));
    runner =
        new StreamsRunner(
                APPLICATION_ID,
                ValidatorTopology.build(config, schemas, validator, registry),
                KafkaDefaults.streams(config, APPLICATION_ID),
                registry)
            .start(config.getDuration(CoreConfig.STREAMS_START_TIMEOUT));
    schemas.start(config.getDuration(ValidatorConfig.SCHEMAS_CHECK_INTERVAL));
  }

  /**
   * Compiles the schemas of {@code candidate} that replace ones in use; throws when one does not
   * compile, which refuses the whole set.
   */
  private void compileSchemasInUse(SchemaStore candidate, SchemaStore current) {
    List<String> problems = new ArrayList<>();
    for (SchemaEntry old : current.all()) {
      if (!validator.isCompiled(old)) {
        continue;
      }
      Optional<SchemaEntry> next = candidate.find(old.namespace(), old.type(), old.version());
      if (next.isPresent() && !next.get().validationDigest().equals(old.validationDigest())) {
        String p = validator.check(next.get());
        if (p != null) {
          problems.add(next.get() + ": " + p);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "schemas in use would no longer compile: " + String.join("; ", problems));
    }
  }

  /** The schema set in use, or null before {@link #start()}. */
  public SchemaStore schemas() {
    ReloadingSchemaStore s = schemas;
    return s == null ? null : s.get();
  }

  /** Checks the schema folder for a deploy now (tests; the timer does it every interval). */
  public boolean checkSchemas() {
    ReloadingSchemaStore s = schemas;
    return s != null && s.checkNow();
  }

  /** The running Streams app, or null before {@link #start()}. */
  public StreamsRunner runner() {
    return runner;
  }

  @Override
  public List<HealthCheck> healthChecks() {
    return List.of(
        StreamsRunner.healthCheck("validator_streams", () -> runner),
        new HealthCheck() {
          @Override
          public String name() {
            return "validator_schemas";
          }

          @Override
          public Result check() {
            SchemaStore s = schemas();
            return s == null
                ? Result.failed("not loaded")
                : Result.ok(s.id() + ", " + s.size() + " schemas from " + s.source());
          }
        });
  }

  @Override
  public void close() {
    StreamsRunner r = runner;
    if (r != null) {
      r.close();
    }
    ReloadingSchemaStore s = schemas;
    if (s != null) {
      s.close();
    }
  }
}
