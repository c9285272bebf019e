package org.kindling.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.failure.FailureRecord;

/**
 * An error record as destinations that take JSON see it: why and where it failed, its attributes
 * (never a client address: {@link ReadRecord} removed them) and the original payload in base64.
 */
public final class ErrorJson {
  private ErrorJson() {}

  /** The JSON object of an error record. */
  public static ObjectNode of(ExportRecord r) {
    FailureRecord f = r.failure();
    ObjectNode n = Json.mapper().createObjectNode();
    n.put(Attributes.DOCUMENT_ID, r.attribute(Attributes.DOCUMENT_ID));
    n.put("stage", f.stage());
    n.put("error_type", f.errorType());
    n.put("error_message", f.errorMessage());
    n.put("exception_class", f.exceptionClass());
    n.put("failed_at", f.failedAt().toString());
    ObjectNode attrs = n.putObject("attributes");
    r.attributes().forEach(attrs::put);
    n.put("payload_base64", Base64.getEncoder().encodeToString(f.payload()));
    return n;
  }
}
