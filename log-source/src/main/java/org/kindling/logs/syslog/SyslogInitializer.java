package org.kindling.logs.syslog;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import org.kindling.logs.LogSourceMetrics;
import org.kindling.logs.ProcessLine;
import org.kindling.logs.PublishRecords;

/** The pipeline of a TCP syslog connection: framing, then the handler. */
final class SyslogInitializer extends ChannelInitializer<SocketChannel> {
  private final ProcessLine process;
  private final LogSourceMetrics.Input input;
  private final ParseSyslog parse;
  private final PublishRecords publisher;
  private final PauseReading pause;
  private final String sourceName;
  private final int maxBytes;
  private final LimitConnections limit;

  SyslogInitializer(
      ProcessLine process,
      LogSourceMetrics.Input input,
      ParseSyslog parse,
      PublishRecords publisher,
      PauseReading pause,
      String sourceName,
      int maxBytes,
      LimitConnections limit) {
    this.process = process;
    this.input = input;
    this.parse = parse;
    this.publisher = publisher;
    this.pause = pause;
    this.sourceName = sourceName;
    this.maxBytes = maxBytes;
    this.limit = limit;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast("limit", limit)
        .addLast("framing", new SyslogFrameDecoder(maxBytes))
        .addLast(
            "syslog", new SyslogHandler(process.copy(input), parse, publisher, pause, sourceName));
  }
}
