package org.kindling.logs;

import java.util.List;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.ConfigModule;
import org.kindling.core.config.ConfigType;

/** Configuration keys of the log source ({@code logs.*}). */
public final class LogSourceConfig implements ConfigModule {
  public static final String FILES = "logs.files";
  public static final String SOURCE_NAME = "logs.source.name";
  public static final String FORMAT = "logs.format";
  public static final String FORMAT_REGEX = "logs.format.regex";
  public static final String FORMAT_TIME = "logs.format.time";
  public static final String RULES = "logs.rules";
  public static final String RULE_PREFIX = "logs.rule.";
  public static final String FILE_START = "logs.file.start";
  public static final String FILE_POLL_INTERVAL = "logs.file.poll.interval";
  public static final String FILE_CLOSE_INACTIVE = "logs.file.close.inactive";
  public static final String CHECKPOINT_DIR = "logs.checkpoint.dir";
  public static final String CHECKPOINT_INTERVAL = "logs.checkpoint.interval";
  public static final String MAX_LINE_BYTES = "logs.max.line.bytes";
  public static final String MAX_INFLIGHT_RECORDS = "logs.max.inflight.records";
  public static final String SHUTDOWN_TIMEOUT = "logs.shutdown.timeout";
  public static final String SYSLOG_HOST = "logs.syslog.host";
  public static final String SYSLOG_TCP_PORT = "logs.syslog.tcp.port";
  public static final String SYSLOG_UDP_PORT = "logs.syslog.udp.port";
  public static final String SYSLOG_MAX_CONNECTIONS = "logs.syslog.max.connections";

  /** The file start policies of {@value #FILE_START}. */
  public static final List<String> START_POLICIES = List.of("beginning", "end", "all");

  @Override
  public String title() {
    return "Log source (kindling logs)";
  }

  @Override
  public List<ConfigKey> keys() {
    return List.of(
        ConfigKey.of(
            FILES,
            ConfigType.LIST,
            "",
            "Access log files to follow, by the name the web server writes to (e.g."
                + " /var/log/nginx/access.log). Rotated files next to one (name.1, name.2.gz,"
                + " name-20261127) are found by content, so rotation by rename or copy-truncate"
                + " loses nothing. Empty: no file is followed."),
        ConfigKey.of(
            SOURCE_NAME,
            ConfigType.STRING,
            "logs",
            "Name of this log source, part of every derived document id (with the file path or"
                + " the syslog host name and the line). Must stay the same across restarts, or a"
                + " line read again would get a new id and count twice; give each machine its own"
                + " name when several feed one pipeline."),
        ConfigKey.oneOf(
            FORMAT,
            "combined",
            List.of("combined", "regex"),
            "Line format. combined: the NCSA combined format of nginx's and Apache's default"
                + " access logs (common-format lines without referer and user agent are accepted"
                + " too). regex: the named groups of logs.format.regex."),
        ConfigKey.of(
            FORMAT_REGEX,
            ConfigType.STRING,
            "",
            "Java regular expression for logs.format=regex, matched against the whole line. Named"
                + " groups: remoteaddr, time, request (or method, path, protocol), status, bytes,"
                + " referer, useragent, host; remoteaddr is required. E.g. the seed's syslog-ng"
                + " output of address, ISO time and request path: (?<remoteaddr>\\S+)"
                + " (?<time>\\S+) (?<method>\\S+) (?<path>\\S+) (?<status>\\d{3})"),
        ConfigKey.of(
            FORMAT_TIME,
            ConfigType.STRING,
            "clf",
            "How the time field is written: clf (27/Nov/2026:10:00:00 +0000, nginx $time_local,"
                + " Apache %t), iso8601 (nginx $time_iso8601, syslog-ng ISODATE), epoch (seconds"
                + " with an optional fraction, nginx $msec) or a java.time pattern. It becomes the"
                + " submission_timestamp, so the map counts a download in the minute it happened."),
        ConfigKey.of(
            RULES,
            ConfigType.LIST,
            "download",
            "Rules tried in order on every line; the first whose method, status and path match"
                + " makes the line a submission of its doctype. download is built in: GET"
                + " /<product>/<version>/<os>/<locale>/<file> answered 200, 206 or 302 becomes a"
                + " glow/download/1 document with those four fields. Lines no rule matches are"
                + " counted (logs_lines_skipped) and dropped."),
        ConfigKey.prefix(
            RULE_PREFIX,
            "Settings of rule NAME: logs.rule.NAME.doctype (namespace/type/version),"
                + " .methods (list, default GET), .status (list, default 200,206,302), .path (Java"
                + " regular expression matched against the whole request path without the query;"
                + " each named group becomes a document field of that name) and .set (constant"
                + " fields, name=value,...). Settings given for download replace its built-in"
                + " ones."),
        ConfigKey.oneOf(
            FILE_START,
            "beginning",
            START_POLICIES,
            "Where to start in a file that has no checkpoint yet. beginning: the current file from"
                + " its first line, rotated files are left alone; end: only lines written from now"
                + " on; all: the rotated files too (gzip'd or not, oldest first), each read once."
                + " Once a checkpoint exists, reading always resumes from it."),
        ConfigKey.positive(
            FILE_POLL_INTERVAL,
            ConfigType.DURATION,
            "250ms",
            "How often a followed file is checked for new lines, rotation and truncation when"
                + " there was nothing to read. A quarter second keeps the map live and costs one"
                + " stat call per file."),
        ConfigKey.positive(
            FILE_CLOSE_INACTIVE,
            ConfigType.DURATION,
            "5m",
            "How long a file that was renamed away (rotated) is kept open after it last grew."
                + " A web server writes to the old file until it reopens its logs, and Apache's"
                + " children log a long download when it ends; 5 minutes covers both."),
        ConfigKey.of(
            CHECKPOINT_DIR,
            ConfigType.PATH,
            "data/log-source",
            "Directory of the checkpoint: for every followed file, the position up to which Kafka"
                + " has acknowledged every record. Must survive a restart; one log source process"
                + " per directory (it is locked)."),
        ConfigKey.positive(
            CHECKPOINT_INTERVAL,
            ConfigType.DURATION,
            "1s",
            "How often the checkpoint is written when positions moved. A crash re-reads at most"
                + " this much plus what was in flight; the copies get the same document ids and"
                + " the validator drops them."),
        ConfigKey.positive(
            MAX_LINE_BYTES,
            ConfigType.SIZE,
            "64KiB",
            "Longest line or syslog message taken whole. Access log lines are a few hundred bytes;"
                + " a longer one goes to ingest.errors (cut to this size) instead of growing the"
                + " buffers without bound."),
        ConfigKey.intRange(
            MAX_INFLIGHT_RECORDS,
            "10000",
            1,
            10_000_000,
            "Records sent to Kafka and not yet acknowledged, at most. At the bound, reading files"
                + " pauses and TCP syslog senders are no longer read from (back-pressure); 10000"
                + " lines of about 1 KiB keep well inside the producer's 32 MiB buffer."),
        ConfigKey.positive(
            SHUTDOWN_TIMEOUT,
            ConfigType.DURATION,
            "30s",
            "On shutdown, how long records in flight may take to be acknowledged before the last"
                + " checkpoint is written."),
        ConfigKey.of(
            SYSLOG_HOST,
            ConfigType.STRING,
            "0.0.0.0",
            "Interface of the syslog listener; all interfaces, since the senders are the web"
                + " servers and syslog relays."),
        ConfigKey.intRange(
            SYSLOG_TCP_PORT,
            "-1",
            -1,
            65_535,
            "TCP port of the syslog listener (RFC 5424 or RFC 3164 messages, octet-counted or"
                + " newline-framed, as syslog-ng and rsyslog send them); -1 turns it off, 0 picks a"
                + " free port."),
        ConfigKey.intRange(
            SYSLOG_UDP_PORT,
            "-1",
            -1,
            65_535,
            "UDP port of the syslog listener; -1 turns it off. UDP has no back-pressure: while"
                + " Kafka is behind, datagrams beyond logs.max.inflight.records are dropped and"
                + " counted (logs_syslog_dropped). Prefer TCP."),
        ConfigKey.intRange(
            SYSLOG_MAX_CONNECTIONS,
            "1000",
            1,
            1_000_000,
            "Open TCP syslog connections at most; further ones are closed at once. Senders keep"
                + " one connection each, so 1000 is far above need and still bounds file"
                + " descriptors."));
  }
}
