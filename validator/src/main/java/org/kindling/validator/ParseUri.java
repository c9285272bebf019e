package org.kindling.validator;

import org.kindling.core.Attributes;
import org.kindling.core.SubmitUri;

/**
 * Step 1: reads the document's identity from the {@code uri} attribute with {@link SubmitUri} (the
 * rules the edge applies too): namespace, type, version (generic form) or the {@code app_*} parts
 * (telemetry form, whose version {@link ParsePayload} takes from the payload), and the document id
 * in lower case. A missing or invalid URI is error {@code uri}.
 */
public final class ParseUri {
  private static final int MAX_QUOTED = 200;

  /** Adds the URI parts to the submission's attributes. */
  public void apply(Submission s) throws RejectedSubmission {
    parse(s.attribute(Attributes.URI)).putAttributes(s.attributes());
  }

  /** The parsed {@code uri}, or error {@code uri}. */
  public static SubmitUri parse(String uri) throws RejectedSubmission {
    if (uri == null) {
      throw new RejectedSubmission(ErrorTypes.URI, "missing uri attribute");
    }
    try {
      return SubmitUri.parse(uri);
    } catch (SubmitUri.InvalidException e) {
      String quoted = uri.length() <= MAX_QUOTED ? uri : uri.substring(0, MAX_QUOTED) + "...";
      throw new RejectedSubmission(ErrorTypes.URI, e.getMessage() + ": " + quoted);
    }
  }
}
