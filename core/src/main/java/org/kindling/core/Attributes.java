package org.kindling.core;

import java.util.List;

/**
 * The attribute names that travel with a submission as Kafka headers. Every stage reads and writes
 * these names and no others, so the set is declared once, here (see ARCHITECTURE.md, "The record
 * contract").
 */
public final class Attributes {
  private Attributes() {}

  // Set by the edge from the HTTP request; the headers it captures are in CapturedHeader.
  public static final String SUBMISSION_TIMESTAMP = "submission_timestamp";
  public static final String URI = "uri";
  public static final String ARGS = "args";
  public static final String METHOD = "method";
  public static final String PROTOCOL = "protocol";
  public static final String REMOTE_ADDR = "remote_addr";
  public static final String X_FORWARDED_FOR = "x_forwarded_for";
  public static final String USER_AGENT = "user_agent";
  public static final String CONTENT_LENGTH = "content_length";
  public static final String CONTENT_ENCODING = "content_encoding";
  public static final String DATE = "date";
  public static final String DNT = "dnt";
  public static final String X_PINGSENDER_VERSION = "x_pingsender_version";
  public static final String X_DEBUG_ID = "x_debug_id";
  public static final String X_SOURCE_TAGS = "x_source_tags";
  public static final String X_TELEMETRY_AGENT = "x_telemetry_agent";
  public static final String HOST = "host";
  public static final String EDGE_HOST = "edge_host";

  // Set by the validator from the URI.
  public static final String DOCUMENT_NAMESPACE = "document_namespace";
  public static final String DOCUMENT_TYPE = "document_type";
  public static final String DOCUMENT_VERSION = "document_version";
  public static final String DOCUMENT_ID = "document_id";
  public static final String APP_NAME = "app_name";
  public static final String APP_VERSION = "app_version";
  public static final String APP_UPDATE_CHANNEL = "app_update_channel";
  public static final String APP_BUILD_ID = "app_build_id";

  // Set by the validator from the doctype schema's mozPipelineMetadata, for the geo-enricher, which
  // applies them where the values are made and removes them: the unit the stored
  // submission_timestamp is truncated to (millis, seconds, minutes, hours, days); a JSON array of
  // {"name":..,"value":..} that sets (or, with null, drops) values the enricher computes; the
  // attribute, or the JSON array of the payload path, whose UUID sample_id is hashed from.
  public static final String SUBMISSION_TIMESTAMP_GRANULARITY = "submission_timestamp_granularity";
  public static final String OVERRIDE_ATTRIBUTES = "override_attributes";
  public static final String SAMPLE_ID_SOURCE_UUID_ATTRIBUTE = "sample_id_source_uuid_attribute";
  public static final String SAMPLE_ID_SOURCE_UUID_PAYLOAD_PATH =
      "sample_id_source_uuid_payload_path";

  /** The attributes above: instructions to the enricher, not stored. */
  public static final List<String> PIPELINE_METADATA =
      List.of(
          SUBMISSION_TIMESTAMP_GRANULARITY,
          OVERRIDE_ATTRIBUTES,
          SAMPLE_ID_SOURCE_UUID_ATTRIBUTE,
          SAMPLE_ID_SOURCE_UUID_PAYLOAD_PATH);

  // Set by the geo-enricher.
  public static final String GEO_COUNTRY = "geo_country";
  public static final String GEO_CONTINENT = "geo_continent";
  public static final String GEO_SUBDIVISION1 = "geo_subdivision1";
  public static final String GEO_SUBDIVISION2 = "geo_subdivision2";
  public static final String GEO_CITY = "geo_city";
  public static final String GEO_DB_VERSION = "geo_db_version";
  public static final String USER_AGENT_BROWSER = "user_agent_browser";
  public static final String USER_AGENT_VERSION = "user_agent_version";
  public static final String USER_AGENT_OS = "user_agent_os";
  // Mozilla's decoder attributes, with its definitions (ingestion-beam ParsePayload,
  // NormalizeAttributes).
  public static final String SAMPLE_ID = "sample_id";
  public static final String NORMALIZED_CHANNEL = "normalized_channel";
  public static final String NORMALIZED_OS = "normalized_os";
  public static final String NORMALIZED_OS_VERSION = "normalized_os_version";
  public static final String NORMALIZED_APP_NAME = "normalized_app_name";
  public static final String NORMALIZED_COUNTRY_CODE = "normalized_country_code";

  /** Attributes that identify a person's network address; removed before anything is stored. */
  public static final List<String> CLIENT_ADDRESS = List.of(REMOTE_ADDR, X_FORWARDED_FOR);
}
