package org.kindling.geo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import org.kindling.core.Attributes;

/**
 * The attributes Mozilla's decoder adds to every ping, with its definitions (gcp-ingestion,
 * ingestion-beam {@code ParsePayload} and {@code NormalizeAttributes}), so that numbers agree
 * across the two pipelines.
 *
 * <ul>
 *   <li>From the payload, by ping shape: a Glean ping's {@code client_info} gives client id, {@code
 *       app_channel}, {@code os} and {@code os_version}; a Firefox desktop ping's {@code
 *       environment.system.os} gives {@code name} and {@code version}; otherwise the top-level
 *       {@code os} and {@code osversion} (mobile {@code core} pings) and {@code release_channel}
 *       (activity-stream). The channel falls back to the URI's {@code app_update_channel}.
 *   <li>The client id is the first of {@code client_info.client_id}, {@code client_id} and {@code
 *       clientId} that is a UUID (curly braces removed), in lower case; it is written back into the
 *       payload in that form, as Mozilla's decoder does.
 *   <li>{@code sample_id}: {@code crc32(uuid as UTF-8) % 100} of the client id, or of the UUID in
 *       the attribute or payload path the doctype's schema names ({@code
 *       sample_id_source_uuid_attribute}, {@code sample_id_source_uuid_payload_path}); absent when
 *       there is no UUID.
 *   <li>{@code normalized_*} ({@link NormalizeAttributes}) of the channel, the OS and its version,
 *       the URI's {@code app_name} and the geo country; then the schema's {@code
 *       override_attributes} apply.
 * </ul>
 *
 * @param clientId the normalized client id, or null
 * @param sampleId 0 to 99, or null
 * @param normalizedChannel see {@link NormalizeAttributes#channel}, or null
 * @param normalizedOs see {@link NormalizeAttributes#os}, or null
 * @param normalizedOsVersion see {@link NormalizeAttributes#osVersion}, or null
 * @param normalizedAppName see {@link NormalizeAttributes#appName}, or null
 * @param normalizedCountryCode see {@link NormalizeAttributes#countryCode}, or null
 */
public record DecoderAttributes(
    String clientId,
    Integer sampleId,
    String normalizedChannel,
    String normalizedOs,
    String normalizedOsVersion,
    String normalizedAppName,
    String normalizedCountryCode) {

  /**
   * Reads {@code document} (whose client id it normalizes in place) and {@code attributes}.
   *
   * @param country the geo country as looked up (before overrides), or null
   */
  public static DecoderAttributes of(
      ObjectNode document,
      Map<String, String> attributes,
      String country,
      PipelineSettings settings) {
    String channel = attributes.get(Attributes.APP_UPDATE_CHANNEL);
    String os;
    String osVersion;
    JsonNode glean = document.path("client_info");
    JsonNode desktopOs = document.path("environment").path("system").path("os");
    if (glean.isObject()) {
      channel = nonEmpty(glean.path("app_channel").textValue(), channel);
      os = nonEmpty(glean.path("os").textValue(), null);
      osVersion = nonEmpty(glean.path("os_version").textValue(), null);
    } else if (desktopOs.isObject()) {
      os = nonEmpty(desktopOs.path("name").textValue(), null);
      osVersion = nonEmpty(desktopOs.path("version").textValue(), null);
    } else {
      channel = nonEmpty(document.path("release_channel").textValue(), channel);
      os = nonEmpty(document.path("os").textValue(), null);
      osVersion = nonEmpty(document.path("osversion").textValue(), null);
    }
    String clientId = normalizeClientId(document);
    Integer sampleId = sampleId(clientId, document, attributes, settings);
    return new DecoderAttributes(
        clientId,
        sampleId,
        settings.apply(Attributes.NORMALIZED_CHANNEL, NormalizeAttributes.channel(channel)),
        settings.apply(Attributes.NORMALIZED_OS, NormalizeAttributes.os(os)),
        settings.apply(Attributes.NORMALIZED_OS_VERSION, NormalizeAttributes.osVersion(osVersion)),
        settings.apply(
            Attributes.NORMALIZED_APP_NAME,
            NormalizeAttributes.appName(attributes.get(Attributes.APP_NAME))),
        settings.apply(
            Attributes.NORMALIZED_COUNTRY_CODE, NormalizeAttributes.countryCode(country)));
  }

  /** The client id of the document, lower-cased in place; null when it has none that is a UUID. */
  static String normalizeClientId(ObjectNode document) {
    JsonNode info = document.path("client_info");
    if (info instanceof ObjectNode glean) {
      String raw = glean.path("client_id").textValue();
      String id = raw == null || raw.isEmpty() ? null : normalizeUuid(raw);
      if (id != null) {
        glean.put("client_id", id);
        return id;
      }
    }
    for (String field : List.of("client_id", "clientId")) {
      String id = normalizeUuid(document.path(field).textValue());
      if (id != null) {
        document.put(field, id);
        return id;
      }
    }
    return null;
  }

  private static Integer sampleId(
      String clientId, JsonNode document, Map<String, String> attributes, PipelineSettings s) {
    String attribute = s.sampleIdAttribute();
    List<String> path = s.sampleIdPath();
    if (attribute == null && path == null) {
      attribute = "client_id";
    }
    String uuid = null;
    if (attribute != null) {
      uuid = normalizeUuid(attribute.equals("client_id") ? clientId : attributes.get(attribute));
    }
    if (uuid == null && path != null) {
      JsonNode n = document;
      for (String p : path) {
        n = n.path(p);
      }
      uuid = normalizeUuid(n.isValueNode() ? n.asText() : null);
    }
    return uuid == null ? null : sampleId(uuid);
  }

  /** {@code crc32(id as UTF-8) % 100}. */
  public static int sampleId(String id) {
    CRC32 crc = new CRC32();
    crc.update(id.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % 100);
  }

  /**
   * A UUID in lower case, after removing curly braces ({@code {2907648D-...}} as activity-stream
   * sends its ids), or null when the text is not one (as {@link UUID#fromString} reads UUIDs).
   */
  public static String normalizeUuid(String text) {
    if (text == null) {
      return null;
    }
    String v = text.replace("{", "").replace("}", "");
    try {
      UUID.fromString(v);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return v.toLowerCase(Locale.ROOT);
  }

  private static String nonEmpty(String value, String otherwise) {
    return value == null || value.isEmpty() ? otherwise : value;
  }
}
