package org.kindling.logs.syslog;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kindling.logs.ProcessLine;
import org.kindling.logs.PublishRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syslog over UDP, one message per datagram. UDP cannot push back: while Kafka is at its in-flight
 * bound a datagram is dropped and counted ({@code logs_syslog_dropped}), with one warning per
 * episode, rather than left to the kernel to drop unseen.
 */
final class SyslogDatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger LOG = LoggerFactory.getLogger(SyslogDatagramHandler.class);
  private static final PublishRecords.Acks NO_ONE = () -> {};

  private final ProcessLine process;
  private final ParseSyslog parse;
  private final PublishRecords publisher;
  private final String sourceName;
  private final int maxBytes;
  private final Counter dropped;
  private final Map<String, byte[]> sources = new HashMap<>();
  private boolean dropping;

  SyslogDatagramHandler(
      ProcessLine process,
      ParseSyslog parse,
      PublishRecords publisher,
      String sourceName,
      int maxBytes,
      Counter dropped) {
    this.process = process;
    this.parse = parse;
    this.publisher = publisher;
    this.sourceName = sourceName;
    this.maxBytes = maxBytes;
    this.dropped = dropped;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    if (!publisher.hasCapacity()) {
      dropped.increment();
      if (!dropping) {
        LOG.warn(
            "Kafka is behind (logs.max.inflight.records reached): dropping UDP syslog messages"
                + " until it catches up (counted in logs_syslog_dropped); use TCP for"
                + " back-pressure");
        dropping = true;
      }
      return;
    }
    dropping = false;
    ByteBuf content = packet.content();
    int len = content.readableBytes();
    byte[] b = new byte[Math.min(len, maxBytes)];
    content.getBytes(content.readerIndex(), b);
    if (sources.size() > 256) {
      sources.clear();
    }
    ProducerRecord<String, byte[]> r =
        SyslogHandler.process(
            new SyslogFrameDecoder.Frame(b, len, len > maxBytes),
            parse,
            process,
            sources,
            sourceName);
    if (r != null) {
      publisher.submit(r, NO_ONE);
    }
  }
}
