package org.kindling.logs.syslog;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections beyond {@code logs.syslog.max.connections} at once, so idle or runaway senders
 * cannot exhaust file descriptors; keeps the open ones in a group for the shutdown.
 */
@ChannelHandler.Sharable
final class LimitConnections extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(LimitConnections.class);

  private final int max;
  private final ChannelGroup open;
  private final AtomicInteger count = new AtomicInteger();
  private volatile boolean warned;

  LimitConnections(int max, ChannelGroup open) {
    this.max = max;
    this.open = open;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (count.incrementAndGet() > max) {
      if (!warned) {
        LOG.warn("more than {} syslog connections (logs.syslog.max.connections); closing", max);
        warned = true;
      }
      ctx.close();
      return;
    }
    open.add(ctx.channel());
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    count.decrementAndGet();
    super.channelInactive(ctx);
  }

  int connections() {
    return count.get();
  }
}
