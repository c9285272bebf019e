package org.kindling.validator;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.kindling.core.Topics;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.RecordLimits;
import org.kindling.schemas.SchemaStore;
import org.kindling.schemas.SchemaValidator;

/**
 * The validator's topology, a pure function of its inputs (no I/O, no threads):
 *
 * <pre>
 * ingest.raw ─> validate (ParseUri, DecompressPayload, ParsePayload, ValidateSchema,
 *                          ApplyPipelineMetadata)
 *                 ├─ valid ──> deduplicate [dedup-store] ──> ingest.validated
 *                 └─ rejected ─────────────────────────────> ingest.errors (FailureRecord)
 * </pre>
 *
 * Every node and the store are named, so the changelog topic name stays stable across versions.
 */
public final class ValidatorTopology {
  private ValidatorTopology() {}

  static final String SOURCE = "raw-source";
  static final String VALIDATE = "validate";
  static final String DEDUPLICATE = "deduplicate";
  static final String VALIDATED_SINK = "validated-sink";
  static final String ERRORS_SINK = "errors-sink";

  /**
   * @param config the configuration ({@code validator.*} keys)
   * @param schemas the schemas to validate against
   * @param registry where the counters go (see {@link ValidatorMetrics})
   */
  public static Topology build(KindlingConfig config, SchemaStore schemas, MeterRegistry registry) {
    return build(config, () -> schemas, new SchemaValidator(), registry);
  }

  /**
   * As {@link #build(KindlingConfig, SchemaStore, MeterRegistry)}, validating against the schema
   * set {@code schemas} returns at each submission (a set that is replaced while the app runs).
   *
   * @param validator compiles the schemas when first used
   */
  public static Topology build(
      KindlingConfig config,
      Supplier<SchemaStore> schemas,
      SchemaValidator validator,
      MeterRegistry registry) {
    ValidationSteps steps = ValidationSteps.of(config, schemas, validator);
    ValidatorMetrics metrics = new ValidatorMetrics(registry, schemas);
    java.time.Duration window = config.getDuration(ValidatorConfig.DEDUP_WINDOW);
    Topology t = new Topology();
    t.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), Topics.RAW.name());
    t.addProcessor(
        VALIDATE,
        () ->
            new ValidateProcessor(
                steps, RecordLimits.maxDocumentBytes(config), metrics, DEDUPLICATE, ERRORS_SINK),
        SOURCE);
    t.addProcessor(DEDUPLICATE, () -> new Deduplicate(window, metrics), VALIDATE);
    t.addStateStore(Deduplicate.storeBuilder(window), DEDUPLICATE);
    t.addSink(
        VALIDATED_SINK,
        Topics.VALIDATED.name(),
        new StringSerializer(),
        new ByteArraySerializer(),
        DEDUPLICATE);
    t.addSink(
        ERRORS_SINK,
        Topics.ERRORS.name(),
        new StringSerializer(),
        new ByteArraySerializer(),
        VALIDATE);
    return t;
  }
}
