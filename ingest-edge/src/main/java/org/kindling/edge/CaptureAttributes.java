package org.kindling.edge;

import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kindling.core.Attributes;
import org.kindling.core.CapturedHeader;

/**
 * The attributes of an accepted request: the edge's own ({@code submission_timestamp}, {@code uri},
 * {@code args}, {@code method}, {@code protocol}, {@code remote_addr}, {@code edge_host}) and the
 * request headers of {@link CapturedHeader}, read in one pass over the headers.
 */
final class CaptureAttributes {
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static final CapturedHeader[] TABLE = CapturedHeader.values();

  private final ClientAddress clientAddress;
  private final Clock clock;
  private final String edgeHost;

  CaptureAttributes(ClientAddress clientAddress, Clock clock, String edgeHost) {
    this.clientAddress = clientAddress;
    this.clock = clock;
    this.edgeHost = edgeHost;
  }

  /**
   * The attributes of {@code request} from {@code peer}.
   *
   * @param path the request path (the {@code uri} attribute)
   * @param query the query string, or null
   */
  Map<String, String> apply(HttpRequest request, SocketAddress peer, String path, String query) {
    String[] captured = new String[TABLE.length];
    Iterator<Map.Entry<CharSequence, CharSequence>> it = request.headers().iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      CapturedHeader h = CapturedHeader.forName(e.getKey());
      if (h != null) {
        int i = h.ordinal();
        String v = e.getValue().toString();
        captured[i] = captured[i] == null ? v : captured[i] + ", " + v;
      }
    }
    Map<String, String> a = new LinkedHashMap<>();
    a.put(Attributes.SUBMISSION_TIMESTAMP, TIMESTAMP.format(clock.instant()));
    a.put(Attributes.URI, path);
    if (query != null && !query.isEmpty()) {
      a.put(Attributes.ARGS, query);
    }
    a.put(Attributes.METHOD, request.method().name());
    a.put(Attributes.PROTOCOL, request.protocolVersion().text());
    String remote = remoteAddress(peer, captured[CapturedHeader.X_FORWARDED_FOR.ordinal()]);
    if (remote != null) {
      a.put(Attributes.REMOTE_ADDR, remote);
    }
    for (CapturedHeader h : TABLE) {
      if (captured[h.ordinal()] != null) {
        a.put(h.attribute(), captured[h.ordinal()]);
      }
    }
    if (edgeHost != null) {
      a.put(Attributes.EDGE_HOST, edgeHost);
    }
    return a;
  }

  private String remoteAddress(SocketAddress peer, String xff) {
    if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return clientAddress.resolve(inet.getAddress(), xff);
    }
    // EmbeddedChannel and Unix sockets have no IP peer: only a trusted proxy chain could tell.
    return null;
  }
}
