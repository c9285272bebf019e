package org.kindling.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.kindling.core.Attributes;

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
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String ALLOW_SUBMIT = "POST, PUT, OPTIONS";
  private static final String ALLOW_OPS = "GET, HEAD";
  private static final Duration LINGER = Duration.ofSeconds(1);

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
  private State state = State.IDLE;
  private ScheduledFuture<?> deadline;
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private boolean counted;
  private boolean closing;
  private boolean connectionCounted;
  private long reservedBytes;
  private boolean chunked;
  private boolean keepAlive;
  private String origin;
  private String namespace;
  private CompositeByteBuf body;
  private Map<String, String> attributes;
  private String documentId;

  SubmitHandler(EdgeContext edge) {
    this.edge = edge;
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
    if (!ParseSubmitUri.isSubmitPath(path)) {
      ops(ctx, request, path, hasBody);
      return;
    }
    if (HttpMethod.OPTIONS.equals(method)) {
      preflight(ctx, request, hasBody);
      return;
    }
    if (!HttpMethod.POST.equals(method) && !HttpMethod.PUT.equals(method)) {
      FullHttpResponse r =
          response(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed, use POST or PUT");
      r.headers().set(HttpHeaderNames.ALLOW, ALLOW_SUBMIT);
      send(ctx, r, hasBody || !keepAlive);
      startDiscarding(hasBody);
      return;
    }
    ParseSubmitUri.SubmitUri submit;
    try {
      submit = ParseSubmitUri.parse(path);
    } catch (ParseSubmitUri.InvalidUriException e) {
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
        reject(
            ctx,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            "payload larger than " + edge.maxPayloadBytes + " bytes",
            true);
        return;
      }
    }
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
    attributes = attributes(ctx, request, path, query);
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
        reject(
            ctx,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            "payload larger than " + edge.maxPayloadBytes + " bytes",
            true);
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
                            send(ctx, response(HttpResponseStatus.OK, null), !keepAlive);
                          } else if (unwrap(error) instanceof Dispatcher.TooLargeException) {
                            send(
                                ctx,
                                response(
                                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                                    "payload too large for a Kafka record"),
                                !keepAlive);
                          } else if (unwrap(error) instanceof Spool.SpoolFullException) {
                            FullHttpResponse r =
                                response(
                                    HttpResponseStatus.INSUFFICIENT_STORAGE,
                                    "Kafka unavailable and spool full, retry later");
                            r.headers().set(HttpHeaderNames.RETRY_AFTER, edge.retryAfterSeconds);
                            send(ctx, r, !keepAlive);
                          } else {
                            FullHttpResponse r =
                                response(
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

  private Map<String, String> attributes(
      ChannelHandlerContext ctx, HttpRequest request, String path, String query) {
    HttpHeaders h = request.headers();
    Map<String, String> a = new LinkedHashMap<>();
    a.put(Attributes.SUBMISSION_TIMESTAMP, TIMESTAMP.format(edge.clock.instant()));
    a.put(Attributes.URI, path);
    if (query != null && !query.isEmpty()) {
      a.put(Attributes.ARGS, query);
    }
    a.put(Attributes.METHOD, request.method().name());
    a.put(Attributes.PROTOCOL, request.protocolVersion().text());
    String xff = header(h, "X-Forwarded-For");
    a.put(Attributes.REMOTE_ADDR, remoteAddress(ctx.channel().remoteAddress(), xff));
    put(a, Attributes.X_FORWARDED_FOR, xff);
    put(a, Attributes.USER_AGENT, header(h, "User-Agent"));
    put(a, Attributes.CONTENT_LENGTH, header(h, "Content-Length"));
    put(a, Attributes.CONTENT_ENCODING, header(h, "Content-Encoding"));
    put(a, Attributes.DATE, header(h, "Date"));
    put(a, Attributes.DNT, header(h, "DNT"));
    put(a, Attributes.X_PINGSENDER_VERSION, header(h, "X-PingSender-Version"));
    put(a, Attributes.X_DEBUG_ID, header(h, "X-Debug-ID"));
    put(a, Attributes.X_SOURCE_TAGS, header(h, "X-Source-Tags"));
    put(a, Attributes.X_TELEMETRY_AGENT, header(h, "X-Telemetry-Agent"));
    put(a, Attributes.HOST, header(h, "Host"));
    put(a, Attributes.EDGE_HOST, edge.edgeHost);
    return a;
  }

  private String remoteAddress(SocketAddress peer, String xff) {
    if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
      InetAddress address = inet.getAddress();
      return edge.clientAddress.resolve(address, xff);
    }
    // EmbeddedChannel and Unix sockets have no IP peer: only a trusted proxy chain could tell.
    return null;
  }

  private static String header(HttpHeaders h, String name) {
    List<String> all = h.getAll(name);
    if (all.isEmpty()) {
      return null;
    }
    return all.size() == 1 ? all.get(0) : String.join(", ", all);
  }

  private static void put(Map<String, String> a, String name, String value) {
    if (value != null) {
      a.put(name, value);
    }
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

  // ------------------------------------------------------------------------------- ops, CORS

  private void ops(ChannelHandlerContext ctx, HttpRequest request, String path, boolean hasBody) {
    boolean known =
        path.equals("/__heartbeat__")
            || path.equals("/__lbheartbeat__")
            || path.equals("/__version__")
            || path.equals("/metrics");
    if (!known) {
      reject(ctx, HttpResponseStatus.NOT_FOUND, "not found", hasBody);
      return;
    }
    HttpMethod method = request.method();
    boolean head = HttpMethod.HEAD.equals(method);
    if (!head && !HttpMethod.GET.equals(method)) {
      FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
      r.headers().set(HttpHeaderNames.ALLOW, ALLOW_OPS);
      send(ctx, r, hasBody || !keepAlive);
      startDiscarding(hasBody);
      return;
    }
    FullHttpResponse r;
    switch (path) {
      case "/__lbheartbeat__" -> r = response(HttpResponseStatus.OK, "OK");
      case "/__version__" -> r = json(HttpResponseStatus.OK, edge.versionJson);
      case "/__heartbeat__" -> {
        EdgeContext.Heartbeat hb = edge.heartbeat();
        r = json(HttpResponseStatus.valueOf(hb.status()), hb.json());
      }
      default -> {
        String text = edge.scrape();
        if (text == null) {
          r = response(HttpResponseStatus.NOT_FOUND, "no Prometheus registry");
        } else {
          r = response(HttpResponseStatus.OK, null);
          r.content().writeCharSequence(text, StandardCharsets.UTF_8);
          r.headers()
              .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
              .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        }
      }
    }
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (head) {
      r.content().clear(); // keep Content-Length of the GET answer, send no body
    }
    edge.metrics.request(r.status().code(), null);
    writeResponse(ctx, r, hasBody || !keepAlive);
    startDiscarding(hasBody);
  }

  private void preflight(ChannelHandlerContext ctx, HttpRequest request, boolean hasBody) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
    r.headers().set(HttpHeaderNames.ALLOW, ALLOW_SUBMIT);
    String allowed = edge.allowedOrigin(origin);
    if (allowed != null) {
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_SUBMIT);
      String wanted = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
      r.headers()
          .set(
              HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
              wanted != null
                  ? wanted
                  : "Content-Type, Content-Encoding, Date, DNT, X-Debug-ID, X-PingSender-Version,"
                      + " X-Source-Tags, X-Telemetry-Agent");
      // Browsers may cache the preflight for a day (Chrome caps it at 2 h).
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, 86_400);
    }
    send(ctx, r, hasBody || !keepAlive);
    startDiscarding(hasBody);
  }

  // ------------------------------------------------------------------------------- responses

  private void overloaded(ChannelHandlerContext ctx) {
    FullHttpResponse r =
        response(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded, retry later");
    r.headers().set(HttpHeaderNames.RETRY_AFTER, edge.retryAfterSeconds);
    release();
    send(ctx, r, true);
    startDiscarding(true);
  }

  /** Answers {@code status} now; with {@code close}, the connection is closed after it. */
  private void reject(
      ChannelHandlerContext ctx, HttpResponseStatus status, String reason, boolean close) {
    release();
    send(ctx, response(status, reason), close || !keepAlive);
    startDiscarding(close);
  }

  private void startDiscarding(boolean untilClose) {
    // Without a body the request's (empty) last content follows and returns us to IDLE.
    state = State.DISCARDING;
    if (untilClose) {
      disarm();
    }
  }

  private FullHttpResponse response(HttpResponseStatus status, String reason) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
    if (reason != null) {
      r.content().writeCharSequence(reason + "\n", StandardCharsets.UTF_8);
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    }
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  private FullHttpResponse json(HttpResponseStatus status, String text) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  /** Sends a response to a submission-area request: counted, with CORS headers. */
  private void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean close) {
    String allowed = edge.allowedOrigin(origin);
    if (allowed != null && origin != null) {
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
      r.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    }
    edge.metrics.request(r.status().code(), namespace);
    writeResponse(ctx, r, close);
  }

  private void writeResponse(ChannelHandlerContext ctx, FullHttpResponse r, boolean close) {
    if (close) {
      closing = true;
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(f -> lingeringClose(ctx, f.isSuccess()));
    } else {
      ChannelFuture f = ctx.writeAndFlush(r);
      f.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }

  /**
   * Closes after an answer that the client may not expect yet (413 while it is still sending): the
   * edge stops writing, drops whatever still arrives for a moment and only then closes, so that the
   * client reads the answer instead of a connection reset (nginx's lingering close).
   */
  private void lingeringClose(ChannelHandlerContext ctx, boolean written) {
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

  // ------------------------------------------------------------------------------- limits

  private boolean reserve(long n) {
    long now = edge.metrics.inflightBytes.addAndGet(n);
    reservedBytes += n;
    return now <= edge.maxInflightBytes;
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
