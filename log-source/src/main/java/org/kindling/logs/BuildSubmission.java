package org.kindling.logs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.SubmitUri;
import org.kindling.core.Topics;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.logs.parse.LogLine;
import org.kindling.logs.rules.RuleMatch;

/**
 * Makes the Kafka records of the record contract from log lines: a submission on {@code ingest.raw}
 * that looks to the validator exactly like one the edge accepted, or a failure record on {@code
 * ingest.errors}.
 *
 * <p>The submission: key = the derived document id; value = the JSON document of the rule's fields;
 * headers in the edge's order: {@code submission_timestamp} (the log time), {@code uri} (the
 * generic {@link SubmitUri} of the rule's doctype and the id), {@code method} ({@code POST}, as
 * every edge submission), {@code protocol} (the logged request's), {@code remote_addr} (the logged
 * client), {@code user_agent} (the logged one), {@code content_length} (of the document), {@code
 * host} (when the format logs it) and {@code edge_host} (this machine). No record timestamp, as at
 * the edge: the producer's clock, which the validator's deduplication window is measured in.
 *
 * <p>Not thread-safe (the timestamp cache); one instance per reading thread.
 */
public final class BuildSubmission {
  /** The {@code stage} of the log source's failure records. */
  public static final String STAGE = "log-source";

  // Headers with the same value on every record are made once (Kafka only reads them).
  private static final Header POST =
      new RecordHeader(Attributes.METHOD, "POST".getBytes(StandardCharsets.UTF_8));

  private final String edgeHost;
  private final Header edgeHostHeader;
  private final Clock clock;
  private final SubmissionTimestamp timestamps = new SubmissionTimestamp();

  /**
   * @param edgeHost this machine's name for {@code edge_host}, or null
   * @param clock the clock of {@code failed_at}
   */
  public BuildSubmission(String edgeHost, Clock clock) {
    this.edgeHost = edgeHost;
    this.edgeHostHeader =
        edgeHost == null
            ? null
            : new RecordHeader(Attributes.EDGE_HOST, edgeHost.getBytes(StandardCharsets.UTF_8));
    this.clock = clock;
  }

  /** A builder of the same settings for another thread. */
  public BuildSubmission copy() {
    return new BuildSubmission(edgeHost, clock);
  }

  /** The {@code ingest.raw} record of a matched line. */
  public ProducerRecord<String, byte[]> submission(
      RuleMatch match, LogLine line, long micros, UUID id) {
    String documentId = id.toString();
    byte[] body = json(match.names(), match.values(), match.count());
    String uri =
        new SubmitUri(
                match.rule().namespace(),
                match.rule().type(),
                match.rule().version(),
                documentId,
                null,
                null,
                null,
                null)
            .path();
    RecordHeaders h = new RecordHeaders();
    add(h, Attributes.SUBMISSION_TIMESTAMP, timestamps.format(micros));
    add(h, Attributes.URI, uri);
    h.add(POST);
    add(h, Attributes.PROTOCOL, line.protocol());
    add(h, Attributes.REMOTE_ADDR, line.remoteAddr());
    add(h, Attributes.USER_AGENT, line.userAgent());
    add(h, Attributes.CONTENT_LENGTH, length(body.length));
    add(h, Attributes.HOST, line.host());
    if (edgeHostHeader != null) {
      h.add(edgeHostHeader);
    }
    return new ProducerRecord<>(Topics.RAW.name(), null, null, documentId, body, h);
  }

  /**
   * The {@code ingest.errors} record of a line that failed: the line (addresses masked) as payload,
   * the attributes known so far.
   *
   * @param line the parsed fields, or null when the line did not fit the format
   * @param micros the log time, or {@link Long#MIN_VALUE} when unknown (then: now)
   * @param namespace the namespace of the rule that selected the line, or null
   * @param type its document type, or null
   * @param version its version, or null
   */
  public ProducerRecord<String, byte[]> failure(
      String rawLine,
      LogLine line,
      long micros,
      String namespace,
      String type,
      String version,
      UUID id,
      String errorType,
      String message,
      String exceptionClass) {
    Map<String, String> a = new LinkedHashMap<>();
    long when = micros != Long.MIN_VALUE ? micros : clock.instant().toEpochMilli() * 1000;
    a.put(Attributes.SUBMISSION_TIMESTAMP, timestamps.format(when));
    if (line != null) {
      putIfPresent(a, Attributes.PROTOCOL, line.protocol());
      if (IpAddress.isValid(line.remoteAddr())) {
        a.put(Attributes.REMOTE_ADDR, line.remoteAddr());
      }
      putIfPresent(a, Attributes.USER_AGENT, line.userAgent());
      putIfPresent(a, Attributes.HOST, line.host());
    }
    putIfPresent(a, Attributes.EDGE_HOST, edgeHost);
    putIfPresent(a, Attributes.DOCUMENT_NAMESPACE, namespace);
    putIfPresent(a, Attributes.DOCUMENT_TYPE, type);
    putIfPresent(a, Attributes.DOCUMENT_VERSION, version);
    a.put(Attributes.DOCUMENT_ID, id.toString());
    FailureRecord f =
        new FailureRecord(
            MaskAddresses.apply(rawLine).getBytes(StandardCharsets.UTF_8),
            a,
            errorType,
            message,
            exceptionClass,
            STAGE,
            clock.instant());
    return new ProducerRecord<>(
        Topics.ERRORS.name(), null, null, id.toString(), FailureRecordSerde.encode(f));
  }

  private static void putIfPresent(Map<String, String> a, String name, String value) {
    if (value != null) {
      a.put(name, value);
    }
  }

  private static final String[] LENGTHS = new String[1024];

  static {
    for (int i = 0; i < LENGTHS.length; i++) {
      LENGTHS[i] = Integer.toString(i);
    }
  }

  /** {@code n} as text; documents are small, so the usual lengths are made once. */
  private static String length(int n) {
    return n < LENGTHS.length ? LENGTHS[n] : Integer.toString(n);
  }

  private static void add(RecordHeaders h, String name, String value) {
    if (value != null) {
      h.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** {@code {"name":"value",...}} of string fields, escaped as JSON requires, as UTF-8. */
  static byte[] json(String[] names, String[] values, int count) {
    int size = 2;
    boolean ascii = true;
    for (int i = 0; i < count && ascii; i++) {
      ascii = plainAscii(names[i]) && plainAscii(values[i]);
      size += names[i].length() + values[i].length() + 6;
    }
    if (!ascii) {
      StringBuilder sb = new StringBuilder(size + 16).append('{');
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          sb.append(',');
        }
        string(sb, names[i]);
        sb.append(':');
        string(sb, values[i]);
      }
      return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
    // the usual document: printable ASCII without quotes or backslashes, written byte by byte
    byte[] out = new byte[size - (count == 0 ? 0 : 1)];
    int p = 0;
    out[p++] = '{';
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out[p++] = ',';
      }
      p = quoted(out, p, names[i]);
      out[p++] = ':';
      p = quoted(out, p, values[i]);
    }
    out[p] = '}';
    return out;
  }

  private static int quoted(byte[] out, int p, String s) {
    out[p++] = '"';
    for (int i = 0, n = s.length(); i < n; i++) {
      out[p++] = (byte) s.charAt(i);
    }
    out[p++] = '"';
    return p;
  }

  private static boolean plainAscii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
