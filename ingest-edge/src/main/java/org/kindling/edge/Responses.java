package org.kindling.edge;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The edge's answers: how they are built and how they are written and the connection closed. */
final class Responses {
  private static final Duration LINGER = Duration.ofSeconds(1);

  private Responses() {}

  /** An answer with a short plain-text reason (none when {@code reason} is null). */
  static FullHttpResponse text(HttpResponseStatus status, String reason) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
    if (reason != null) {
      r.content().writeCharSequence(reason + "\n", StandardCharsets.UTF_8);
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    }
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  /** An answer with a body of the given type. */
  static FullHttpResponse body(HttpResponseStatus status, String contentType, String body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  /** A JSON answer. */
  static FullHttpResponse json(HttpResponseStatus status, String json) {
    return body(status, "application/json", json);
  }

  /**
   * Writes {@code r}; with {@code close}, says {@code Connection: close} and closes the connection
   * after it, lingering (see {@link #lingeringClose}).
   */
  static void write(ChannelHandlerContext ctx, FullHttpResponse r, boolean close) {
    if (close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(f -> lingeringClose(ctx, f.isSuccess()));
    } else {
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }

  /**
   * Closes after an answer that the client may not expect yet (413 while it is still sending): the
   * edge stops writing, drops whatever still arrives for a moment and only then closes, so that the
   * client reads the answer instead of a connection reset (nginx's lingering close).
   */
  private static void lingeringClose(ChannelHandlerContext ctx, boolean written) {
    if (written && ctx.channel() instanceof DuplexChannel duplex && ctx.channel().isActive()) {
      duplex
          .shutdownOutput()
          .addListener(
              f ->
                  ctx.executor()
                      .schedule(() -> ctx.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS));
    } else {
      ctx.close();
    }
  }
}
