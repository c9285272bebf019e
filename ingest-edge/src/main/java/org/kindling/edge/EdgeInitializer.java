package org.kindling.edge;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/** Assembles a connection's pipeline: the HTTP codec with the edge's limits, then the handler. */
final class EdgeInitializer extends ChannelInitializer<SocketChannel> {
  // Request line = method + URI + protocol; the URI limit itself is checked by the handler, so
  // the codec only needs room for the longest method and " HTTP/1.1".
  private static final int REQUEST_LINE_OVERHEAD = 32;
  // Body chunks handed to the handler; the body limit is enforced there.
  private static final int MAX_CHUNK = 64 * 1024;

  private final EdgeContext edge;
  private final HttpDecoderConfig decoderConfig;

  EdgeInitializer(EdgeContext edge, int maxHeaderSize) {
    this.edge = edge;
    this.decoderConfig =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(edge.maxUriLength + REQUEST_LINE_OVERHEAD)
            .setMaxHeaderSize(maxHeaderSize)
            .setMaxChunkSize(MAX_CHUNK);
  }

  /** A codec configured with the edge's limits (also used by the unit tests). */
  HttpServerCodec codec() {
    return new HttpServerCodec(decoderConfig.clone());
  }

  /** A handler for one connection. */
  SubmitHandler handler() {
    return new SubmitHandler(edge);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast("http", codec()).addLast("edge", handler());
  }
}
