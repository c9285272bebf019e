package org.kindling.export.influxdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.kindling.core.Attributes;
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
 * Points in InfluxDB through its HTTP write API, version 1 ({@code /write?db=&precision=}) or 2
 * ({@code /api/v2/write?org=&bucket=&precision=} with a token): one point per document, in a
 * measurement per doctype, tagged with the chosen metadata, with {@code count=1i} and the chosen
 * numeric fields, at the submission time. Error records become points of {@code
 * influxdb.errors.measurement} at their failed_at.
 *
 * <p>Idempotency: InfluxDB identifies a point by measurement, tag set and time and overwrites it
 * when written again, so a re-sent document replaces its own point. The time carries the document
 * id (see {@link #time}), so the key is in effect the document id.
 */
public final class InfluxDestination implements Destination {
  private final URI writeUri;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final LineProtocol protocol;
  private final Template measurement;
  private final String errorsMeasurement;
  private final List<DocumentPath> tags;
  private final List<DocumentPath> fields;
  private final boolean nanos;
  private final HttpSender http;
  private final String target;

  InfluxDestination(
      URI writeUri,
      String authorization,
      LineProtocol.Dialect dialect,
      Template measurement,
      String errorsMeasurement,
      List<DocumentPath> tags,
      List<DocumentPath> fields,
      boolean nanos,
      HttpSender http,
      String target) {
    this.writeUri = writeUri;
    headers.put("Content-Type", "text/plain; charset=utf-8");
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    this.protocol = new LineProtocol(dialect);
    this.measurement = measurement;
    this.errorsMeasurement = errorsMeasurement;
    this.tags = tags;
    this.fields = fields;
    this.nanos = nanos;
    this.http = http;
    this.target = target;
  }

  /** The destination of {@code c}; fails start-up on a setting it cannot use. */
  public static InfluxDestination create(DestinationConfig c, Clock clock) {
    String base = c.require(DestinationKeys.INFLUXDB_URL, "for type influxdb");
    URI baseUri = HttpConfig.base(c, DestinationKeys.INFLUXDB_URL);
    boolean v2 = "2".equals(c.getString(DestinationKeys.INFLUXDB_VERSION));
    String precision = c.getString(DestinationKeys.INFLUXDB_PRECISION);
    String query;
    String authorization = null;
    String target;
    if (v2) {
      String org = c.require(DestinationKeys.INFLUXDB_ORG, "for influxdb.version 2");
      String bucket = c.require(DestinationKeys.INFLUXDB_BUCKET, "for influxdb.version 2");
      String token = c.require(DestinationKeys.INFLUXDB_TOKEN, "for influxdb.version 2");
      query = "api/v2/write?org=" + enc(org) + "&bucket=" + enc(bucket);
      authorization = "Token " + token;
      target = base + " (InfluxDB 2 org " + org + ", bucket " + bucket + ")";
    } else {
      String db = c.require(DestinationKeys.INFLUXDB_DATABASE, "for influxdb.version 1");
      query = "write?db=" + enc(db);
      String rp = c.getString(DestinationKeys.INFLUXDB_RETENTION_POLICY);
      if (rp != null && !rp.isEmpty()) {
        query += "&rp=" + enc(rp);
      }
      String user = c.getString(DestinationKeys.INFLUXDB_USERNAME);
      if (user != null && !user.isEmpty()) {
        String password = c.getString(DestinationKeys.INFLUXDB_PASSWORD);
        authorization =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (user + ":" + (password == null ? "" : password))
                            .getBytes(StandardCharsets.UTF_8));
      }
      target = base + " (InfluxDB 1 database " + db + ")";
    }
    query += "&precision=" + precision;
    URI writeUri = baseUri.resolve(query);
    Template measurement = template(c, DestinationKeys.INFLUXDB_MEASUREMENT);
    String errors = c.getString(DestinationKeys.INFLUXDB_ERRORS_MEASUREMENT);
    if (errors == null || errors.isBlank() || errors.startsWith("#")) {
      throw c.bad(DestinationKeys.INFLUXDB_ERRORS_MEASUREMENT, "must be a measurement name");
    }
    return new InfluxDestination(
        writeUri,
        authorization,
        v2 ? LineProtocol.Dialect.V2 : LineProtocol.Dialect.V1,
        measurement,
        errors,
        paths(c, DestinationKeys.INFLUXDB_TAGS),
        paths(c, DestinationKeys.INFLUXDB_FIELDS),
        "ns".equals(precision),
        HttpConfig.sender(c, clock),
        target);
  }

  private static Template template(DestinationConfig c, String key) {
    String text = c.getString(key);
    if (text == null || text.isBlank() || text.startsWith("#")) {
      throw c.bad(key, "must be a measurement name (it must not start with #)");
    }
    try {
      return Template.parse(text);
    } catch (IllegalArgumentException e) {
      throw c.bad(key, e.getMessage());
    }
  }

  static List<DocumentPath> paths(DestinationConfig c, String key) {
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

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String target() {
    return target;
  }

  /** The URI points are written to (for tests and the README). */
  public URI writeUri() {
    return writeUri;
  }

  @Override
  public byte[] encode(ExportRecord r) throws UnencodableException {
    Instant at = r.time();
    if (at == null) {
      throw new UnencodableException("no submission_timestamp to use as the point's time");
    }
    TreeMap<String, String> tagValues = new TreeMap<>();
    Map<String, String> fieldValues = new LinkedHashMap<>();
    String m;
    if (r.isError()) {
      m = errorsMeasurement;
      tagValues.put("stage", r.failure().stage());
      tagValues.put("error_type", r.failure().errorType());
      tagValues.put(Attributes.DOCUMENT_NAMESPACE, r.attribute(Attributes.DOCUMENT_NAMESPACE));
      tagValues.put(Attributes.DOCUMENT_TYPE, r.attribute(Attributes.DOCUMENT_TYPE));
      fieldValues.put("count", "1i");
    } else {
      JsonNode doc = r.document();
      if (doc == null) {
        throw new UnencodableException("the record value is not a JSON object");
      }
      m = measurement.render(r.attributes());
      for (DocumentPath p : tags) {
        tagValues.put(p.name(), p.text(doc));
      }
      fieldValues.put("count", "1i");
      for (DocumentPath p : fields) {
        JsonNode v = p.find(doc);
        String number = v != null && v.isNumber() ? LineProtocol.number(v.asDouble()) : null;
        if (number != null) {
          fieldValues.put(p.name(), number);
        }
      }
    }
    if (protocol.measurement(m).isEmpty()) {
      throw new UnencodableException("empty measurement name for " + r.doctype());
    }
    return protocol
        .line(m, tagValues, fieldValues, time(at, r.id()))
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The point's time: milliseconds, or with ns the milliseconds followed by six digits taken from a
   * CRC-32 of the document id. Documents of the same tags in the same millisecond then get distinct
   * points (one in a million collide), while a re-sent document gets the same time and overwrites
   * its own point.
   */
  long time(Instant at, String id) {
    long ms = at.toEpochMilli();
    if (!nanos) {
      return ms;
    }
    CRC32 crc = new CRC32();
    crc.update(id.getBytes(StandardCharsets.UTF_8));
    return ms * 1_000_000L + crc.getValue() % 1_000_000L;
  }

  @Override
  public Outcome send(List<Item> batch) throws InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Item item : batch) {
      body.writeBytes(item.encoded());
      body.write('\n');
    }
    return http.post(writeUri, headers, body.toByteArray());
  }
}
