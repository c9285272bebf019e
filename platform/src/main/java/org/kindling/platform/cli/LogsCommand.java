package org.kindling.platform.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.kindling.core.Service;
import org.kindling.core.config.KindlingConfig;
import org.kindling.logs.LogSourceConfig;
import org.kindling.logs.LogSourceService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kindling logs}: the log source on its own. */
@Command(
    name = "logs",
    description =
        "Run the log source: follow access log files and/or listen for syslog, and send the lines"
            + " a rule matches (by default downloads, GET /<product>/<version>/<os>/<locale>/...)"
            + " to ingest.raw as submissions, checkpointing file positions once Kafka has them."
            + " Serves /__heartbeat__, /__lbheartbeat__, /__version__ and /metrics on ops.port.")
public final class LogsCommand extends StageCommand {
  @Parameters(
      paramLabel = "FILE",
      arity = "0..*",
      description = "Access log files to follow (sets logs.files).")
  List<Path> files;

  @Option(
      names = "--syslog-tcp",
      paramLabel = "PORT",
      description = "Listen for syslog over TCP on PORT (sets logs.syslog.tcp.port).")
  Integer syslogTcp;

  @Option(
      names = "--syslog-udp",
      paramLabel = "PORT",
      description = "Listen for syslog over UDP on PORT (sets logs.syslog.udp.port).")
  Integer syslogUdp;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Line format: combined or regex (sets logs.format; see logs.format.regex).")
  String format;

  @Override
  public Integer call() throws Exception {
    if (files != null && !files.isEmpty()) {
      config.set(
          LogSourceConfig.FILES,
          files.stream().map(Path::toString).collect(Collectors.joining(",")));
    }
    if (syslogTcp != null) {
      config.set(LogSourceConfig.SYSLOG_TCP_PORT, syslogTcp.toString());
    }
    if (syslogUdp != null) {
      config.set(LogSourceConfig.SYSLOG_UDP_PORT, syslogUdp.toString());
    }
    if (format != null) {
      config.set(LogSourceConfig.FORMAT, format);
    }
    // a configuration mistake is reported before waiting for Kafka
    LogSourceService.checkConfig(config.load());
    return super.call();
  }

  @Override
  protected Service create(KindlingConfig config, PrometheusMeterRegistry registry) {
    return new LogSourceService(config, registry);
  }
}
