package org.kindling.validator;

import java.util.Map;
import org.kindling.core.Attributes;

/**
 * Step 1: reads the document's identity from the {@code uri} attribute. Two shapes are accepted:
 *
 * <ul>
 *   <li>{@code /submit/<namespace>/<document_type>/<document_version>/<document_id>} (Glean, Glow,
 *       service events);
 *   <li>{@code
 *       /submit/telemetry/<document_id>/<document_type>/<app_name>/<app_version>/<app_update_channel>/<app_build_id>}
 *       (Firefox desktop). This form carries no version: {@link ParsePayload} sets {@code
 *       document_version} from the payload's top-level {@code version}, or the configured default.
 * </ul>
 *
 * Any other shape, an empty segment or a character outside {@code [A-Za-z0-9._~-]} (plus {@code +:}
 * in app fields) is error {@code uri}. A query string is ignored.
 */
public final class ParseUri {
  /** The namespace whose URIs have the telemetry shape. */
  public static final String TELEMETRY = "telemetry";

  private static final String PREFIX = "/submit/";
  private static final int MAX_SEGMENT = 128;

  /** Adds the URI parts to the submission's attributes. */
  public void apply(Submission s) throws RejectedSubmission {
    parse(s.attribute(Attributes.URI), s.attributes());
  }

  /** Parses {@code uri} and puts its parts into {@code out}. */
  public static void parse(String uri, Map<String, String> out) throws RejectedSubmission {
    if (uri == null) {
      throw new RejectedSubmission(ErrorTypes.URI, "missing uri attribute");
    }
    String path = uri;
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    if (!path.startsWith(PREFIX)) {
      throw unknown(uri);
    }
    String rest = path.substring(PREFIX.length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    String[] p = rest.split("/", -1);
    if (p.length == 7 && TELEMETRY.equals(p[0])) {
      for (int i = 1; i < p.length; i++) {
        check(p[i], i >= 3, uri);
      }
      out.put(Attributes.DOCUMENT_NAMESPACE, TELEMETRY);
      out.put(Attributes.DOCUMENT_ID, p[1]);
      out.put(Attributes.DOCUMENT_TYPE, p[2]);
      out.put(Attributes.APP_NAME, p[3]);
      out.put(Attributes.APP_VERSION, p[4]);
      out.put(Attributes.APP_UPDATE_CHANNEL, p[5]);
      out.put(Attributes.APP_BUILD_ID, p[6]);
      return;
    }
    if (p.length == 4 && !TELEMETRY.equals(p[0])) {
      for (String segment : p) {
        check(segment, false, uri);
      }
      if (!isDigits(p[2])) {
        throw new RejectedSubmission(
            ErrorTypes.URI, "document version is not a number in uri " + abbreviate(uri));
      }
      out.put(Attributes.DOCUMENT_NAMESPACE, p[0]);
      out.put(Attributes.DOCUMENT_TYPE, p[1]);
      out.put(Attributes.DOCUMENT_VERSION, p[2]);
      out.put(Attributes.DOCUMENT_ID, p[3]);
      return;
    }
    throw unknown(uri);
  }

  private static void check(String segment, boolean appField, String uri)
      throws RejectedSubmission {
    if (segment.isEmpty() || segment.length() > MAX_SEGMENT) {
      throw new RejectedSubmission(
          ErrorTypes.URI, "empty or overlong path segment in uri " + abbreviate(uri));
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-'
              || c == '~'
              || (appField && (c == '+' || c == ':'));
      if (!ok) {
        throw new RejectedSubmission(
            ErrorTypes.URI, "unexpected character in uri " + abbreviate(uri));
      }
    }
  }

  private static boolean isDigits(String s) {
    if (s.length() > 9) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static RejectedSubmission unknown(String uri) {
    return new RejectedSubmission(
        ErrorTypes.URI,
        "unknown uri shape (expected /submit/<namespace>/<type>/<version>/<id> or"
            + " /submit/telemetry/<id>/<type>/<app_name>/<app_version>/<channel>/<build_id>): "
            + abbreviate(uri));
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
