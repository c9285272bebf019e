package org.kindling.export.amplitude;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.kindling.core.Json;
import org.kindling.export.Destination;
import org.kindling.export.ExportRecord;
import org.kindling.export.Item;
import org.kindling.export.Outcome;
import org.kindling.export.UnencodableException;
import org.kindling.export.config.DestinationConfig;
import org.kindling.export.config.DestinationKeys;
import org.kindling.export.document.DocumentPath;
import org.kindling.export.document.Template;
import org.kindling.export.http.HttpConfig;
import org.kindling.export.http.HttpSender;

/**
 * Events for Amplitude's HTTP V2 API ({@code POST /2/httpapi}): {@code
 * {"api_key":..,"events":[..],"options":{..}}}, one event per document with {@code event_type},
 * {@code user_id} and/or {@code device_id} from the configured fields, {@code insert_id} = the
 * document id, {@code time} = the submission time in milliseconds, the configured {@code
 * event_properties}, and country, region, city and OS from the document's metadata (so Amplitude
 * need not locate the sender's address; no IP is ever sent).
 *
 * <p>Answers: 200 acknowledges; a 400 that lists events ({@code events_with_invalid_fields}, {@code
 * events_with_missing_fields}) rejects those and the rest is sent again; another 400 or a 413
 * splits the batch; 429 (throttled) and 5xx are retried, honouring Retry-After. Idempotency key:
 * {@code insert_id}, which Amplitude deduplicates on for 7 days, so a re-sent document is counted
 * once.
 */
public final class AmplitudeDestination implements Destination {
  private final URI url;
  private final String apiKey;
  private final Template eventType;
  private final DocumentPath userId;
  private final List<DocumentPath> deviceIds;
  private final List<DocumentPath> properties;
  private final Integer minIdLength;
  private final HttpSender http;

  private static final DocumentPath COUNTRY = DocumentPath.parse("metadata.geo.country");
  private static final DocumentPath REGION = DocumentPath.parse("metadata.geo.subdivision1");
  private static final DocumentPath CITY = DocumentPath.parse("metadata.geo.city");
  private static final DocumentPath OS = DocumentPath.parse("metadata.user_agent.os");
  private static final DocumentPath APP_VERSION = DocumentPath.parse("metadata.uri.app_version");

  AmplitudeDestination(
      URI url,
      String apiKey,
      Template eventType,
      DocumentPath userId,
      List<DocumentPath> deviceIds,
      List<DocumentPath> properties,
      Integer minIdLength,
      HttpSender http) {
    this.url = url;
    this.apiKey = apiKey;
    this.eventType = eventType;
    this.userId = userId;
    this.deviceIds = deviceIds;
    this.properties = properties;
    this.minIdLength = minIdLength;
    this.http = http;
  }

  /** The destination of {@code c}; fails start-up on a setting it cannot use. */
  public static AmplitudeDestination create(DestinationConfig c, Clock clock) {
    if (!"documents".equals(c.getString(DestinationKeys.FILTER_RECORDS))) {
      throw c.bad(DestinationKeys.FILTER_RECORDS, "an amplitude destination takes documents only");
    }
    if (c.getInt(DestinationKeys.BATCH_MAX_RECORDS) > DestinationKeys.AMPLITUDE_MAX_EVENTS) {
      throw c.bad(
          DestinationKeys.BATCH_MAX_RECORDS,
          "Amplitude takes at most " + DestinationKeys.AMPLITUDE_MAX_EVENTS + " events a request");
    }
    URI url = HttpConfig.uri(c, DestinationKeys.AMPLITUDE_URL);
    String key = c.require(DestinationKeys.AMPLITUDE_API_KEY, "for type amplitude");
    Template eventType;
    try {
      eventType = Template.parse(c.getString(DestinationKeys.AMPLITUDE_EVENT_TYPE));
    } catch (IllegalArgumentException e) {
      throw c.bad(DestinationKeys.AMPLITUDE_EVENT_TYPE, e.getMessage());
    }
    DocumentPath user = null;
    if (c.has(DestinationKeys.AMPLITUDE_USER_ID_FIELD)) {
      try {
        user = DocumentPath.parse(c.getString(DestinationKeys.AMPLITUDE_USER_ID_FIELD));
      } catch (IllegalArgumentException e) {
        throw c.bad(DestinationKeys.AMPLITUDE_USER_ID_FIELD, e.getMessage());
      }
    }
    List<DocumentPath> devices = paths(c, DestinationKeys.AMPLITUDE_DEVICE_ID_FIELDS);
    if (user == null && devices.isEmpty()) {
      throw c.bad(
          DestinationKeys.AMPLITUDE_DEVICE_ID_FIELDS,
          "an Amplitude event needs a user_id or a device_id: set this or amplitude.user.id.field");
    }
    Integer minIdLength =
        c.has(DestinationKeys.AMPLITUDE_MIN_ID_LENGTH)
            ? c.getInt(DestinationKeys.AMPLITUDE_MIN_ID_LENGTH)
            : null;
    return new AmplitudeDestination(
        url,
        key,
        eventType,
        user,
        devices,
        paths(c, DestinationKeys.AMPLITUDE_EVENT_PROPERTIES),
        minIdLength,
        HttpConfig.sender(c, clock));
  }

  private static List<DocumentPath> paths(DestinationConfig c, String key) {
    List<DocumentPath> out = new ArrayList<>();
    for (String spec : c.getList(key)) {
      try {
        out.add(DocumentPath.parse(spec));
      } catch (IllegalArgumentException e) {
        throw c.bad(key, e.getMessage());
      }
    }
    return out;
  }

  @Override
  public String target() {
    return url.toString();
  }

  @Override
  public byte[] encode(ExportRecord r) throws UnencodableException {
    JsonNode doc = r.document();
    if (r.isError() || doc == null) {
      throw new UnencodableException("an Amplitude event needs a JSON document");
    }
    Instant at = r.time();
    if (at == null) {
      throw new UnencodableException("no submission_timestamp for the event time");
    }
    ObjectNode e = Json.mapper().createObjectNode();
    String type = eventType.render(r.attributes());
    if (type.isBlank()) {
      throw new UnencodableException("empty event_type for " + r.doctype());
    }
    e.put("event_type", type);
    String user = userId == null ? null : userId.text(doc);
    String device = null;
    for (DocumentPath p : deviceIds) {
      device = p.text(doc);
      if (device != null) {
        break;
      }
    }
    if (user == null && device == null) {
      throw new UnencodableException(
          "no user_id or device_id in the document (looked at "
              + (userId == null ? "" : userId.path() + ", ")
              + String.join(", ", deviceIds.stream().map(DocumentPath::path).toList())
              + ")");
    }
    if (user != null) {
      e.put("user_id", user);
    }
    if (device != null) {
      e.put("device_id", device);
    }
    e.put("insert_id", r.id());
    e.put("time", at.toEpochMilli());
    putText(e, "country", COUNTRY, doc);
    putText(e, "region", REGION, doc);
    putText(e, "city", CITY, doc);
    putText(e, "os_name", OS, doc);
    putText(e, "app_version", APP_VERSION, doc);
    if (!properties.isEmpty()) {
      ObjectNode props = e.putObject("event_properties");
      for (DocumentPath p : properties) {
        JsonNode v = p.find(doc);
        if (v != null) {
          props.set(p.name(), v);
        }
      }
    }
    try {
      return Json.mapper().writeValueAsBytes(e);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static void putText(ObjectNode e, String field, DocumentPath path, JsonNode doc) {
    String v = path.text(doc);
    if (v != null) {
      e.put(field, v);
    }
  }

  /** The request body: the key, the events in batch order, the options. */
  byte[] body(List<Item> batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      out.writeBytes("{\"api_key\":".getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(Json.mapper().writeValueAsBytes(apiKey));
      out.writeBytes(",\"events\":[".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < batch.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.writeBytes(batch.get(i).encoded());
      }
      out.write(']');
      if (minIdLength != null) {
        out.writeBytes(
            (",\"options\":{\"min_id_length\":" + minIdLength + "}")
                .getBytes(StandardCharsets.US_ASCII));
      }
      out.write('}');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public Outcome send(List<Item> batch) throws InterruptedException {
    return http.post(
        url,
        Map.of("Content-Type", "application/json", "Accept", "*/*"),
        body(batch),
        a -> read(a, http));
  }

  /** Amplitude's answers (see the class comment). */
  static Outcome read(HttpSender.Answer a, HttpSender http) {
    if (a.status() == 400) {
      Set<Integer> indices = rejectedEvents(a.body());
      return new Outcome.Rejected(HttpSender.reason(a), indices.isEmpty() ? null : indices);
    }
    return http.classify(a);
  }

  /** The event positions a 400 answer names as invalid or missing fields. */
  static Set<Integer> rejectedEvents(String body) {
    Set<Integer> out = new TreeSet<>();
    JsonNode n;
    try {
      n = Json.mapper().readTree(body);
    } catch (IOException | RuntimeException e) {
      return out;
    }
    if (n == null) {
      return out;
    }
    for (String field : List.of("events_with_invalid_fields", "events_with_missing_fields")) {
      for (JsonNode list : n.path(field)) {
        for (JsonNode i : list) {
          if (i.canConvertToInt()) {
            out.add(i.asInt());
          }
        }
      }
    }
    return out;
  }
}
