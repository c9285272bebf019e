package org.kindling.export.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import org.kindling.export.config.DestinationConfig;
import org.kindling.export.config.DestinationKeys;

/** The HTTP settings of a destination: its URLs and timeouts. */
public final class HttpConfig {
  private HttpConfig() {}

  /** The http(s) URL of {@code key}; fails start-up on anything else. */
  public static URI uri(DestinationConfig c, String key) {
    String text = c.require(key, "for type " + c.type());
    URI u;
    try {
      u = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw c.bad(key, "not a URL: " + e.getReason());
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw c.bad(key, "must be an http:// or https:// URL with a host");
    }
    if (u.getUserInfo() != null) {
      throw c.bad(key, "must not hold credentials; use the type's user, password or token keys");
    }
    return u;
  }

  /** {@link #uri} as a base that paths resolve under (ending with a slash). */
  public static URI base(DestinationConfig c, String key) {
    URI u = uri(c, key);
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    if (!path.endsWith("/")) {
      path += "/";
    }
    // raw parts, so that an escaped character in the path stays escaped once
    return URI.create(u.getScheme() + "://" + u.getRawAuthority() + path);
  }

  /** A sender with the destination's connect and request timeouts. */
  public static HttpSender sender(DestinationConfig c, Clock clock) {
    return new HttpSender(
        c.getDuration(DestinationKeys.CONNECT_TIMEOUT),
        c.getDuration(DestinationKeys.REQUEST_TIMEOUT),
        clock);
  }
}
