package org.kindling.validator;

import java.util.Map;
import java.util.function.Supplier;
import org.kindling.core.config.KindlingConfig;
import org.kindling.schemas.SchemaStore;
import org.kindling.schemas.SchemaValidator;

/**
 * Steps 1 to 5 in order ({@link ParseUri}, {@link DecompressPayload}, {@link ParsePayload}, {@link
 * ValidateSchema}, {@link ApplyPipelineMetadata}): everything the validator does to one submission
 * that needs no state. Shared by the Streams topology, {@code kindling validate} and the benchmark.
 * Thread-safe.
 */
public final class ValidationSteps {
  private final ParseUri parseUri = new ParseUri();
  private final DecompressPayload decompress;
  private final ParsePayload parsePayload;
  private final ValidateSchema validateSchema;
  private final ApplyPipelineMetadata pipelineMetadata = new ApplyPipelineMetadata();

  /**
   * @param schemas the schema set in use (asked per submission)
   * @param validator compiles and applies the schemas
   * @param maxDecompressedBytes the inflation cap
   * @param telemetryVersion the version of telemetry pings without one, or null (refused)
   * @param violations how many violations an error message lists
   */
  public ValidationSteps(
      Supplier<SchemaStore> schemas,
      SchemaValidator validator,
      long maxDecompressedBytes,
      Integer telemetryVersion,
      int violations) {
    this.decompress = new DecompressPayload(maxDecompressedBytes);
    this.parsePayload = new ParsePayload(telemetryVersion);
    this.validateSchema = new ValidateSchema(schemas, validator, violations);
  }

  /**
   * Steps configured from {@code validator.*} keys, validating against the fixed set {@code store}.
   */
  public static ValidationSteps of(KindlingConfig config, SchemaStore store) {
    return of(config, () -> store, new SchemaValidator());
  }

  /** Steps configured from {@code validator.*} keys, validating against the set in use. */
  public static ValidationSteps of(
      KindlingConfig config, Supplier<SchemaStore> schemas, SchemaValidator validator) {
    return new ValidationSteps(
        schemas,
        validator,
        config.getSize(ValidatorConfig.MAX_DECOMPRESSED_BYTES),
        ValidatorConfig.telemetryDefaultVersion(config),
        config.getInt(ValidatorConfig.MAX_VIOLATIONS));
  }

  /** Runs all steps; the returned submission has its attributes, document and schema. */
  public Submission apply(byte[] raw, Map<String, String> attributes) throws RejectedSubmission {
    Submission s = new Submission(raw, attributes);
    apply(s);
    return s;
  }

  /** Runs all steps on {@code s}. */
  public void apply(Submission s) throws RejectedSubmission {
    parseUri.apply(s);
    decompress.apply(s);
    parsePayload.apply(s);
    validateSchema.apply(s);
    pipelineMetadata.apply(s);
  }
}
