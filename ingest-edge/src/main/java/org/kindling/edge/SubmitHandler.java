package org.kindling.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.kindling.core.Attributes;
import org.kindling.core.SubmitUri;

/**
 * Receives one connection's requests: submissions ({@code POST|PUT /submit/...}), CORS preflights
 * and the operations endpoints. A submission's body is collected as it arrives (never parsed), then
 * handed to the {@link Dispatcher}; the 200 goes out only once Kafka acked it or the spool fsync'd
 * it. While a submission waits, the connection stops reading, so a client cannot queue work.
 *
 * <p>Limits answered before any body is read: 505 (not HTTP/1.0 or 1.1), 400 (HTTP/1.1 without
 * exactly one Host), 414 (URI), 431 (headers), 411 (no length), 413 (declared length), 503
 * (in-flight requests or bytes). A chunked body is counted as it arrives (413 or 503 as soon as it
 * passes a limit). Every request must arrive whole within the request timeout (408), which also
 * closes idle keep-alive connections and slowloris clients.
 */
public final class SubmitHandler extends ChannelInboundHandlerAdapter {

  /** What the connection is doing. */
  private enum State {
    /** Waiting for the next request line. */
    IDLE,
    /** Collecting a submission body. */
    RECEIVING,
    /** The body is complete; waiting for Kafka or the spool. */
    WAITING,
    /** Answered early; dropping the rest of the request. */
    DISCARDING
  }

  private final EdgeContext edge;
  private final OpsEndpoints ops;
  private State state = State.IDLE;
  private ScheduledFuture<?> deadline;
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private boolean counted;
  private boolean closing;
  private boolean connectionCounted;
  private long reservedBytes;
  private long clientReservedBytes;
  private String client;
  private boolean chunked;
  private boolean keepAlive;
  private String origin;
  private String namespace;
  private CompositeByteBuf body;
  private Map<String, String> attributes;
  private String documentId;

  SubmitHandler(EdgeContext edge) {
    this.edge = edge;
    this.ops = new OpsEndpoints(edge);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    connectionCounted = true;
    if (edge.metrics.connections.incrementAndGet() > edge.maxConnections) {
      ctx.close();
      return;
    }
    arm(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (connectionCounted) {
      connectionCounted = false;
      edge.metrics.connections.decrementAndGet();
    }
    disarm();
    if (state != State.WAITING) {
      release();
    }
    for (Object m = pending.poll(); m != null; m = pending.poll()) {
      ReferenceCountUtil.release(m);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.WAITING && !closing) {
      // A pipelined request decoded from the same read: handled once this one is answered.
      // Reading is paused while waiting, so this holds at most one read's worth of data.
      pending.add(msg);
      return;
    }
    try {
      if (closing) {
        return; // answered and closing: drop the rest
      }
      if (msg instanceof HttpRequest request) {
        onRequest(ctx, request);
      }
      if (msg instanceof HttpContent content) {
        onContent(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Connection resets and the like: nothing to answer to.
    ctx.close();
  }

  // ------------------------------------------------------------------------------- requests

  private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
    if (state != State.IDLE) {
      // A pipelined request while one is in progress: reading is paused then, so this is a client
      // that ignores the protocol.
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "unexpected request", true);
      return;
    }
    keepAlive = HttpUtil.isKeepAlive(request);
    origin = request.headers().get(HttpHeaderNames.ORIGIN);
    namespace = null;
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      Throwable cause = decoded.cause();
      if (cause instanceof TooLongHttpLineException) {
        reject(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "URI too long", true);
      } else if (cause instanceof TooLongHttpHeaderException) {
        reject(
            ctx,
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
            "request headers too large",
            true);
      } else {
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request", true);
      }
      return;
    }
    HttpVersion version = request.protocolVersion();
    if (!"HTTP".equals(version.protocolName())
        || version.majorVersion() != 1
        || version.minorVersion() > 1) {
      // The decoder takes any HTTP/x.y; only HTTP/1.0 and HTTP/1.1 are spoken here.
      reject(
          ctx, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP version not supported", true);
      return;
    }
    int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
    if (hosts > 1 || (hosts == 0 && version.minorVersion() == 1)) {
      // RFC 9112 section 3.2: an HTTP/1.1 request without a Host header, or any request with more
      // than one, must be answered with 400.
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "exactly one Host header required", true);
      return;
    }
    String uri = request.uri();
    if (uri.length() > edge.maxUriLength) {
      reject(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "URI too long", true);
      return;
    }
    uri = stripAuthority(uri);
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? null : uri.substring(q + 1);
    int hash = path.indexOf('#');
    if (hash >= 0) {
      path = path.substring(0, hash);
    }
    boolean hasBody = HttpUtil.isTransferEncodingChunked(request) || contentLength(request) > 0;
    HttpMethod method = request.method();
    if (!SubmitUri.isSubmitPath(path)) {
      if (!ops.serves(path)) {
        reject(ctx, HttpResponseStatus.NOT_FOUND, "not found", hasBody);
        return;
      }
      FullHttpResponse r = ops.answer(method, path);
      edge.metrics.request(r.status().code(), null);
      write(ctx, r, hasBody || !keepAlive);
      startDiscarding(hasBody);
      return;
    }
    if (HttpMethod.OPTIONS.equals(method)) {
      send(ctx, ops.preflight(request, origin), hasBody || !keepAlive);
      startDiscarding(hasBody);
      return;
    }
    if (!HttpMethod.POST.equals(method) && !HttpMethod.PUT.equals(method)) {
      FullHttpResponse r =
          Responses.text(
              HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed, use POST or PUT");
      r.headers().set(HttpHeaderNames.ALLOW, OpsEndpoints.ALLOW_SUBMIT);
      send(ctx, r, hasBody || !keepAlive);
      startDiscarding(hasBody);
      return;
    }
    SubmitUri submit;
    try {
      submit = SubmitUri.parse(path);
    } catch (SubmitUri.InvalidException e) {
      reject(ctx, HttpResponseStatus.valueOf(e.status()), e.getMessage(), hasBody);
      return;
    }
    namespace = submit.namespace();
    chunked = HttpUtil.isTransferEncodingChunked(request);
    long length = -1;
    if (!chunked) {
      if (!request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
        reject(ctx, HttpResponseStatus.LENGTH_REQUIRED, "Content-Length required", true);
        return;
      }
      length = contentLength(request);
      if (length < 0) {
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "invalid Content-Length", true);
        return;
      }
      if (length > edge.maxPayloadBytes) {
        payloadTooLarge(ctx);
        return;
      }
    }
    attributes = edge.captureAttributes.apply(request, ctx.channel().remoteAddress(), path, query);
    client = attributes.get(Attributes.REMOTE_ADDR);
    EdgeMetrics m = edge.metrics;
    if (m.inflightRequests.incrementAndGet() > edge.maxInflightRequests) {
      m.inflightRequests.decrementAndGet();
      overloaded(ctx);
      return;
    }
    counted = true;
    if (length > 0 && !reserve(length)) {
      overloaded(ctx);
      return;
    }
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    documentId = submit.documentId();
    body = ctx.alloc().compositeHeapBuffer(Integer.MAX_VALUE);
    state = State.RECEIVING;
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (state == State.DISCARDING) {
      if (last) {
        state = State.IDLE;
        arm(ctx);
      }
      return;
    }
    if (state != State.RECEIVING) {
      return; // the empty last content of a request answered at once
    }
    if (content.decoderResult().isFailure()) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request body", true);
      return;
    }
    ByteBuf chunk = content.content();
    int n = chunk.readableBytes();
    if (n > 0) {
      if (body.readableBytes() + (long) n > edge.maxPayloadBytes) {
        payloadTooLarge(ctx);
        return;
      }
      if (chunked && !reserve(n)) {
        overloaded(ctx);
        return;
      }
      body.addComponent(true, chunk.retain());
    }
    if (last) {
      dispatch(ctx);
    }
  }

  private void dispatch(ChannelHandlerContext ctx) {
    disarm();
    state = State.WAITING;
    byte[] bytes = new byte[body.readableBytes()];
    body.readBytes(bytes);
    body.release();
    body = null;
    String ns = namespace;
    ctx.channel().config().setAutoRead(false);
    edge.metrics.bytes(ns, bytes.length);
    edge.dispatcher
        .submit(new Submission(documentId, bytes, attributes))
        .whenComplete(
            (outcome, error) ->
                ctx.executor()
                    .execute(
                        () -> {
                          if (state != State.WAITING) {
                            return;
                          }
                          state = State.IDLE;
                          release();
                          ctx.channel().config().setAutoRead(true);
                          if (error == null) {
                            send(ctx, Responses.text(HttpResponseStatus.OK, null), !keepAlive);
                          } else if (unwrap(error) instanceof Dispatcher.TooLargeException) {
                            send(
                                ctx,
                                Responses.text(
                                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                                    "payload too large for a Kafka record"),
                                !keepAlive);
                          } else if (unwrap(error) instanceof Spool.SpoolFullException) {
                            FullHttpResponse r =
                                Responses.text(
                                    HttpResponseStatus.INSUFFICIENT_STORAGE,
                                    "Kafka unavailable and spool full, retry later");
                            r.headers().set(HttpHeaderNames.RETRY_AFTER, edge.retryAfterSeconds);
                            send(ctx, r, !keepAlive);
                          } else {
                            FullHttpResponse r =
                                Responses.text(
                                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                                    "cannot store submission, retry later");
                            r.headers().set(HttpHeaderNames.RETRY_AFTER, edge.retryAfterSeconds);
                            send(ctx, r, !keepAlive);
                          }
                          if (keepAlive && ctx.channel().isActive()) {
                            arm(ctx);
                          }
                          while (state != State.WAITING && !pending.isEmpty()) {
                            channelRead(ctx, pending.poll());
                          }
                        }));
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static long contentLength(HttpRequest request) {
    String v = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
    if (v == null) {
      return 0;
    }
    try {
      long n = Long.parseLong(v.trim());
      return n < 0 ? -1 : n;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String stripAuthority(String uri) {
    // Absolute-form request targets (a client talking as if to a proxy).
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      int slash = uri.indexOf('/', uri.indexOf("//") + 2);
      return slash < 0 ? "/" : uri.substring(slash);
    }
    return uri;
  }

  // ------------------------------------------------------------------------------- responses

  private void overloaded(ChannelHandlerContext ctx) {
    FullHttpResponse r =
        Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded, retry later");
    r.headers().set(HttpHeaderNames.RETRY_AFTER, edge.retryAfterSeconds);
    release();
    send(ctx, r, true);
    startDiscarding(true);
  }

  /** Answers {@code status} now; with {@code close}, the connection is closed after it. */
  private void reject(
      ChannelHandlerContext ctx, HttpResponseStatus status, String reason, boolean close) {
    release();
    send(ctx, Responses.text(status, reason), close || !keepAlive);
    startDiscarding(close);
  }

  private void payloadTooLarge(ChannelHandlerContext ctx) {
    reject(
        ctx,
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        "payload larger than " + edge.maxPayloadBytes + " bytes",
        true);
  }

  private void startDiscarding(boolean untilClose) {
    // Without a body the request's (empty) last content follows and returns us to IDLE.
    state = State.DISCARDING;
    if (untilClose) {
      disarm();
    }
  }

  /** Sends a response to a submission-area request: counted, with CORS headers. */
  private void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean close) {
    String allowed = edge.allowedOrigin(origin);
    if (allowed != null && origin != null) {
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
      r.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    }
    edge.metrics.request(r.status().code(), namespace);
    write(ctx, r, close);
  }

  private void write(ChannelHandlerContext ctx, FullHttpResponse r, boolean close) {
    closing |= close;
    Responses.write(ctx, r, close);
  }

  // ------------------------------------------------------------------------------- limits

  /**
   * Reserves {@code n} body bytes in flight: false when the edge's bound or this client's share of
   * it ({@code edge.client.max.share}) is reached.
   */
  private boolean reserve(long n) {
    long now = edge.metrics.inflightBytes.addAndGet(n);
    reservedBytes += n;
    if (now > edge.maxInflightBytes) {
      return false;
    }
    if (!edge.inflightShares.tryTake(client, n)) {
      edge.metrics.clientShareRefusals.increment();
      return false;
    }
    clientReservedBytes += n;
    return true;
  }

  /** Returns this request's in-flight reservations and buffered body. */
  private void release() {
    if (counted) {
      counted = false;
      edge.metrics.inflightRequests.decrementAndGet();
    }
    if (reservedBytes > 0) {
      edge.metrics.inflightBytes.addAndGet(-reservedBytes);
      reservedBytes = 0;
    }
    if (clientReservedBytes > 0) {
      edge.inflightShares.give(client, clientReservedBytes);
      clientReservedBytes = 0;
    }
    if (body != null) {
      body.release();
      body = null;
    }
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    deadline =
        ctx.executor()
            .schedule(() -> onDeadline(ctx), edge.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void onDeadline(ChannelHandlerContext ctx) {
    deadline = null;
    if (state == State.RECEIVING) {
      reject(ctx, HttpResponseStatus.REQUEST_TIMEOUT, "request not received in time", true);
    } else if (state == State.IDLE || state == State.DISCARDING) {
      ctx.close();
    }
  }
}
