package org.kindling.geo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.kindling.core.Attributes;
import org.kindling.core.CapturedHeader;

/**
 * Adds the enriched fields to a document (record contract, {@code ingest.enriched}): {@code
 * submission_timestamp}, {@code document_id}, {@code normalized_country_code}, {@code sample_id}
 * (when the document has a client id) and {@code metadata} with {@code geo}, {@code user_agent},
 * {@code header} and {@code uri}. Fields of the same name in the document are replaced. Absent
 * values are written as JSON null, so every enriched document has the same shape.
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

  /** Adds the fields to {@code document} in place. */
  public static void apply(
      ObjectNode document, Map<String, String> attributes, Geo geo, UserAgentInfo userAgent) {
    document.put("submission_timestamp", attributes.get(Attributes.SUBMISSION_TIMESTAMP));
    document.put("document_id", attributes.get(Attributes.DOCUMENT_ID));
    document.put("normalized_country_code", geo.country());
    Integer sampleId = sampleId(document);
    if (sampleId != null) {
      document.put("sample_id", sampleId);
    } else {
      document.remove("sample_id");
    }
    ObjectNode metadata = document.putObject("metadata");
    ObjectNode g = metadata.putObject("geo");
    g.put("country", geo.country());
    g.put("continent", geo.continent());
    g.put("subdivision1", geo.subdivision1());
    g.put("subdivision2", geo.subdivision2());
    g.put("city", geo.city());
    g.put("latitude", geo.latitude());
    g.put("longitude", geo.longitude());
    g.put("db_version", geo.dbVersion());
    ObjectNode ua = metadata.putObject("user_agent");
    ua.put("browser", userAgent.browser());
    ua.put("version", userAgent.version());
    ua.put("os", userAgent.os());
    ObjectNode header = metadata.putObject("header");
    for (CapturedHeader h : CapturedHeader.inMetadataHeaders()) {
      header.put(h.attribute(), attributes.get(h.attribute()));
    }
    ObjectNode uri = metadata.putObject("uri");
    for (String name : URI_ATTRIBUTES) {
      uri.put(name, attributes.get(name));
    }
  }

  /**
   * {@code crc32(client id as UTF-8) % 100}, from {@code client_id}, {@code clientId} or {@code
   * client_info.client_id} (the first that is a string), or null when the document has none.
   */
  public static Integer sampleId(JsonNode document) {
    String clientId = text(document.get("client_id"));
    if (clientId == null) {
      clientId = text(document.get("clientId"));
    }
    if (clientId == null) {
      JsonNode info = document.get("client_info");
      clientId = info == null ? null : text(info.get("client_id"));
    }
    if (clientId == null) {
      return null;
    }
    CRC32 crc = new CRC32();
    crc.update(clientId.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % 100);
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
