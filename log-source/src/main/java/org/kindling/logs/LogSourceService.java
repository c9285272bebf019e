package org.kindling.logs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.kindling.core.Service;
import org.kindling.core.config.ConfigException;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.ops.HealthCheck;
import org.kindling.logs.file.FileCheckpoint;
import org.kindling.logs.file.FollowFiles;
import org.kindling.logs.parse.ParseCombinedLog;
import org.kindling.logs.parse.ParseLogLine;
import org.kindling.logs.parse.ParseLogTime;
import org.kindling.logs.parse.ParseRegexLog;
import org.kindling.logs.rules.MatchRule;
import org.kindling.logs.rules.ReadRules;
import org.kindling.logs.rules.Rule;
import org.kindling.logs.syslog.ParseSyslog;
import org.kindling.logs.syslog.SyslogServer;
import org.kindling.schemas.SchemaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log source stage: follows the configured access log files and/or listens for syslog, turns
 * the lines that a rule matches into submissions on {@code ingest.raw} (and the ones a rule selects
 * but that cannot be read into records on {@code ingest.errors}), and checkpoints the files'
 * positions once Kafka has acknowledged them. {@link #close()} stops reading, waits for the records
 * in flight (up to {@code logs.shutdown.timeout}), writes the last checkpoint and closes.
 */
public final class LogSourceService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(LogSourceService.class);

  private final KindlingConfig config;
  private final MeterRegistry registry;
  private final Producer<String, byte[]> producer;
  private final Clock clock;
  private final List<Path> files;
  private final int tcpPort;
  private final int udpPort;
  private final ProcessLine process;
  private final List<Rule> rules;
  private final LogSourceMetrics metrics;
  private PublishRecords publisher;
  private FileCheckpoint checkpoint;
  private FollowFiles follow;
  private SyslogServer syslog;
  private KafkaClientMetrics producerMetrics;

  /** The log source with a Kafka producer built from {@code config}. */
  public LogSourceService(KindlingConfig config, MeterRegistry registry) {
    this(config, registry, null, Clock.systemUTC());
  }

  /**
   * The log source writing through {@code producer} (closed with the service; configured as {@link
   * PublishRecords#producerProperties} does), for tests and benchmarks.
   */
  public LogSourceService(
      KindlingConfig config, MeterRegistry registry, Producer<String, byte[]> producer) {
    this(config, registry, producer, Clock.systemUTC());
  }

  private LogSourceService(
      KindlingConfig config, MeterRegistry registry, Producer<String, byte[]> producer, Clock c) {
    this.config = config;
    this.registry = registry;
    this.clock = c;
    this.files = config.getList(LogSourceConfig.FILES).stream().map(Path::of).toList();
    this.tcpPort = config.getInt(LogSourceConfig.SYSLOG_TCP_PORT);
    this.udpPort = config.getInt(LogSourceConfig.SYSLOG_UDP_PORT);
    checkConfig(config);
    this.rules = ReadRules.from(config);
    this.metrics = new LogSourceMetrics(registry, rules);
    this.process =
        new ProcessLine(
            parser(config),
            new MatchRule(rules),
            timeParser(config),
            new BuildSubmission(hostName(), clock),
            // the template only makes the per-input copies; its own counters are never shown
            new LogSourceMetrics(new SimpleMeterRegistry(), rules).input("template"),
            clock);
    this.producer = producer;
  }

  /**
   * Checks the log source's settings without starting anything: something to read, the format, the
   * time form and the rules.
   *
   * @throws ConfigException naming the key that is wrong
   */
  public static void checkConfig(KindlingConfig config) {
    List<String> files = config.getList(LogSourceConfig.FILES);
    int tcpPort = config.getInt(LogSourceConfig.SYSLOG_TCP_PORT);
    int udpPort = config.getInt(LogSourceConfig.SYSLOG_UDP_PORT);
    if (files.isEmpty() && tcpPort < 0 && udpPort < 0) {
      throw new ConfigException(
          "nothing to read: give log files ("
              + LogSourceConfig.FILES
              + ") or a syslog port ("
              + LogSourceConfig.SYSLOG_TCP_PORT
              + ", "
              + LogSourceConfig.SYSLOG_UDP_PORT
              + ")");
    }
    if (files.stream().map(f -> Path.of(f).toAbsolutePath().normalize()).distinct().count()
        != files.size()) {
      throw new ConfigException(LogSourceConfig.FILES + " names a file twice");
    }
    parser(config);
    timeParser(config);
    ReadRules.from(config);
  }

  /** The line format of {@code logs.format}; a bad expression is a configuration error. */
  static ParseLogLine parser(KindlingConfig config) {
    String format = config.getString(LogSourceConfig.FORMAT);
    if (format.equals("combined")) {
      return new ParseCombinedLog();
    }
    String regex = config.getString(LogSourceConfig.FORMAT_REGEX);
    if (regex == null || regex.isBlank()) {
      throw new ConfigException(
          "configuration key '"
              + LogSourceConfig.FORMAT_REGEX
              + "' has no value (logs.format=regex)");
    }
    try {
      return new ParseRegexLog(regex);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "bad value for configuration key '"
              + LogSourceConfig.FORMAT_REGEX
              + "': "
              + e.getMessage());
    }
  }

  static ParseLogTime timeParser(KindlingConfig config) {
    String spec = config.getString(LogSourceConfig.FORMAT_TIME);
    try {
      return ParseLogTime.of(spec);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "bad value '"
              + spec
              + "' for configuration key '"
              + LogSourceConfig.FORMAT_TIME
              + "': expected clf, iso8601, epoch or a java.time pattern ("
              + e.getMessage()
              + ")");
    }
  }

  @Override
  public String name() {
    return "log-source";
  }

  @Override
  public void start() throws Exception {
    warnAboutSchemas();
    Producer<String, byte[]> p =
        producer != null
            ? producer
            : new KafkaProducer<>(PublishRecords.producerProperties(config));
    producerMetrics = new KafkaClientMetrics(p);
    producerMetrics.bindTo(registry);
    publisher = new PublishRecords(p, config.getInt(LogSourceConfig.MAX_INFLIGHT_RECORDS), metrics);
    int maxLine =
        (int) Math.min(Integer.MAX_VALUE - 65_536, config.getSize(LogSourceConfig.MAX_LINE_BYTES));
    String sourceName = config.getString(LogSourceConfig.SOURCE_NAME);
    try {
      if (!files.isEmpty()) {
        checkpoint = FileCheckpoint.open(config.getPath(LogSourceConfig.CHECKPOINT_DIR), clock);
        follow =
            new FollowFiles(
                files,
                sourceName,
                process,
                publisher,
                metrics,
                checkpoint,
                config.getString(LogSourceConfig.FILE_START),
                config.getDuration(LogSourceConfig.FILE_POLL_INTERVAL),
                config.getDuration(LogSourceConfig.FILE_CLOSE_INACTIVE),
                config.getDuration(LogSourceConfig.CHECKPOINT_INTERVAL),
                maxLine);
        follow.start();
      }
      if (tcpPort >= 0 || udpPort >= 0) {
        syslog =
            new SyslogServer(
                config.getString(LogSourceConfig.SYSLOG_HOST),
                tcpPort,
                udpPort,
                config.getInt(LogSourceConfig.SYSLOG_MAX_CONNECTIONS),
                maxLine,
                sourceName,
                process,
                new ParseSyslog(clock, ZoneId.systemDefault()),
                publisher,
                metrics,
                registry);
        LOG.info(
            "syslog listener on {}{}",
            syslog.tcpPort() >= 0 ? "tcp port " + syslog.tcpPort() : "",
            syslog.udpPort() >= 0
                ? (syslog.tcpPort() >= 0 ? ", " : "") + "udp port " + syslog.udpPort()
                : "");
      }
    } catch (Exception e) {
      close();
      throw e;
    }
    LOG.info(
        "log source running: rules {}",
        rules.stream().map(r -> r.name() + " -> " + r.doctype()).toList());
  }

  private void warnAboutSchemas() {
    SchemaStore bundled;
    try {
      bundled = SchemaStore.bundled();
    } catch (RuntimeException e) {
      return;
    }
    for (Rule r : rules) {
      if (bundled.find(r.namespace(), r.type(), r.version()).isEmpty()) {
        LOG.warn(
            "rule {} makes {} documents, which has no bundled schema: the validator rejects them"
                + " unless its schema directory has one",
            r.name(),
            r.doctype());
      }
    }
  }

  /** The bound TCP syslog port (useful with port 0), or -1. */
  public int syslogTcpPort() {
    return syslog == null ? -1 : syslog.tcpPort();
  }

  /** The bound UDP syslog port, or -1. */
  public int syslogUdpPort() {
    return syslog == null ? -1 : syslog.udpPort();
  }

  /** Records handed to Kafka and not yet acknowledged. */
  public int inflight() {
    return publisher == null ? 0 : publisher.inflight();
  }

  @Override
  public List<HealthCheck> healthChecks() {
    List<HealthCheck> checks = new ArrayList<>();
    if (publisher != null) {
      checks.add(publisher.healthCheck());
    }
    if (follow != null) {
      checks.addAll(follow.healthChecks());
    }
    if (syslog != null) {
      checks.add(syslog.healthCheck());
    }
    return checks;
  }

  @Override
  public void close() {
    if (syslog != null) {
      syslog.close();
    }
    if (follow != null) {
      follow.stopReading();
    }
    if (publisher != null
        && !publisher.flush(config.getDuration(LogSourceConfig.SHUTDOWN_TIMEOUT))) {
      LOG.warn(
          "{} record(s) not acknowledged within {}; the files are read again from the last"
              + " acknowledged position at the next start",
          publisher.inflight(),
          config.getDuration(LogSourceConfig.SHUTDOWN_TIMEOUT));
    }
    if (follow != null) {
      follow.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (producerMetrics != null) {
      producerMetrics.close();
    }
    if (checkpoint != null) {
      checkpoint.close();
    }
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return null;
    }
  }
}
