package org.kindling.core.failure;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One rejected submission on {@code ingest.errors}: the original bytes and attributes, so that it
 * can be replayed after a fix, plus why and where it failed.
 *
 * @param payload the original body as the failing stage received it (for the validator, the raw
 *     request body, possibly gzip)
 * @param attributes the submission's attributes at the time of failure
 * @param errorType a short snake_case class of failure ({@code json_parse}, {@code
 *     schema_validation}, ...), used for metrics, partitioning of the errors lake and replay
 * @param errorMessage a human-readable reason
 * @param exceptionClass the Java exception class behind the failure, or null
 * @param stage the stage that rejected the record ({@code validator}, {@code geo-enricher}, ...)
 * @param failedAt when the stage rejected it
 */
public record FailureRecord(
    byte[] payload,
    Map<String, String> attributes,
    String errorType,
    String errorMessage,
    String exceptionClass,
    String stage,
    Instant failedAt) {

  public FailureRecord {
    Objects.requireNonNull(errorType, "errorType");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(failedAt, "failedAt");
    payload = payload == null ? new byte[0] : payload;
    attributes =
        attributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** A failure caused by an exception. */
  public static FailureRecord of(
      byte[] payload,
      Map<String, String> attributes,
      String errorType,
      Throwable cause,
      String stage,
      Instant failedAt) {
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return new FailureRecord(
        payload, attributes, errorType, message, cause.getClass().getName(), stage, failedAt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FailureRecord f
        && Arrays.equals(payload, f.payload)
        && attributes.equals(f.attributes)
        && errorType.equals(f.errorType)
        && Objects.equals(errorMessage, f.errorMessage)
        && Objects.equals(exceptionClass, f.exceptionClass)
        && stage.equals(f.stage)
        && failedAt.equals(f.failedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(payload), attributes, errorType, errorMessage, stage, failedAt);
  }

  @Override
  public String toString() {
    return "FailureRecord[errorType="
        + errorType
        + ", stage="
        + stage
        + ", errorMessage="
        + errorMessage
        + ", payloadBytes="
        + payload.length
        + "]";
  }
}
