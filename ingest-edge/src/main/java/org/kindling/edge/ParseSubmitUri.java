package org.kindling.edge;

import java.util.regex.Pattern;

/**
 * Checks the shape of a submission URI. The edge parses nothing else of a request: the validator
 * re-parses the URI into attributes; the edge only refuses what can never be valid and takes the
 * document id as the record key.
 *
 * <ul>
 *   <li>{@code /submit/<namespace>/<document_type>/<document_version>/<document_id>}
 *   <li>{@code
 *       /submit/telemetry/<document_id>/<document_type>/<app_name>/<app_version>/<app_update_channel>/<app_build_id>}
 * </ul>
 *
 * <p>A path outside {@code /submit/} or with the wrong number of segments is "not found" (404); the
 * right shape with an invalid part (document id not a UUID, namespace with other characters, a
 * version that is not a number) is "bad request" (400).
 */
public final class ParseSubmitUri {
  /** The common prefix of submission paths. */
  public static final String PREFIX = "/submit/";

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]+");
  private static final Pattern VERSION = Pattern.compile("[0-9]+");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  // App name, version, channel and build id of the telemetry form: "Firefox", "121.0a1",
  // "nightly-cck-foo", "20231120093722".
  private static final Pattern APP_PART = Pattern.compile("[a-zA-Z0-9_.+-]{1,100}");
  private static final int MAX_NAME = 100;

  private ParseSubmitUri() {}

  /**
   * A submission URI that has the right shape.
   *
   * @param namespace document namespace ({@code telemetry} for the telemetry form)
   * @param documentType document type
   * @param documentVersion document version, or null for the telemetry form
   * @param documentId document id (a UUID, as sent)
   */
  public record SubmitUri(
      String namespace, String documentType, String documentVersion, String documentId) {}

  /** A URI that is not a valid submission URI, with the HTTP status and a short reason. */
  public static final class InvalidUriException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    InvalidUriException(int status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }

    /** 404 (wrong shape) or 400 (invalid part). */
    public int status() {
      return status;
    }
  }

  /** Whether {@code path} is in the submission area (so a wrong method is 405, not 404). */
  public static boolean isSubmitPath(String path) {
    return path.startsWith(PREFIX) || path.equals("/submit");
  }

  /**
   * Parses a request path (without query string).
   *
   * @throws InvalidUriException with status 404 or 400
   */
  public static SubmitUri parse(String path) throws InvalidUriException {
    if (!path.startsWith(PREFIX)) {
      throw new InvalidUriException(404, "not a submission URI");
    }
    String[] parts = path.substring(PREFIX.length()).split("/", -1);
    if (parts.length > 0 && parts[0].equals("telemetry")) {
      if (parts.length != 7) {
        throw new InvalidUriException(
            404,
            "telemetry URI must be /submit/telemetry/<document_id>/<document_type>/<app_name>"
                + "/<app_version>/<app_update_channel>/<app_build_id>");
      }
      requireUuid(parts[1]);
      requireName("document_type", parts[2]);
      for (int i = 3; i < 7; i++) {
        if (!APP_PART.matcher(parts[i]).matches()) {
          throw new InvalidUriException(400, "invalid app part in telemetry URI");
        }
      }
      return new SubmitUri("telemetry", parts[2], null, parts[1]);
    }
    if (parts.length != 4) {
      throw new InvalidUriException(
          404,
          "submission URI must be /submit/<namespace>/<document_type>/<document_version>"
              + "/<document_id>");
    }
    requireName("namespace", parts[0]);
    requireName("document_type", parts[1]);
    if (!VERSION.matcher(parts[2]).matches() || parts[2].length() > 9) {
      throw new InvalidUriException(400, "document_version must be a number");
    }
    requireUuid(parts[3]);
    return new SubmitUri(parts[0], parts[1], parts[2], parts[3]);
  }

  private static void requireName(String what, String value) throws InvalidUriException {
    if (value.length() > MAX_NAME || !NAME.matcher(value).matches()) {
      throw new InvalidUriException(400, what + " must match [a-zA-Z0-9_-]+");
    }
  }

  private static void requireUuid(String value) throws InvalidUriException {
    if (!UUID.matcher(value).matches()) {
      throw new InvalidUriException(400, "document_id must be a UUID");
    }
  }
}
