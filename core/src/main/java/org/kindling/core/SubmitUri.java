package org.kindling.core;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A submission URI of the record contract, parsed: the one definition of its two forms and of the
 * characters each part may hold, used by the edge (which refuses the rest with 404 or 400), the
 * validator (error type {@code uri}), the simulator and {@code kindling validate}.
 *
 * <ul>
 *   <li>Generic: {@code /submit/<namespace>/<document_type>/<document_version>/<document_id>}
 *       (Glean pings, Glow events, service events);
 *   <li>Firefox desktop telemetry: {@code
 *       /submit/telemetry/<document_id>/<document_type>/<app_name>/<app_version>/<app_update_channel>/<app_build_id>},
 *       which carries no version: the validator takes it from the payload.
 * </ul>
 *
 * <p>Rules: namespace and document type match {@code [a-zA-Z0-9_-]{1,100}}; the version is at most
 * 9 digits; the document id is a UUID (any case; it is kept in lower case, so {@code ABC...} and
 * {@code abc...} are the same document for deduplication and partitioning); the four app parts of
 * the telemetry form match {@code [a-zA-Z0-9_.+-]{1,100}} ({@code Firefox}, {@code 121.0a1}, {@code
 * nightly-cck-foo}, {@code 20231120093722}). A path outside {@code /submit/} or with the wrong
 * number of segments is "not found" (404); the right shape with an invalid part is "bad request"
 * (400). A query string is ignored.
 *
 * @param namespace document namespace ({@value #TELEMETRY} for the telemetry form)
 * @param documentType document type
 * @param documentVersion document version, or null for the telemetry form
 * @param documentId document id, a UUID in lower case
 * @param appName app name of the telemetry form, else null
 * @param appVersion app version of the telemetry form, else null
 * @param appUpdateChannel update channel of the telemetry form, else null
 * @param appBuildId build id of the telemetry form, else null
 */
public record SubmitUri(
    String namespace,
    String documentType,
    String documentVersion,
    String documentId,
    String appName,
    String appVersion,
    String appUpdateChannel,
    String appBuildId) {

  /** The common prefix of submission paths. */
  public static final String PREFIX = "/submit/";

  /** The namespace whose URIs have the telemetry form. */
  public static final String TELEMETRY = "telemetry";

  private static final int MAX_NAME = 100;
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]+");
  private static final Pattern VERSION = Pattern.compile("[0-9]{1,9}");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern APP_PART = Pattern.compile("[a-zA-Z0-9_.+-]{1,100}");

  /** A URI that is not a valid submission URI, with the HTTP status and a short reason. */
  public static final class InvalidException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    InvalidException(int status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }

    /** 404 (wrong shape) or 400 (invalid part). */
    public int status() {
      return status;
    }
  }

  /** A generic-form URI; checked as {@link #parse} checks it. */
  public static SubmitUri generic(String namespace, String type, String version, String id)
      throws InvalidException {
    return parse(PREFIX + namespace + "/" + type + "/" + version + "/" + id);
  }

  /** A telemetry-form URI; checked as {@link #parse} checks it. */
  public static SubmitUri telemetry(
      String id, String type, String appName, String appVersion, String channel, String buildId)
      throws InvalidException {
    return parse(
        PREFIX + String.join("/", TELEMETRY, id, type, appName, appVersion, channel, buildId));
  }

  /** Whether {@code path} is in the submission area (so a wrong method is 405, not 404). */
  public static boolean isSubmitPath(String path) {
    return path.startsWith(PREFIX) || path.equals("/submit");
  }

  /**
   * Parses a request path; a query string ({@code ?...}) is ignored.
   *
   * @throws InvalidException with status 404 or 400 and the reason
   */
  public static SubmitUri parse(String uri) throws InvalidException {
    if (uri == null) {
      throw new InvalidException(404, "missing uri");
    }
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (!path.startsWith(PREFIX)) {
      throw new InvalidException(404, "not a submission URI");
    }
    String[] p = path.substring(PREFIX.length()).split("/", -1);
    if (p[0].equals(TELEMETRY)) {
      if (p.length != 7) {
        throw new InvalidException(
            404,
            "telemetry URI must be /submit/telemetry/<document_id>/<document_type>/<app_name>"
                + "/<app_version>/<app_update_channel>/<app_build_id>");
      }
      String id = requireUuid(p[1]);
      requireName("document_type", p[2]);
      for (int i = 3; i < 7; i++) {
        if (!APP_PART.matcher(p[i]).matches()) {
          throw new InvalidException(400, "invalid app part in telemetry URI");
        }
      }
      return new SubmitUri(TELEMETRY, p[2], null, id, p[3], p[4], p[5], p[6]);
    }
    if (p.length != 4) {
      throw new InvalidException(
          404,
          "submission URI must be /submit/<namespace>/<document_type>/<document_version>"
              + "/<document_id>");
    }
    requireName("namespace", p[0]);
    requireName("document_type", p[1]);
    if (!VERSION.matcher(p[2]).matches()) {
      throw new InvalidException(400, "document_version must be a number");
    }
    return new SubmitUri(p[0], p[1], p[2], requireUuid(p[3]), null, null, null, null);
  }

  private static void requireName(String what, String value) throws InvalidException {
    if (value.length() > MAX_NAME || !NAME.matcher(value).matches()) {
      throw new InvalidException(400, what + " must match [a-zA-Z0-9_-]+");
    }
  }

  private static String requireUuid(String value) throws InvalidException {
    if (!UUID.matcher(value).matches()) {
      throw new InvalidException(400, "document_id must be a UUID");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /** Whether this is the Firefox desktop telemetry form. */
  public boolean isTelemetry() {
    return appName != null;
  }

  /** The path of this URI, with the document id in lower case. */
  public String path() {
    return isTelemetry()
        ? PREFIX
            + String.join(
                "/",
                TELEMETRY,
                documentId,
                documentType,
                appName,
                appVersion,
                appUpdateChannel,
                appBuildId)
        : PREFIX + String.join("/", namespace, documentType, documentVersion, documentId);
  }

  /**
   * Puts the parts as attributes ({@code document_namespace}, {@code document_type}, {@code
   * document_id}, {@code document_version} when the URI has one, the {@code app_*} of the telemetry
   * form).
   */
  public void putAttributes(Map<String, String> attributes) {
    attributes.put(Attributes.DOCUMENT_NAMESPACE, namespace);
    attributes.put(Attributes.DOCUMENT_TYPE, documentType);
    if (documentVersion != null) {
      attributes.put(Attributes.DOCUMENT_VERSION, documentVersion);
    }
    attributes.put(Attributes.DOCUMENT_ID, documentId);
    if (isTelemetry()) {
      attributes.put(Attributes.APP_NAME, appName);
      attributes.put(Attributes.APP_VERSION, appVersion);
      attributes.put(Attributes.APP_UPDATE_CHANNEL, appUpdateChannel);
      attributes.put(Attributes.APP_BUILD_ID, appBuildId);
    }
  }

  @Override
  public String toString() {
    return path();
  }
}
