package org.kindling.logs.syslog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kindling.logs.ProcessLine;
import org.kindling.logs.PublishRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP syslog connection: each message's MSG is processed as a log line ({@link ProcessLine})
 * and its record handed to Kafka; when Kafka is at its in-flight bound the connection stops being
 * read ({@link PauseReading}). One handler (and one {@link ProcessLine}) per connection.
 */
final class SyslogHandler extends SimpleChannelInboundHandler<SyslogFrameDecoder.Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(SyslogHandler.class);
  private static final PublishRecords.Acks NO_ONE = () -> {};
  private static final int MAX_SOURCES = 256;

  private final ProcessLine process;
  private final ParseSyslog parse;
  private final PublishRecords publisher;
  private final PauseReading pause;
  private final String sourceName;
  private final Map<String, byte[]> sources =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
          return size() > MAX_SOURCES;
        }
      };

  SyslogHandler(
      ProcessLine process,
      ParseSyslog parse,
      PublishRecords publisher,
      PauseReading pause,
      String sourceName) {
    this.process = process;
    this.parse = parse;
    this.publisher = publisher;
    this.pause = pause;
    this.sourceName = sourceName;
  }

  /** The id source of messages from {@code hostname}: logs.source.name, "syslog" and the host. */
  static byte[] source(Map<String, byte[]> cache, String sourceName, String hostname) {
    return cache.computeIfAbsent(
        hostname, h -> (sourceName + ":syslog:" + h).getBytes(StandardCharsets.UTF_8));
  }

  /** Processes one message; returns its record or null. */
  static ProducerRecord<String, byte[]> process(
      SyslogFrameDecoder.Frame frame,
      ParseSyslog parse,
      ProcessLine process,
      Map<String, byte[]> sources,
      String sourceName) {
    byte[] b = frame.bytes();
    ParseSyslog.Message m = parse.parse(b, b.length);
    byte[] source = source(sources, sourceName, m.hostname());
    if (frame.tooLong()) {
      return process.tooLong(source, b, m.msgOffset(), m.msgLength(), frame.length());
    }
    return process.apply(source, b, m.msgOffset(), m.msgLength(), m.micros());
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, SyslogFrameDecoder.Frame frame) {
    ProducerRecord<String, byte[]> r = process(frame, parse, process, sources, sourceName);
    if (r != null) {
      publisher.submit(r, NO_ONE);
      pause.check(ctx.channel());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    pause.forget(ctx.channel());
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("syslog connection closed after an error: {}", cause.toString());
    ctx.close();
  }
}
