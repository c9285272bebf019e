package org.kindling.validator;

/** The {@code error_type} values of the validator's records on {@code ingest.errors}. */
public final class ErrorTypes {
  private ErrorTypes() {}

  /** The URI has neither the generic nor the telemetry shape. */
  public static final String URI = "uri";

  /** The body inflates beyond {@code validator.max.decompressed.bytes}. */
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";

  /** The body starts like gzip but is not a valid gzip stream. */
  public static final String DECOMPRESSION = "decompression";

  /** The body is not one UTF-8 JSON object within the nesting limit. */
  public static final String JSON_PARSE = "json_parse";

  /** No schema for the document's namespace, type and version. */
  public static final String SCHEMA_NOT_FOUND = "schema_not_found";

  /**
   * A valid document larger than the pipeline carries ({@code RecordLimits.maxDocumentBytes}, from
   * {@code topics.max.message.bytes}); its bytes are kept.
   */
  public static final String DOCUMENT_TOO_LARGE = "document_too_large";

  /** The document violates its schema. */
  public static final String SCHEMA_VALIDATION = "schema_validation";

  /**
   * Received after the last day its doctype collects ({@code
   * mozPipelineMetadata.expiration_policy.collect_through_date}).
   */
  public static final String EXPIRED = "expired";
}
