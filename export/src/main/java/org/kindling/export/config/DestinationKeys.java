package org.kindling.export.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.ConfigType;

/**
 * The keys of one destination, {@code export.destination.<name>.<key>}: the ones every type has
 * (type, filter, batching, retries) and each type's own. Each carries its default and the reason
 * for it, as every Kindling key does; a few defaults differ by type. {@link #toMarkdown()} is the
 * table in export/README.md (a test holds the two together).
 */
public final class DestinationKeys {
  private DestinationKeys() {}

  public static final String TYPE = "type";
  public static final String FILTER_NAMESPACES = "filter.namespaces";
  public static final String FILTER_DOCTYPES = "filter.doctypes";
  public static final String FILTER_RECORDS = "filter.records";
  public static final String BATCH_MAX_RECORDS = "batch.max.records";
  public static final String BATCH_MAX_BYTES = "batch.max.bytes";
  public static final String BATCH_MAX_WAIT = "batch.max.wait";
  public static final String MAX_IN_FLIGHT = "max.in.flight";
  public static final String REQUEST_TIMEOUT = "request.timeout";
  public static final String CONNECT_TIMEOUT = "connect.timeout";
  public static final String RETRY_MAX_ATTEMPTS = "retry.max.attempts";
  public static final String RETRY_INITIAL_BACKOFF = "retry.initial.backoff";
  public static final String RETRY_MAX_BACKOFF = "retry.max.backoff";
  public static final String RETRY_AFTER_MAX = "retry.after.max";

  public static final String INFLUXDB_URL = "influxdb.url";
  public static final String INFLUXDB_VERSION = "influxdb.version";
  public static final String INFLUXDB_DATABASE = "influxdb.database";
  public static final String INFLUXDB_RETENTION_POLICY = "influxdb.retention.policy";
  public static final String INFLUXDB_USERNAME = "influxdb.username";
  public static final String INFLUXDB_PASSWORD = "influxdb.password";
  public static final String INFLUXDB_ORG = "influxdb.org";
  public static final String INFLUXDB_BUCKET = "influxdb.bucket";
  public static final String INFLUXDB_TOKEN = "influxdb.token";
  public static final String INFLUXDB_MEASUREMENT = "influxdb.measurement";
  public static final String INFLUXDB_ERRORS_MEASUREMENT = "influxdb.errors.measurement";
  public static final String INFLUXDB_TAGS = "influxdb.tags";
  public static final String INFLUXDB_FIELDS = "influxdb.fields";
  public static final String INFLUXDB_PRECISION = "influxdb.precision";

  public static final String WEBHOOK_URL = "webhook.url";
  public static final String WEBHOOK_SECRET = "webhook.secret";
  public static final String WEBHOOK_HEADER_PREFIX = "webhook.header.";

  public static final String AMPLITUDE_API_KEY = "amplitude.api.key";
  public static final String AMPLITUDE_URL = "amplitude.url";
  public static final String AMPLITUDE_EVENT_TYPE = "amplitude.event.type";
  public static final String AMPLITUDE_USER_ID_FIELD = "amplitude.user.id.field";
  public static final String AMPLITUDE_DEVICE_ID_FIELDS = "amplitude.device.id.fields";
  public static final String AMPLITUDE_EVENT_PROPERTIES = "amplitude.event.properties";
  public static final String AMPLITUDE_MIN_ID_LENGTH = "amplitude.min.id.length";

  public static final String LOG_FORMAT = "log.format";
  public static final String LOG_OUTPUT = "log.output";

  /** Amplitude's HTTP V2 API takes at most this many events per request (more is a 413). */
  public static final int AMPLITUDE_MAX_EVENTS = 2000;

  /**
   * One key of a destination.
   *
   * @param key name (relative to {@code export.destination.<name>.}), type, default, doc, check
   * @param types the types that have it; all of them when empty
   * @param typeDefaults defaults that differ by type (type -> default)
   * @param required whether every destination of those types must set it
   */
  public record Key(
      ConfigKey key,
      Set<DestinationType> types,
      Map<DestinationType, String> typeDefaults,
      boolean required) {
    public Key {
      types = types.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(types));
      // an EnumMap so that the reference lists the type defaults in a stable order
      typeDefaults =
          typeDefaults.isEmpty()
              ? Map.of()
              : Collections.unmodifiableMap(new EnumMap<>(typeDefaults));
    }

    /** The key's name relative to the destination. */
    public String name() {
      return key.name();
    }

    /** Whether a destination of {@code type} has this key. */
    public boolean appliesTo(DestinationType type) {
      return types.isEmpty() || types.contains(type);
    }

    /** The default for a destination of {@code type}, or null. */
    public String defaultFor(DestinationType type) {
      return typeDefaults.getOrDefault(type, key.defaultValue());
    }
  }

  private static Key common(ConfigKey k) {
    return new Key(k, Set.of(), Map.of(), false);
  }

  private static Key common(ConfigKey k, Map<DestinationType, String> typeDefaults) {
    return new Key(k, Set.of(), typeDefaults, false);
  }

  private static Key of(DestinationType type, ConfigKey k) {
    return new Key(k, EnumSet.of(type), Map.of(), false);
  }

  private static Key required(DestinationType type, ConfigKey k) {
    return new Key(k, EnumSet.of(type), Map.of(), true);
  }

  private static ConfigKey text(String name, String def, String doc) {
    return ConfigKey.of(name, ConfigType.STRING, def, doc);
  }

  private static ConfigKey list(String name, String def, String doc) {
    return ConfigKey.of(name, ConfigType.LIST, def, doc);
  }

  /** Every key, in the order of the reference. */
  public static final List<Key> ALL =
      List.of(
          new Key(
              ConfigKey.oneOf(
                  TYPE,
                  null,
                  DestinationType.ids(),
                  "What the destination is; decides which of the keys below apply."),
              Set.of(),
              Map.of(),
              true),
          common(
              list(
                  FILTER_NAMESPACES,
                  "",
                  "Only records of these document namespaces (glow, telemetry, ...); empty takes"
                      + " every namespace.")),
          common(
              list(
                  FILTER_DOCTYPES,
                  "",
                  "Only these doctypes, each namespace/type (glow/download) or a bare type"
                      + " (download, in any namespace); empty takes every doctype.")),
          common(
              ConfigKey.oneOf(
                  FILTER_RECORDS,
                  "documents",
                  List.of("documents", "errors", "both"),
                  "documents: the accepted documents of ingest.enriched; errors: the rejected"
                      + " submissions of ingest.errors (never the export's own delivery"
                      + " failures, so that two failing destinations cannot feed each other);"
                      + " both. Documents, since that is what dashboards and analytics count.")),
          common(
              ConfigKey.intRange(
                  BATCH_MAX_RECORDS,
                  "500",
                  1,
                  100_000,
                  "A batch is sent once it holds this many records. 500 amortises a request"
                      + " over many small documents; InfluxDB recommends about 5000 lines per"
                      + " write, Amplitude takes at most 2000 events per request."),
              Map.of(DestinationType.INFLUXDB, "5000", DestinationType.AMPLITUDE, "1000")),
          common(
              ConfigKey.positive(
                  BATCH_MAX_BYTES,
                  ConfigType.SIZE,
                  "1MiB",
                  "... or once its encoded body reaches this size: 1 MiB requests pass the"
                      + " usual proxy and server limits; Amplitude wants requests under 1 MB, so"
                      + " 800 KiB leaves room for the envelope. A single larger record is sent"
                      + " on its own."),
              Map.of(DestinationType.AMPLITUDE, "800KiB")),
          common(
              ConfigKey.positive(
                  BATCH_MAX_WAIT,
                  ConfigType.DURATION,
                  "1s",
                  "... or once its first record has waited this long: bounds the delay a"
                      + " dashboard sees under light traffic. The log echoes within 100 ms."),
              Map.of(DestinationType.LOG, "100ms")),
          common(
              ConfigKey.intRange(
                  MAX_IN_FLIGHT,
                  "2",
                  1,
                  64,
                  "Batches being delivered (or retried) at once. While that many are out, the"
                      + " destination's consumer pauses, so memory stays bounded and a slow"
                      + " destination is not flooded; 2 keeps one batch filling while another"
                      + " is sent. Batches may therefore arrive out of order.")),
          common(
              ConfigKey.positive(
                  REQUEST_TIMEOUT,
                  ConfigType.DURATION,
                  "30s",
                  "One HTTP request (connect excluded) may take this long before it counts as a"
                      + " failed attempt and is retried; a stalled server cannot hold a batch"
                      + " longer.")),
          common(
              ConfigKey.positive(
                  CONNECT_TIMEOUT,
                  ConfigType.DURATION,
                  "10s",
                  "Opening a connection may take this long before the attempt fails.")),
          common(
              ConfigKey.intRange(
                  RETRY_MAX_ATTEMPTS,
                  "10",
                  1,
                  1000,
                  "Attempts per batch on 429, 5xx, timeouts and connection failures before its"
                      + " records go to ingest.errors (error_type export_failed) and the"
                      + " destination moves on. With the backoffs below, 10 attempts ride out"
                      + " one to two minutes of a destination restarting.")),
          common(
              ConfigKey.positive(
                  RETRY_INITIAL_BACKOFF,
                  ConfigType.DURATION,
                  "500ms",
                  "Wait before the second attempt; it doubles with each attempt (with random"
                      + " jitter of up to half, so that many senders do not retry in step).")),
          common(
              ConfigKey.positive(
                  RETRY_MAX_BACKOFF,
                  ConfigType.DURATION,
                  "30s",
                  "Longest wait between two attempts, so a recovered destination is noticed"
                      + " within half a minute.")),
          common(
              ConfigKey.positive(
                  RETRY_AFTER_MAX,
                  ConfigType.DURATION,
                  "5m",
                  "A Retry-After answer (429, 503) is honoured up to this long; longer hints are"
                      + " cut to it, so a misconfigured server cannot park a destination for a"
                      + " day.")),
          required(
              DestinationType.INFLUXDB,
              text(
                  INFLUXDB_URL,
                  null,
                  "Base URL of the InfluxDB HTTP API, e.g. http://localhost:8086; points go to"
                      + " /write (version 1) or /api/v2/write (version 2).")),
          of(
              DestinationType.INFLUXDB,
              ConfigKey.oneOf(
                  INFLUXDB_VERSION,
                  "1",
                  List.of("1", "2"),
                  "The write API: 1 (InfluxDB 1.x /write?db=, also served by 2.x for"
                      + " compatibility) or 2 (/api/v2/write?org=&bucket= with a token).")),
          of(
              DestinationType.INFLUXDB,
              text(INFLUXDB_DATABASE, null, "Database of version 1 (required for it).")),
          of(
              DestinationType.INFLUXDB,
              text(
                  INFLUXDB_RETENTION_POLICY,
                  "",
                  "Retention policy of version 1; empty uses the database's default.")),
          of(
              DestinationType.INFLUXDB,
              text(
                  INFLUXDB_USERNAME,
                  "",
                  "User of version 1 (sent as HTTP Basic authentication, never in the URL);"
                      + " empty when authentication is off.")),
          of(
              DestinationType.INFLUXDB,
              text(INFLUXDB_PASSWORD, "", "Password of influxdb.username.")),
          of(
              DestinationType.INFLUXDB,
              text(INFLUXDB_ORG, null, "Organisation of version 2 (required for it).")),
          of(
              DestinationType.INFLUXDB,
              text(INFLUXDB_BUCKET, null, "Bucket of version 2 (required for it).")),
          of(
              DestinationType.INFLUXDB,
              text(
                  INFLUXDB_TOKEN,
                  null,
                  "API token of version 2 with write access to the bucket (required for it).")),
          of(
              DestinationType.INFLUXDB,
              text(
                  INFLUXDB_MEASUREMENT,
                  "{document_namespace}_{document_type}",
                  "Measurement of a document; {document_namespace}, {document_type},"
                      + " {document_version} and {app_name} are replaced. One measurement per"
                      + " doctype, across its versions, so a panel keeps working when a new"
                      + " version ships.")),
          of(
              DestinationType.INFLUXDB,
              text(
                  INFLUXDB_ERRORS_MEASUREMENT,
                  "ingest_errors",
                  "Measurement of error records (filter.records errors or both): tags stage,"
                      + " error_type, document_namespace, document_type; field count.")),
          of(
              DestinationType.INFLUXDB,
              list(
                  INFLUXDB_TAGS,
                  "country=metadata.geo.country,channel=metadata.uri.app_update_channel,"
                      + "os=metadata.user_agent.os",
                  "Tags of a document's point, each tag=path into the enriched document (a bare"
                      + " path names the tag after its last part). Tags are indexed: choose"
                      + " values with few distinct values (country, channel, OS), never ids. A"
                      + " missing or empty value leaves the tag out.")),
          of(
              DestinationType.INFLUXDB,
              list(
                  INFLUXDB_FIELDS,
                  "",
                  "Fields of a document's point besides count=1i, each field=path to a numeric"
                      + " value (a bare path names the field after its last part). Written as"
                      + " floats whatever the JSON spelling, so 5 and 5.5 never clash as field"
                      + " types; a missing or non-numeric value leaves the field out.")),
          of(
              DestinationType.INFLUXDB,
              ConfigKey.oneOf(
                  INFLUXDB_PRECISION,
                  "ns",
                  List.of("ns", "ms"),
                  "Point time: the submission timestamp. InfluxDB keeps one point per"
                      + " measurement, tag set and time, so with ms two documents of the same"
                      + " tags in the same millisecond overwrite each other and counts come out"
                      + " low. ns (the default) adds a sub-millisecond offset derived from the"
                      + " document id: a re-sent document still lands on its own point"
                      + " (idempotent), distinct ones almost never collide.")),
          required(
              DestinationType.WEBHOOK,
              text(WEBHOOK_URL, null, "URL the JSON batches are POSTed to.")),
          required(
              DestinationType.WEBHOOK,
              text(
                  WEBHOOK_SECRET,
                  null,
                  "Shared secret of the X-Kindling-Signature header (sha256=<hex HMAC-SHA256 of"
                      + " the body>), so that the receiver can check who sent a batch.")),
          of(
              DestinationType.WEBHOOK,
              ConfigKey.prefix(
                  WEBHOOK_HEADER_PREFIX,
                  "Extra request headers: webhook.header.authorization=Bearer abc sends"
                      + " authorization: Bearer abc; dots in the rest of the key become dashes"
                      + " (webhook.header.x.team=glow sends x-team: glow).")),
          required(
              DestinationType.AMPLITUDE,
              text(
                  AMPLITUDE_API_KEY, null, "API key of the Amplitude project (sent in the body).")),
          of(
              DestinationType.AMPLITUDE,
              text(
                  AMPLITUDE_URL,
                  "https://api2.amplitude.com/2/httpapi",
                  "Amplitude's HTTP V2 endpoint; https://api.eu.amplitude.com/2/httpapi for EU"
                      + " data residency.")),
          of(
              DestinationType.AMPLITUDE,
              text(
                  AMPLITUDE_EVENT_TYPE,
                  "{document_namespace}.{document_type}",
                  "event_type of each event; the same placeholders as influxdb.measurement.")),
          of(
              DestinationType.AMPLITUDE,
              text(
                  AMPLITUDE_USER_ID_FIELD,
                  "",
                  "Path of the user_id in the document; empty sends none.")),
          of(
              DestinationType.AMPLITUDE,
              list(
                  AMPLITUDE_DEVICE_ID_FIELDS,
                  "client_id,clientId,client_info.client_id",
                  "Paths tried in turn for the device_id: the client ids of Kindling's"
                      + " doctypes (the same ones sample_id is computed from). A document with"
                      + " neither a user_id nor a device_id cannot be an Amplitude event and"
                      + " goes to ingest.errors (export_unencodable).")),
          of(
              DestinationType.AMPLITUDE,
              list(
                  AMPLITUDE_EVENT_PROPERTIES,
                  "",
                  "event_properties, each name=path into the document (a bare path names the"
                      + " property after its last part). Empty: none, since a document goes to a"
                      + " third party only as far as you list it.")),
          of(
              DestinationType.AMPLITUDE,
              ConfigKey.intRange(
                  AMPLITUDE_MIN_ID_LENGTH,
                  null,
                  1,
                  100,
                  "options.min_id_length of the requests; unset keeps Amplitude's own minimum"
                      + " (5).")),
          of(
              DestinationType.LOG,
              ConfigKey.oneOf(
                  LOG_FORMAT,
                  "json",
                  List.of("json", "summary"),
                  "json: each document as one line of compact JSON (what the lake gets);"
                      + " summary: doctype, document id, time, country and OS.")),
          of(
              DestinationType.LOG,
              ConfigKey.oneOf(
                  LOG_OUTPUT,
                  "logger",
                  List.of("logger", "stdout"),
                  "logger: the logger kindling.export.<name> at INFO; stdout: plain lines on"
                      + " standard output, for piping into jq.")));

  /** The key {@code name} of a destination of {@code type}: exact, or under a prefix; or null. */
  public static Key find(DestinationType type, String name) {
    for (Key k : ALL) {
      if (!k.appliesTo(type)) {
        continue;
      }
      if (k.key().prefix()
          ? name.startsWith(k.name()) && name.length() > k.name().length()
          : k.name().equals(name)) {
        return k;
      }
    }
    return null;
  }

  /** The names of the keys a destination of {@code type} has (for suggestions). */
  public static List<String> names(DestinationType type) {
    List<String> out = new ArrayList<>();
    for (Key k : ALL) {
      if (type == null || k.appliesTo(type)) {
        out.add(k.name());
      }
    }
    return out;
  }

  /** The reference table of export/README.md. */
  public static String toMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| key | types | default | description |\n");
    sb.append("| --- | --- | --- | --- |\n");
    for (Key k : ALL) {
      ConfigKey c = k.key();
      String types =
          k.types().isEmpty()
              ? "all"
              : String.join(", ", k.types().stream().map(DestinationType::id).toList());
      StringBuilder def = new StringBuilder();
      if (c.defaultValue() != null && !c.defaultValue().isEmpty()) {
        def.append('`').append(c.defaultValue()).append('`');
      } else if (k.required()) {
        def.append("required");
      }
      k.typeDefaults()
          .forEach(
              (t, v) ->
                  def.append(def.length() == 0 ? "" : "; ")
                      .append(t)
                      .append(": `")
                      .append(v)
                      .append('`'));
      String doc = c.doc().replace("|", "\\|");
      if (c.checkDescription() != null) {
        doc += " (" + c.checkDescription() + ")";
      }
      sb.append("| `")
          .append(c.prefix() ? c.name() + "*" : c.name())
          .append("` | ")
          .append(types)
          .append(" | ")
          .append(def)
          .append(" | ")
          .append(doc)
          .append(" |\n");
    }
    return sb.toString();
  }
}
