package org.kindling.logs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kindling.logs.parse.LogLine;
import org.kindling.logs.parse.LogParseException;
import org.kindling.logs.parse.ParseLogLine;
import org.kindling.logs.parse.ParseLogTime;
import org.kindling.logs.rules.MatchRule;
import org.kindling.logs.rules.Rule;
import org.kindling.logs.rules.RuleMatch;

/**
 * What happens to one line, the same for followed files and syslog messages:
 *
 * <ol>
 *   <li>split it with the format ({@link ParseLogLine});
 *   <li>find the first rule whose method, status and path match ({@link MatchRule}); none: the line
 *       is counted as skipped and nothing is sent;
 *   <li>read the log time, check the address, decode the fields; any of that failing, or a line
 *       that does not fit the format but contains a rule's path, makes a {@code log_parse} record
 *       on {@code ingest.errors};
 *   <li>otherwise the submission on {@code ingest.raw} ({@link BuildSubmission}), with the document
 *       id derived from the source and the line ({@link DeriveDocumentId}).
 * </ol>
 *
 * <p>Not thread-safe; {@link #copy} gives each reading thread (the file follower, each syslog
 * connection) its own.
 */
public final class ProcessLine {
  private final ParseLogLine parser;
  private final MatchRule rules;
  private final ParseLogTime time;
  private final BuildSubmission build;
  private final DeriveDocumentId ids = new DeriveDocumentId();
  private final LogSourceMetrics.Input metrics;
  private final Clock clock;

  public ProcessLine(
      ParseLogLine parser,
      MatchRule rules,
      ParseLogTime time,
      BuildSubmission build,
      LogSourceMetrics.Input metrics,
      Clock clock) {
    this.parser = parser;
    this.rules = rules;
    this.time = time;
    this.build = build;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** A processor of the same format and rules for another thread, counting into {@code input}. */
  public ProcessLine copy(LogSourceMetrics.Input input) {
    return new ProcessLine(parser, rules.copy(), time.copy(), build.copy(), input, clock);
  }

  /** The counters this processor counts into. */
  public LogSourceMetrics.Input metrics() {
    return metrics;
  }

  /**
   * The record for the line {@code buf[off, off+len)} (without its newline) read from {@code
   * source}, or null when no rule matches it.
   *
   * @param fallbackMicros the time of a line whose format logs none (a syslog message's header
   *     time), or {@link Long#MIN_VALUE} for the time of reading
   */
  public ProducerRecord<String, byte[]> apply(
      byte[] source, byte[] buf, int off, int len, long fallbackMicros) {
    metrics.read.increment();
    while (len > 0 && buf[off] == 0) { // the hole a copy-truncate leaves for a non-append writer
      off++;
      len--;
    }
    if (len > 0 && buf[off + len - 1] == '\r') {
      len--;
    }
    if (len == 0) {
      metrics.skipped.increment();
      return null;
    }
    String text = new String(buf, off, len, StandardCharsets.UTF_8);
    LogLine line;
    try {
      line = parser.parse(text);
    } catch (LogParseException e) {
      int r = rules.lookalike(text);
      if (r < 0) {
        metrics.skipped.increment();
        return null;
      }
      return failure(source, buf, off, len, text, null, Long.MIN_VALUE, rules.rule(r), e);
    }
    int r = rules.select(line);
    if (r < 0) {
      metrics.skipped.increment();
      return null;
    }
    Rule rule = rules.rule(r);
    long micros = Long.MIN_VALUE;
    try {
      if (line.time() != null) {
        micros = time.micros(line.time());
      } else {
        micros =
            fallbackMicros != Long.MIN_VALUE
                ? fallbackMicros
                : clock.instant().toEpochMilli() * 1000L;
      }
      if (!IpAddress.isValid(line.remoteAddr())) {
        throw new LogParseException("remote address is not an IP address");
      }
      RuleMatch match = rules.fields(r);
      UUID id = ids.derive(source, buf, off, len);
      metrics.matched(r);
      return build.submission(match, line, micros, id);
    } catch (LogParseException e) {
      return failure(source, buf, off, len, text, line, micros, rule, e);
    }
  }

  private ProducerRecord<String, byte[]> failure(
      byte[] source,
      byte[] buf,
      int off,
      int len,
      String text,
      LogLine line,
      long micros,
      Rule rule,
      LogParseException e) {
    metrics.failed(LogSourceMetrics.LOG_PARSE);
    return build.failure(
        text,
        line,
        micros,
        rule.namespace(),
        rule.type(),
        rule.version(),
        ids.derive(source, buf, off, len),
        LogSourceMetrics.LOG_PARSE,
        "rule " + rule.name() + ": " + e.getMessage(),
        LogParseException.class.getName());
  }

  /**
   * The error record of a line longer than the limit: its first {@code len} bytes, which are all
   * that was kept.
   *
   * @param fullLength how long the line was (at least), for the message
   */
  public ProducerRecord<String, byte[]> tooLong(
      byte[] source, byte[] buf, int off, int len, long fullLength) {
    metrics.read.increment();
    metrics.failed(LogSourceMetrics.LINE_TOO_LONG);
    String text = new String(buf, off, len, StandardCharsets.UTF_8);
    return build.failure(
        text,
        null,
        Long.MIN_VALUE,
        null,
        null,
        null,
        ids.derive(source, buf, off, len),
        LogSourceMetrics.LINE_TOO_LONG,
        "line of " + fullLength + " bytes or more is longer than logs.max.line.bytes (" + len + ")",
        null);
  }
}
