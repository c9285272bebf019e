package org.kindling.geo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.kindling.core.Attributes;
import org.kindling.core.CapturedHeader;

/**
 * Adds the enriched fields to a document (record contract, {@code ingest.enriched}): {@code
 * submission_timestamp} (truncated to the doctype's {@code submission_timestamp_granularity}),
 * {@code document_id}, {@code sample_id} (when there is a UUID to hash), Mozilla's {@code
 * normalized_channel}, {@code normalized_os}, {@code normalized_os_version}, {@code
 * normalized_app_name} and {@code normalized_country_code} ({@link DecoderAttributes}), and {@code
 * metadata} with {@code geo}, {@code user_agent}, {@code header} and {@code uri}. The doctype's
 * {@code override_attributes} apply to the geo, user-agent and normalized values. Fields of the
 * same name in the document are replaced. Absent values are written as JSON null, so every enriched
 * document has the same shape.
 */
public final class AddMetadata {
  private AddMetadata() {}

  private static final List<String> URI_ATTRIBUTES =
      List.of(
          Attributes.DOCUMENT_NAMESPACE,
          Attributes.DOCUMENT_TYPE,
          Attributes.DOCUMENT_VERSION,
          Attributes.APP_NAME,
          Attributes.APP_VERSION,
          Attributes.APP_UPDATE_CHANNEL,
          Attributes.APP_BUILD_ID);

  /**
   * What was written, for the headers and counters of the record: the values after the doctype's
   * overrides.
   *
   * @param geo the geo answer as stored
   * @param userAgent the user agent as stored
   * @param decoded the decoder attributes
   * @param submissionTimestamp the submission timestamp as stored
   */
  public record Result(
      Geo geo, UserAgentInfo userAgent, DecoderAttributes decoded, String submissionTimestamp) {}

  /**
   * Adds the fields to {@code document} in place.
   *
   * @param geo the geo answer of the client address
   * @param userAgent the parsed User-Agent
   * @throws IllegalArgumentException when the pipeline metadata attributes are malformed
   */
  public static Result apply(
      ObjectNode document, Map<String, String> attributes, Geo geo, UserAgentInfo userAgent) {
    PipelineSettings settings = PipelineSettings.of(attributes);
    DecoderAttributes d = DecoderAttributes.of(document, attributes, geo.country(), settings);
    Geo g = settings.apply(geo);
    UserAgentInfo ua = settings.apply(userAgent);
    String timestamp = settings.storedTimestamp(attributes.get(Attributes.SUBMISSION_TIMESTAMP));

    document.put("submission_timestamp", timestamp);
    document.put("document_id", attributes.get(Attributes.DOCUMENT_ID));
    if (d.sampleId() != null) {
      document.put("sample_id", d.sampleId());
    } else {
      document.remove("sample_id");
    }
    document.put("normalized_country_code", d.normalizedCountryCode());
    document.put("normalized_channel", d.normalizedChannel());
    document.put("normalized_os", d.normalizedOs());
    document.put("normalized_os_version", d.normalizedOsVersion());
    document.put("normalized_app_name", d.normalizedAppName());
    ObjectNode metadata = document.putObject("metadata");
    ObjectNode geoNode = metadata.putObject("geo");
    geoNode.put("country", g.country());
    geoNode.put("continent", g.continent());
    geoNode.put("subdivision1", g.subdivision1());
    geoNode.put("subdivision2", g.subdivision2());
    geoNode.put("city", g.city());
    geoNode.put("latitude", g.latitude());
    geoNode.put("longitude", g.longitude());
    geoNode.put("db_version", g.dbVersion());
    ObjectNode uaNode = metadata.putObject("user_agent");
    uaNode.put("browser", ua.browser());
    uaNode.put("version", ua.version());
    uaNode.put("os", ua.os());
    ObjectNode header = metadata.putObject("header");
    for (CapturedHeader h : CapturedHeader.inMetadataHeaders()) {
      header.put(h.attribute(), attributes.get(h.attribute()));
    }
    ObjectNode uri = metadata.putObject("uri");
    for (String name : URI_ATTRIBUTES) {
      uri.put(name, attributes.get(name));
    }
    return new Result(g, ua, d, timestamp);
  }
}
