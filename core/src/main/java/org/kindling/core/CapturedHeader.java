package org.kindling.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The HTTP request headers the edge captures, each with the attribute it becomes: the one table of
 * them. The edge reads a request's headers once against it; the CORS preflight allows browsers to
 * send the ones marked {@link #fromBrowsers()}; the geo-enricher copies the ones marked {@link
 * #inMetadata()} into the document's {@code metadata.header}, which the lake's standard columns
 * declare (a contract test holds the three together).
 *
 * <p>A header sent more than once is captured as its values joined with {@code ", "} (RFC 9110
 * section 5.3).
 */
public enum CapturedHeader {
  X_FORWARDED_FOR("X-Forwarded-For", Attributes.X_FORWARDED_FOR, false, false),
  USER_AGENT("User-Agent", Attributes.USER_AGENT, false, false),
  CONTENT_LENGTH("Content-Length", Attributes.CONTENT_LENGTH, false, false),
  CONTENT_ENCODING("Content-Encoding", Attributes.CONTENT_ENCODING, false, true),
  DATE("Date", Attributes.DATE, true, true),
  DNT("DNT", Attributes.DNT, true, true),
  X_DEBUG_ID("X-Debug-ID", Attributes.X_DEBUG_ID, true, true),
  X_PINGSENDER_VERSION("X-PingSender-Version", Attributes.X_PINGSENDER_VERSION, true, true),
  X_SOURCE_TAGS("X-Source-Tags", Attributes.X_SOURCE_TAGS, true, true),
  X_TELEMETRY_AGENT("X-Telemetry-Agent", Attributes.X_TELEMETRY_AGENT, true, true),
  HOST("Host", Attributes.HOST, false, false);

  private static final Map<String, CapturedHeader> BY_LOWER_NAME =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(h -> h.lowerName, Function.identity()));

  private static final List<CapturedHeader> IN_METADATA =
      Arrays.stream(values()).filter(CapturedHeader::inMetadata).toList();

  private final String httpName;
  private final String lowerName;
  private final String attribute;
  private final boolean inMetadata;
  private final boolean fromBrowsers;

  CapturedHeader(String httpName, String attribute, boolean inMetadata, boolean fromBrowsers) {
    this.httpName = httpName;
    this.lowerName = httpName.toLowerCase(Locale.ROOT);
    this.attribute = attribute;
    this.inMetadata = inMetadata;
    this.fromBrowsers = fromBrowsers;
  }

  /** The header's name as HTTP spells it ({@code X-PingSender-Version}). */
  public String httpName() {
    return httpName;
  }

  /** The attribute it is captured as ({@code x_pingsender_version}). */
  public String attribute() {
    return attribute;
  }

  /** Whether the geo-enricher carries it into {@code metadata.header} (and so into the lake). */
  public boolean inMetadata() {
    return inMetadata;
  }

  /** Whether a browser page may send it cross-origin (CORS preflight allow-list). */
  public boolean fromBrowsers() {
    return fromBrowsers;
  }

  /** The captured header of that name (any case), or null. */
  public static CapturedHeader forName(CharSequence name) {
    return BY_LOWER_NAME.get(name.toString().toLowerCase(Locale.ROOT));
  }

  /** The headers carried into {@code metadata.header}, in table order. */
  public static List<CapturedHeader> inMetadataHeaders() {
    return IN_METADATA;
  }

  /**
   * The value of {@code Access-Control-Allow-Headers} in a preflight answer: {@code Content-Type}
   * (which a JSON POST needs) and every header marked {@link #fromBrowsers()}.
   */
  public static String corsAllowHeaders() {
    return Stream.concat(
            Stream.of("Content-Type"),
            Arrays.stream(values()).filter(CapturedHeader::fromBrowsers).map(h -> h.httpName))
        .collect(Collectors.joining(", "));
  }
}
