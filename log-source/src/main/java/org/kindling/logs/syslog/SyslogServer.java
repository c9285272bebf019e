package org.kindling.logs.syslog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kindling.core.ops.HealthCheck;
import org.kindling.logs.LogSourceMetrics;
import org.kindling.logs.ProcessLine;
import org.kindling.logs.PublishRecords;

/**
 * The syslog listener: TCP ({@code logs.syslog.tcp.port}) and UDP ({@code logs.syslog.udp.port}),
 * each optional. {@link #close()} stops accepting, closes the connections and shuts the event loops
 * down; what was read before is already with the publisher.
 */
public final class SyslogServer implements AutoCloseable {
  private final EventLoopGroup boss = new NioEventLoopGroup(1);
  private final EventLoopGroup workers = new NioEventLoopGroup(2);
  private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final List<Channel> listening = new ArrayList<>();
  private final PauseReading pause;
  private final LimitConnections limit;
  private int tcpPort = -1;
  private int udpPort = -1;

  /**
   * Binds the configured ports (-1: off).
   *
   * @param process the line processing, copied per connection
   */
  public SyslogServer(
      String host,
      int tcpPort,
      int udpPort,
      int maxConnections,
      int maxBytes,
      String sourceName,
      ProcessLine process,
      ParseSyslog parse,
      PublishRecords publisher,
      LogSourceMetrics metrics,
      MeterRegistry registry)
      throws InterruptedException {
    this.pause = new PauseReading(publisher);
    this.limit = new LimitConnections(maxConnections, open);
    try {
      if (tcpPort >= 0) {
        Channel ch =
            new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(
                    new SyslogInitializer(
                        process,
                        metrics.input("syslog-tcp"),
                        parse,
                        publisher,
                        pause,
                        sourceName,
                        maxBytes,
                        limit))
                .bind(new InetSocketAddress(host, tcpPort))
                .sync()
                .channel();
        listening.add(ch);
        this.tcpPort = ((InetSocketAddress) ch.localAddress()).getPort();
      }
      if (udpPort >= 0) {
        Counter dropped =
            Counter.builder("logs_syslog_dropped")
                .description("UDP syslog messages dropped because Kafka was behind")
                .tag("transport", "udp")
                .register(registry);
        Channel ch =
            new Bootstrap()
                .group(workers)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .handler(
                    new SyslogDatagramHandler(
                        process.copy(metrics.input("syslog-udp")),
                        parse,
                        publisher,
                        sourceName,
                        maxBytes,
                        dropped))
                .bind(new InetSocketAddress(host, udpPort))
                .sync()
                .channel();
        listening.add(ch);
        this.udpPort = ((InetSocketAddress) ch.localAddress()).getPort();
      }
    } catch (InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
    metrics.gauge("logs_syslog_connections", "Open TCP syslog connections", limit::connections);
    metrics.gauge(
        "logs_syslog_paused_connections",
        "TCP syslog connections not being read because Kafka is behind",
        pause::pausedConnections);
  }

  /** The bound TCP port, or -1. */
  public int tcpPort() {
    return tcpPort;
  }

  /** The bound UDP port, or -1. */
  public int udpPort() {
    return udpPort;
  }

  /** The heartbeat check: the listener is up, and how many connections are paused. */
  public HealthCheck healthCheck() {
    return new HealthCheck() {
      @Override
      public String name() {
        return "syslog";
      }

      @Override
      public Result check() {
        boolean up = listening.stream().allMatch(Channel::isActive);
        String detail =
            (tcpPort >= 0 ? "tcp " + tcpPort + " " : "")
                + (udpPort >= 0 ? "udp " + udpPort + " " : "")
                + limit.connections()
                + " connection(s), "
                + pause.pausedConnections()
                + " paused";
        return up ? Result.ok(detail) : Result.failed("not listening: " + detail);
      }
    };
  }

  @Override
  public void close() {
    for (Channel ch : listening) {
      ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    open.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
