package org.kindling.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code mozPipelineMetadata} of a schema (the per-doctype settings of
 * mozilla-pipeline-schemas) that change what Kindling stores, read once when the schema set is
 * loaded.
 *
 * <p>Applied: {@code submission_timestamp_granularity} (the stored timestamp is truncated), {@code
 * override_attributes} (a pipeline value replaced or dropped, e.g. {@code geo_city}), {@code
 * expiration_policy.collect_through_date} (later submissions are rejected), {@code
 * sample_id_source_uuid_attribute} and {@code sample_id_source_uuid_payload_path} (what {@code
 * sample_id} is hashed from). Documented: {@code expiration_policy.delete_after_days} (a table
 * property of {@code kindling ddl}; Kindling deletes nothing). Not applicable to Kindling's lake,
 * and ignored: the BigQuery and Glean generator hints ({@code bq_*}, {@code include_*}, {@code
 * json_object_path_regex}, {@code $comment}). Not supported, and ignored (the doctype lands as if
 * they were absent): {@code split_config}, {@code jwe_mappings}, {@code geoip_skip_entries}, and
 * override names outside {@link #OVERRIDABLE}; {@link #unsupported()} names the ones a schema uses.
 *
 * @param granularity the unit the stored submission_timestamp is truncated to, or null
 * @param overrides attribute name to value ({@code null} value: drop it), in schema order
 * @param collectThroughDate the last day submissions are accepted, or null
 * @param deleteAfterDays how long the data should be kept, or null
 * @param sampleIdSourceAttribute the attribute whose UUID sample_id is hashed from, or null
 * @param sampleIdSourcePayloadPath the payload path of that UUID, or null
 * @param unsupported the settings this schema uses that Kindling does not apply
 */
public record PipelineMetadata(
    ChronoUnit granularity,
    Map<String, String> overrides,
    LocalDate collectThroughDate,
    Integer deleteAfterDays,
    String sampleIdSourceAttribute,
    List<String> sampleIdSourcePayloadPath,
    Set<String> unsupported) {

  /** A schema without {@code mozPipelineMetadata}. */
  public static final PipelineMetadata NONE =
      new PipelineMetadata(null, Map.of(), null, null, null, null, Set.of());

  /** The key in a schema. */
  public static final String KEY = "mozPipelineMetadata";

  /**
   * The attributes {@code override_attributes} may set or drop: the values the geo-enricher
   * computes and writes into the document (the schema repository's metaschema allows the first
   * four).
   */
  public static final Set<String> OVERRIDABLE =
      Set.of(
          "geo_city",
          "geo_subdivision1",
          "geo_subdivision2",
          "normalized_channel",
          "geo_country",
          "geo_continent",
          "normalized_country_code",
          "normalized_os",
          "normalized_os_version",
          "normalized_app_name",
          "user_agent_browser",
          "user_agent_version",
          "user_agent_os");

  private static final Map<String, ChronoUnit> GRANULARITIES =
      Map.of(
          "millis", ChronoUnit.MILLIS,
          "seconds", ChronoUnit.SECONDS,
          "minutes", ChronoUnit.MINUTES,
          "hours", ChronoUnit.HOURS,
          "days", ChronoUnit.DAYS);

  /** Settings that only steer BigQuery or the Glean schema generator: not Kindling's concern. */
  private static final Set<String> NOT_APPLICABLE =
      Set.of(
          "$comment",
          "bq_dataset_family",
          "bq_table",
          "bq_metadata_format",
          "include_client_id",
          "include_info_sections",
          "json_object_path_regex");

  public PipelineMetadata {
    overrides = overrides == null ? Map.of() : java.util.Collections.unmodifiableMap(overrides);
    sampleIdSourcePayloadPath =
        sampleIdSourcePayloadPath == null ? null : List.copyOf(sampleIdSourcePayloadPath);
    unsupported = unsupported == null ? Set.of() : Set.copyOf(unsupported);
  }

  /** Whether nothing here changes what is stored. */
  public boolean isEmpty() {
    return granularity == null
        && overrides.isEmpty()
        && collectThroughDate == null
        && sampleIdSourceAttribute == null
        && sampleIdSourcePayloadPath == null;
  }

  /** The granularity as the schema spells it ({@code seconds}), or null. */
  public String granularityName() {
    if (granularity == null) {
      return null;
    }
    for (Map.Entry<String, ChronoUnit> e : GRANULARITIES.entrySet()) {
      if (e.getValue() == granularity) {
        return e.getKey();
      }
    }
    throw new IllegalStateException(granularity.toString());
  }

  /** The unit of a granularity name ({@code seconds}), or null when it is not one. */
  public static ChronoUnit granularity(String name) {
    return name == null ? null : GRANULARITIES.get(name.toLowerCase(Locale.ROOT));
  }

  /** The overrides as a JSON array of {@code {"name":..,"value":..}}, as in the schema. */
  public static String overridesJson(Map<String, String> overrides) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    overrides.forEach(
        (k, v) -> {
          ObjectNode o = a.addObject();
          o.put("name", k);
          o.put("value", v);
        });
    return a.toString();
  }

  /**
   * Reads the {@code mozPipelineMetadata} object of a schema (null or missing: {@link #NONE}).
   *
   * @throws IllegalArgumentException when a setting Kindling applies has a value it cannot use (a
   *     wrong granularity, a malformed date): silently ignoring such a setting could store what the
   *     schema's authors meant to keep out
   */
  public static PipelineMetadata parse(JsonNode meta) {
    if (meta == null || meta.isNull() || meta.isMissingNode()) {
      return NONE;
    }
    if (!meta.isObject()) {
      throw new IllegalArgumentException(KEY + " is not an object");
    }
    ChronoUnit granularity = null;
    java.util.LinkedHashMap<String, String> overrides = new java.util.LinkedHashMap<>();
    LocalDate collectThrough = null;
    Integer deleteAfter = null;
    String sampleAttribute = null;
    List<String> samplePath = null;
    Set<String> unsupported = new TreeSet<>();
    for (Map.Entry<String, JsonNode> e : meta.properties()) {
      String key = e.getKey();
      JsonNode v = e.getValue();
      switch (key) {
        case "submission_timestamp_granularity" -> {
          granularity = v.isTextual() ? granularity(v.textValue()) : null;
          if (granularity == null) {
            throw new IllegalArgumentException(
                KEY
                    + ".submission_timestamp_granularity must be one of "
                    + new TreeSet<>(GRANULARITIES.keySet())
                    + ": "
                    + v);
          }
        }
        case "override_attributes" -> {
          if (!v.isArray()) {
            throw new IllegalArgumentException(KEY + ".override_attributes is not an array");
          }
          for (JsonNode o : v) {
            JsonNode name = o.get("name");
            JsonNode value = o.get("value");
            if (name == null
                || !name.isTextual()
                || (value != null && !value.isTextual() && !value.isNull())) {
              throw new IllegalArgumentException(
                  KEY
                      + ".override_attributes needs {\"name\": string, \"value\": string|null}: "
                      + o);
            }
            if (OVERRIDABLE.contains(name.textValue())) {
              overrides.put(
                  name.textValue(), value == null || value.isNull() ? null : value.asText());
            } else {
              unsupported.add("override_attributes." + name.textValue());
            }
          }
        }
        case "expiration_policy" -> {
          JsonNode date = v.get("collect_through_date");
          if (date != null && !date.isNull()) {
            try {
              collectThrough = LocalDate.parse(date.asText());
            } catch (DateTimeParseException ex) {
              throw new IllegalArgumentException(
                  KEY + ".expiration_policy.collect_through_date is not yyyy-MM-dd: " + date);
            }
          }
          JsonNode days = v.get("delete_after_days");
          if (days != null && days.canConvertToInt()) {
            deleteAfter = days.intValue();
          }
        }
        case "sample_id_source_uuid_attribute" -> sampleAttribute = v.asText(null);
        case "sample_id_source_uuid_payload_path" -> {
          if (!v.isArray()) {
            throw new IllegalArgumentException(
                KEY + ".sample_id_source_uuid_payload_path is not an array of strings");
          }
          samplePath = new ArrayList<>();
          for (JsonNode p : v) {
            samplePath.add(p.asText());
          }
        }
        default -> {
          if (!NOT_APPLICABLE.contains(key)) {
            unsupported.add(key);
          }
        }
      }
    }
    return new PipelineMetadata(
        granularity,
        overrides,
        collectThrough,
        deleteAfter,
        sampleAttribute,
        samplePath,
        unsupported);
  }
}
