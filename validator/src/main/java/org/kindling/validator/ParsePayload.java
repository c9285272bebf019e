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
 * <p>For the telemetry URI form, which has no version, it also sets {@code document_version}: the
 * payload's top-level integer {@code version} when present, otherwise the configured default.
 */
public final class ParsePayload {
  private final int telemetryDefaultVersion;

  /**
   * @param telemetryDefaultVersion the version of a telemetry document without a numeric {@code
   *     version} field
   */
  public ParsePayload(int telemetryDefaultVersion) {
    this.telemetryDefaultVersion = telemetryDefaultVersion;
  }

  public void apply(Submission s) throws RejectedSubmission {
    JsonNode doc = parse(s.decoded());
    s.document(doc);
    if (SubmitUri.TELEMETRY.equals(s.attribute(Attributes.DOCUMENT_NAMESPACE))
        && s.attribute(Attributes.DOCUMENT_VERSION) == null) {
      JsonNode v = doc.get("version");
      int version =
          v != null && v.canConvertToExactIntegral() && v.canConvertToInt() && v.asInt() > 0
              ? v.asInt()
              : telemetryDefaultVersion;
      s.attributes().put(Attributes.DOCUMENT_VERSION, Integer.toString(version));
    }
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
