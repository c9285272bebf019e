package org.kindling.platform.simulate;

import java.util.Map;

/**
 * One HTTP submission the simulator sends, and what the pipeline should make of it.
 *
 * @param kind the traffic kind (download, share, telemetry, glean, service, invalid, duplicate)
 * @param path the request path, {@code /submit/...}
 * @param body the request body (gzip for some telemetry pings)
 * @param headers extra request headers
 * @param table the lake table a valid submission lands in ({@code glow_download_v1}), or null
 * @param country the country of the client address (what the geo-enricher should find)
 */
public record Submission(
    String kind,
    String path,
    byte[] body,
    Map<String, String> headers,
    String table,
    String country) {

  /** What the pipeline does with an accepted submission of this kind. */
  public Outcome expected() {
    if ("duplicate".equals(kind)) {
      return Outcome.DUPLICATE;
    }
    return table == null ? Outcome.ERROR : Outcome.LAKE;
  }

  /** Where an accepted submission ends up. */
  public enum Outcome {
    LAKE,
    ERROR,
    DUPLICATE
  }
}
