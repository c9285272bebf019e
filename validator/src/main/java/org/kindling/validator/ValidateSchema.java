package org.kindling.validator;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.kindling.core.Attributes;
import org.kindling.schemas.SchemaEntry;
import org.kindling.schemas.SchemaStore;
import org.kindling.schemas.SchemaValidator;

/**
 * Step 4: validates the document against the schema of its namespace, type and version in the
 * schema set in use ({@link SchemaStore#resolve}, with the Glean fallback where the set has it). No
 * schema, or one that does not compile, is {@code schema_not_found}; a violation is {@code
 * schema_validation}, whose message lists the first few violations. The set is asked for once per
 * submission, so a set replaced meanwhile applies from the next submission on.
 */
public final class ValidateSchema {
  private final Supplier<SchemaStore> schemas;
  private final SchemaValidator validator;
  private final int maxViolations;

  /**
   * @param schemas the schema set in use
   * @param validator compiles and applies schemas
   * @param maxViolations how many violations the error message lists
   */
  public ValidateSchema(
      Supplier<SchemaStore> schemas, SchemaValidator validator, int maxViolations) {
    this.schemas = schemas;
    this.validator = validator;
    this.maxViolations = maxViolations;
  }

  public void apply(Submission s) throws RejectedSubmission {
    String namespace = s.attribute(Attributes.DOCUMENT_NAMESPACE);
    String type = s.attribute(Attributes.DOCUMENT_TYPE);
    String version = s.attribute(Attributes.DOCUMENT_VERSION);
    Optional<SchemaEntry> entry = schemas.get().resolve(namespace, type, version);
    if (entry.isEmpty()) {
      throw new RejectedSubmission(
          ErrorTypes.SCHEMA_NOT_FOUND,
          "no schema for " + namespace + "/" + type + "/" + type + "." + version);
    }
    s.schema(entry.get());
    List<String> violations;
    try {
      violations = validator.validate(entry.get(), s.document());
    } catch (SchemaValidator.UnusableSchemaException e) {
      throw new RejectedSubmission(ErrorTypes.SCHEMA_NOT_FOUND, e.getMessage());
    }
    if (!violations.isEmpty()) {
      throw new RejectedSubmission(
          ErrorTypes.SCHEMA_VALIDATION, describe(entry.get(), violations, maxViolations));
    }
  }

  /** {@code <schema>: v1; v2; ... (and N more)}. */
  static String describe(SchemaEntry entry, List<String> violations, int max) {
    StringBuilder sb = new StringBuilder(entry.toString()).append(": ");
    int n = Math.min(max, violations.size());
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append("; ");
      }
      sb.append(violations.get(i));
    }
    if (violations.size() > n) {
      sb.append(" (and ").append(violations.size() - n).append(" more)");
    }
    return sb.toString();
  }
}
