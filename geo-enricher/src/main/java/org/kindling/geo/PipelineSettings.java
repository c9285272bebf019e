package org.kindling.geo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.schemas.PipelineMetadata;

/**
 * The doctype's {@code mozPipelineMetadata} settings that the validator passes on as attributes
 * ({@link Attributes#PIPELINE_METADATA}), read back here where the values they change are made: the
 * stored timestamp's granularity, the overridden values ({@code override_attributes}), and the
 * source of {@code sample_id}.
 *
 * @param granularity the unit the stored submission_timestamp is truncated to, or null
 * @param overrides attribute name to value (null: drop it)
 * @param sampleIdAttribute the attribute sample_id is hashed from, or null
 * @param sampleIdPath the payload path sample_id is hashed from, or null
 */
public record PipelineSettings(
    ChronoUnit granularity,
    Map<String, String> overrides,
    String sampleIdAttribute,
    List<String> sampleIdPath) {

  /** A doctype without settings. */
  public static final PipelineSettings NONE = new PipelineSettings(null, Map.of(), null, null);

  /**
   * The settings in {@code attributes}.
   *
   * @throws IllegalArgumentException when an attribute is malformed (only the validator sets them)
   */
  public static PipelineSettings of(Map<String, String> attributes) {
    String g = attributes.get(Attributes.SUBMISSION_TIMESTAMP_GRANULARITY);
    String o = attributes.get(Attributes.OVERRIDE_ATTRIBUTES);
    String a = attributes.get(Attributes.SAMPLE_ID_SOURCE_UUID_ATTRIBUTE);
    String p = attributes.get(Attributes.SAMPLE_ID_SOURCE_UUID_PAYLOAD_PATH);
    if (g == null && o == null && a == null && p == null) {
      return NONE;
    }
    ChronoUnit unit = PipelineMetadata.granularity(g);
    if (g != null && unit == null) {
      throw new IllegalArgumentException(
          "bad " + Attributes.SUBMISSION_TIMESTAMP_GRANULARITY + ": " + g);
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    List<String> path = null;
    try {
      if (o != null) {
        for (JsonNode n : Json.mapper().readTree(o)) {
          JsonNode v = n.get("value");
          overrides.put(n.get("name").asText(), v == null || v.isNull() ? null : v.asText());
        }
      }
      if (p != null) {
        path = new ArrayList<>();
        for (JsonNode n : Json.mapper().readTree(p)) {
          path.add(n.asText());
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("bad pipeline metadata attributes: " + e.getMessage(), e);
    }
    return new PipelineSettings(unit, Collections.unmodifiableMap(overrides), a, path);
  }

  /** Whether {@code attribute} is overridden. */
  public boolean overrides(String attribute) {
    return overrides.containsKey(attribute);
  }

  /** {@code value}, or its override. */
  public String apply(String attribute, String value) {
    return overrides.containsKey(attribute) ? overrides.get(attribute) : value;
  }

  /**
   * The geo answer with its overrides. Dropping {@code geo_city} drops the 0.1° coordinates too:
   * they locate the city about as precisely as its name.
   */
  public Geo apply(Geo geo) {
    if (overrides.isEmpty()) {
      return geo;
    }
    boolean noCity = overrides(Attributes.GEO_CITY) && overrides.get(Attributes.GEO_CITY) == null;
    return new Geo(
        apply(Attributes.GEO_COUNTRY, geo.country()),
        apply(Attributes.GEO_CONTINENT, geo.continent()),
        apply(Attributes.GEO_SUBDIVISION1, geo.subdivision1()),
        apply(Attributes.GEO_SUBDIVISION2, geo.subdivision2()),
        apply(Attributes.GEO_CITY, geo.city()),
        noCity ? null : geo.latitude(),
        noCity ? null : geo.longitude(),
        geo.dbVersion());
  }

  /** The user agent with its overrides. */
  public UserAgentInfo apply(UserAgentInfo ua) {
    if (overrides.isEmpty()) {
      return ua;
    }
    return new UserAgentInfo(
        apply(Attributes.USER_AGENT_BROWSER, ua.browser()),
        apply(Attributes.USER_AGENT_VERSION, ua.version()),
        apply(Attributes.USER_AGENT_OS, ua.os()));
  }

  /** The submission timestamp as stored: truncated to the granularity, ISO-8601 UTC. */
  public String storedTimestamp(String submissionTimestamp) {
    if (granularity == null || submissionTimestamp == null) {
      return submissionTimestamp;
    }
    try {
      return DateTimeFormatter.ISO_INSTANT.format(
          Instant.parse(submissionTimestamp).truncatedTo(granularity));
    } catch (DateTimeParseException e) {
      return submissionTimestamp;
    }
  }
}
