package org.kindling.bench.edge;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: requests are due on a fixed schedule ({@code rate} per second) over
 * a pool of keep-alive connections, whatever the server's latency. A request that finds no idle
 * connection waits in a queue, and its latency is measured from when it was due, not from when it
 * was sent, so a server that falls behind shows its queueing delay (no coordinated omission).
 *
 * <p>Everything runs on one Netty event loop, so the state needs no locks.
 */
final class OpenLoop {
  /** Latencies in milliseconds. */
  record Result(
      double offeredRate,
      double achievedRate,
      double p50,
      double p99,
      double max,
      long ok,
      long failed) {}

  private static final AttributeKey<Long> DUE = AttributeKey.valueOf("due");

  private final String host;
  private final int port;
  private final ByteBuf body;
  private final int connections;

  OpenLoop(String host, int port, byte[] body, int connections) {
    this.host = host;
    this.port = port;
    this.body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(body));
    this.connections = connections;
  }

  /**
   * Sends at {@code rate}/s for {@code warmup + measure} seconds; only the second part counts. The
   * rate and the connections are split over {@code loops} event loops, each its own schedule.
   */
  Result run(double rate, int warmupSeconds, int measureSeconds, int loops) throws Exception {
    NioEventLoopGroup group = new NioEventLoopGroup(loops);
    try {
      List<Run> runs = new ArrayList<>();
      for (int l = 0; l < loops; l++) {
        EventLoop loop = group.next();
        Run run = new Run(loop, rate / loops, warmupSeconds, measureSeconds, l);
        Bootstrap b =
            new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(
                    new ChannelInitializer<SocketChannel>() {
                      @Override
                      protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                            .addLast(new HttpClientCodec())
                            .addLast(new HttpObjectAggregator(64 * 1024))
                            .addLast(run.new Answer());
                      }
                    });
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < connections / loops; i++) {
          channels.add(b.connect(host, port).sync().channel());
        }
        run.channels = channels;
        runs.add(run);
      }
      for (Run run : runs) {
        run.loop.submit(() -> run.start(run.channels)).sync();
      }
      Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
      double achieved = 0;
      long ok = 0;
      long failed = 0;
      for (Run run : runs) {
        run.done.get(warmupSeconds + measureSeconds + 60L, TimeUnit.SECONDS);
        all.add(run.histogram);
        achieved += run.achieved;
        ok += run.ok;
        failed += run.failed;
      }
      return new Result(
          rate,
          achieved,
          all.getValueAtPercentile(50) / 1e6,
          all.getValueAtPercentile(99) / 1e6,
          all.getMaxValue() / 1e6,
          ok,
          failed);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  /** The state of one run; touched only on its event loop. */
  private final class Run {
    final EventLoop loop;
    final double rate;
    final long intervalNanos;
    final int warmup;
    final int measure;
    final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
    final ArrayDeque<Channel> idle = new ArrayDeque<>();
    final ArrayDeque<Long> backlog = new ArrayDeque<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final long idBase;
    List<Channel> channels;
    double achieved;
    long start;
    long measureFrom;
    long end;
    long issued;
    long outstanding;
    long ok;
    long failed;
    long counted;
    long uuidCounter;
    int live;
    ScheduledFuture<?> ticker;

    Run(EventLoop loop, double rate, int warmup, int measure, int index) {
      this.idBase = (long) index << 48;
      this.loop = loop;
      this.rate = rate;
      this.intervalNanos = (long) (1e9 / rate);
      this.warmup = warmup;
      this.measure = measure;
    }

    void start(List<Channel> channels) {
      idle.addAll(channels);
      live = channels.size();
      start = System.nanoTime();
      measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
      end = measureFrom + TimeUnit.SECONDS.toNanos(measure);
      ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
    }

    void tick() {
      long now = System.nanoTime();
      long dueCount = Math.min((now - start) / intervalNanos + 1, (end - start) / intervalNanos);
      while (issued < dueCount) {
        long due = start + issued * intervalNanos;
        issued++;
        outstanding++;
        Channel c = idle.poll();
        if (c != null) {
          send(c, due);
        } else if (live == 0) {
          answered(due, false);
        } else {
          backlog.add(due);
        }
      }
      if (now >= end) {
        ticker.cancel(false);
        finishIfDone();
      }
    }

    void send(Channel c, long due) {
      if (!c.isActive()) {
        answered(due, false);
        return;
      }
      c.attr(DUE).set(due);
      String path =
          "/submit/glow/download/1/" + new UUID(0x4000L, idBase | uuidCounter++ | 1L << 63);
      FullHttpRequest r =
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1, HttpMethod.POST, path, body.retainedDuplicate());
      r.headers()
          .set(HttpHeaderNames.HOST, host)
          .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
          .set(HttpHeaderNames.USER_AGENT, "kindling-bench")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      c.writeAndFlush(r);
    }

    void answered(long due, boolean success) {
      outstanding--;
      if (due >= measureFrom) {
        counted++;
        long latency = System.nanoTime() - due;
        histogram.recordValue(Math.min(latency, histogram.getHighestTrackableValue()));
        if (success) {
          ok++;
        } else {
          failed++;
        }
      }
    }

    void release(Channel c) {
      Long next = backlog.poll();
      if (next != null) {
        send(c, next);
      } else if (c.isActive()) {
        idle.add(c);
      }
      finishIfDone();
    }

    void finishIfDone() {
      if (System.nanoTime() >= end && outstanding == 0 && !done.isDone()) {
        double secs = (System.nanoTime() - measureFrom) / 1e9;
        achieved = counted / secs;
        done.complete(null);
      }
    }

    /** Receives a connection's answers. */
    final class Answer extends SimpleChannelInboundHandler<FullHttpResponse> {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        Long due = ctx.channel().attr(DUE).getAndSet(null);
        if (due != null) {
          answered(due, response.status().code() == 200);
        }
        release(ctx.channel());
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        Long due = ctx.channel().attr(DUE).getAndSet(null);
        idle.remove(ctx.channel());
        live--;
        if (due != null) {
          answered(due, false);
        }
        if (live == 0) {
          // No connection left to send on: what is queued fails.
          for (Long d = backlog.poll(); d != null; d = backlog.poll()) {
            answered(d, false);
          }
        }
        finishIfDone();
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
      }
    }
  }
}
