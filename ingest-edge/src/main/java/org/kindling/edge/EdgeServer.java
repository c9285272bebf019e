package org.kindling.edge;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Binds the edge's port and runs the event loops; {@link #close} stops accepting, waits for
 * in-flight requests and then shuts the loops down gracefully.
 */
final class EdgeServer implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;

  EdgeServer(String host, int port, int ioThreads, EdgeInitializer initializer)
      throws InterruptedException {
    boss = new NioEventLoopGroup(1);
    workers = new NioEventLoopGroup(ioThreads);
    boolean bound = false;
    try {
      ServerBootstrap b =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              // A burst of connections waits in the kernel rather than being refused.
              .option(ChannelOption.SO_BACKLOG, 1024)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(initializer);
      channel = b.bind(host, port).sync().channel();
      bound = true;
    } finally {
      if (!bound) {
        boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      }
    }
  }

  /** The bound port. */
  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Stops accepting connections; existing connections continue. */
  void stopAccepting() {
    channel.close().awaitUninterruptibly();
  }

  /** Waits until {@code idle} holds or {@code timeout} passes. */
  static void await(BooleanSupplier idle, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!idle.getAsBoolean() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    stopAccepting();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
