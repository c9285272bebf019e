package org.kindling.validator;

import java.util.Map;
import org.kindling.core.config.KindlingConfig;
import org.kindling.schemas.SchemaStore;
import org.kindling.schemas.SchemaValidator;

/**
 * Steps 1 to 4 in order ({@link ParseUri}, {@link DecompressPayload}, {@link ParsePayload}, {@link
 * ValidateSchema}): everything the validator does to one submission that needs no state. Shared by
 * the Streams topology, {@code kindling validate} and the benchmark. Thread-safe.
 */
public final class ValidationSteps {
  private final ParseUri parseUri = new ParseUri();
  private final DecompressPayload decompress;
  private final ParsePayload parsePayload;
  private final ValidateSchema validateSchema;

  public ValidationSteps(
      SchemaValidator validator, long maxDecompressedBytes, int telemetryVersion, int violations) {
    this.decompress = new DecompressPayload(maxDecompressedBytes);
    this.parsePayload = new ParsePayload(telemetryVersion);
    this.validateSchema = new ValidateSchema(validator, violations);
  }

  /** Steps configured from {@code validator.*} keys, validating against {@code store}. */
  public static ValidationSteps of(KindlingConfig config, SchemaStore store) {
    return new ValidationSteps(
        new SchemaValidator(store).precompile(),
        config.getSize(ValidatorConfig.MAX_DECOMPRESSED_BYTES),
        config.getInt(ValidatorConfig.TELEMETRY_DEFAULT_VERSION),
        config.getInt(ValidatorConfig.MAX_VIOLATIONS));
  }

  /** Runs all four steps; the returned submission has its attributes, document and schema. */
  public Submission apply(byte[] raw, Map<String, String> attributes) throws RejectedSubmission {
    Submission s = new Submission(raw, attributes);
    apply(s);
    return s;
  }

  /** Runs all four steps on {@code s}. */
  public void apply(Submission s) throws RejectedSubmission {
    parseUri.apply(s);
    decompress.apply(s);
    parsePayload.apply(s);
    validateSchema.apply(s);
  }
}
