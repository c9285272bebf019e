package org.kindling.validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.SubmitUri;

/**
 * Step 3: parses the decoded body as one UTF-8 JSON object with the shared mapper (nesting limit
 * {@link Json#MAX_NESTING_DEPTH}, no trailing tokens). Anything else is {@code json_parse}.
 *
 * <p>For the telemetry URI form, which has no version, it also sets {@code document_version} as
 * Mozilla's decoder does: from the payload's top-level {@code version}, or else {@code v} (the
 * mobile {@code core} ping), whichever is a value (a number or a string, taken as its text). A
 * telemetry ping with neither is {@code schema_not_found}, unless {@code
 * validator.telemetry.default.version} is set for old clients.
 */
public final class ParsePayload {
  private final Integer telemetryDefaultVersion;

  /**
   * @param telemetryDefaultVersion the version of a telemetry document with neither {@code version}
   *     nor {@code v}, or null: such a document is {@code schema_not_found}
   */
  public ParsePayload(Integer telemetryDefaultVersion) {
    this.telemetryDefaultVersion = telemetryDefaultVersion;
  }

  public void apply(Submission s) throws RejectedSubmission {
    JsonNode doc = parse(s.decoded());
    s.document(doc);
    if (SubmitUri.TELEMETRY.equals(s.attribute(Attributes.DOCUMENT_NAMESPACE))
        && s.attribute(Attributes.DOCUMENT_VERSION) == null) {
      String version = telemetryVersion(doc);
      if (version == null && telemetryDefaultVersion != null) {
        version = telemetryDefaultVersion.toString();
      }
      if (version == null) {
        throw new RejectedSubmission(
            ErrorTypes.SCHEMA_NOT_FOUND,
            "telemetry ping without a top-level \"version\" or \"v\": its schema version is"
                + " unknown");
      }
      s.attributes().put(Attributes.DOCUMENT_VERSION, version);
    }
  }

  /**
   * The text of the first of {@code version} and {@code v} that is a value (not an object or array;
   * JSON null counts, as in Mozilla's decoder, and then finds no schema), or null.
   */
  static String telemetryVersion(JsonNode doc) {
    for (String field : new String[] {"version", "v"}) {
      JsonNode v = doc.get(field);
      if (v != null && v.isValueNode()) {
        return v.asText();
      }
    }
    return null;
  }

  /** The JSON object in {@code bytes}. */
  public static JsonNode parse(byte[] bytes) throws RejectedSubmission {
    if (bytes.length == 0) {
      throw new RejectedSubmission(ErrorTypes.JSON_PARSE, "empty payload");
    }
    // Jackson would guess UTF-16/32 from zero bytes; the contract is UTF-8 only.
    for (int i = 0; i < Math.min(4, bytes.length); i++) {
      if (bytes[i] == 0) {
        throw new RejectedSubmission(ErrorTypes.JSON_PARSE, "payload is not UTF-8");
      }
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new RejectedSubmission(ErrorTypes.JSON_PARSE, e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new RejectedSubmission(ErrorTypes.JSON_PARSE, e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new RejectedSubmission(
          ErrorTypes.JSON_PARSE,
          "payload is not a JSON object but "
              + (node == null || node.isMissingNode() ? "empty" : node.getNodeType()));
    }
    return node;
  }
}
