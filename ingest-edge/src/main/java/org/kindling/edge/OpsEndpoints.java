package org.kindling.edge;

import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Set;
import org.kindling.core.CapturedHeader;

/**
 * What the edge answers besides submissions: the operations endpoints a load balancer uses ({@code
 * /__heartbeat__}, {@code /__lbheartbeat__}, {@code /__version__}; and {@code /metrics} and the
 * heartbeat's details only with {@code edge.ops.on.edge.port}, since the edge port faces the
 * internet and those are on {@code ops.port}) and CORS preflights of the submission area.
 */
final class OpsEndpoints {
  static final String ALLOW_SUBMIT = "POST, PUT, OPTIONS";
  private static final String ALLOW_OPS = "GET, HEAD";

  /** The Dockerflow endpoints, always on the edge port. */
  private static final Set<String> PATHS =
      Set.of("/__heartbeat__", "/__lbheartbeat__", "/__version__");

  private static final String METRICS = "/metrics";

  /** Browsers may cache a preflight for a day (Chrome caps it at 2 h). */
  private static final int PREFLIGHT_MAX_AGE_SECONDS = 86_400;

  /** The CORS allow-list of request headers, from the captured-header table. */
  private static final String ALLOW_HEADERS = CapturedHeader.corsAllowHeaders();

  private final EdgeContext edge;

  OpsEndpoints(EdgeContext edge) {
    this.edge = edge;
  }

  /** Whether {@code path} is an operations endpoint of the edge port. */
  boolean serves(String path) {
    return PATHS.contains(path) || (edge.opsOnEdgePort && METRICS.equals(path));
  }

  /** The answer to {@code method} on the operations endpoint {@code path}. */
  FullHttpResponse answer(HttpMethod method, String path) {
    boolean head = HttpMethod.HEAD.equals(method);
    FullHttpResponse r;
    if (!head && !HttpMethod.GET.equals(method)) {
      r = Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
      r.headers().set(HttpHeaderNames.ALLOW, ALLOW_OPS);
      return r;
    }
    switch (path) {
      case "/__lbheartbeat__" -> r = Responses.text(HttpResponseStatus.OK, "OK");
      case "/__version__" -> r = Responses.json(HttpResponseStatus.OK, edge.versionJson());
      case "/__heartbeat__" -> {
        EdgeContext.Heartbeat hb = edge.heartbeat(edge.opsOnEdgePort);
        r = Responses.json(HttpResponseStatus.valueOf(hb.status()), hb.json());
      }
      default -> {
        String text = edge.scrape();
        r =
            text == null
                ? Responses.text(HttpResponseStatus.NOT_FOUND, "no Prometheus registry")
                : Responses.body(
                    HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", text);
      }
    }
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (head) {
      r.content().clear(); // keep Content-Length of the GET answer, send no body
    }
    return r;
  }

  /**
   * The answer to a CORS preflight ({@code OPTIONS}) of the submission area from {@code origin}.
   */
  FullHttpResponse preflight(HttpRequest request, String origin) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
    r.headers().set(HttpHeaderNames.ALLOW, ALLOW_SUBMIT);
    if (edge.allowedOrigin(origin) != null) {
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_SUBMIT);
      String wanted = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
      r.headers()
          .set(
              HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
              wanted != null ? wanted : ALLOW_HEADERS);
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS);
    }
    return r;
  }
}
