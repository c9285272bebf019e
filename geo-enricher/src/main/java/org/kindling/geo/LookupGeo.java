package org.kindling.geo;

import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Subdivision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.kindling.core.config.KindlingConfig;

/**
 * Looks up the client address ({@code remote_addr}) in the City database.
 *
 * <p>Coordinates are rounded to 0.1 degree (about 11 km). The city is reported only when it passes
 * both rules: the answer's accuracy radius is at most {@code geo.city.max.accuracy.radius} km (0 =
 * no limit), and, when {@code geo.city.allowlist} is not empty, the city is listed there as {@code
 * CC/City name} (case-insensitive). Unknown, private and unparseable addresses give an empty answer
 * (only the database version), not an error.
 */
public final class LookupGeo {
  /** The characters of an IPv6 literal; compiled once, not per record. */
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private final GeoDatabase database;
  private final Set<String> cityAllowlist;
  private final int maxAccuracyRadiusKm;

  /**
   * @param database the database (replaceable at run time)
   * @param cityAllowlist cities that may be reported, as {@code CC/City name}; empty = any
   * @param maxAccuracyRadiusKm largest accuracy radius for which the city is reported; 0 = any
   */
  public LookupGeo(
      GeoDatabase database, Collection<String> cityAllowlist, int maxAccuracyRadiusKm) {
    this.database = database;
    this.cityAllowlist =
        cityAllowlist.stream()
            .map(c -> normalize(c.trim()))
            .filter(c -> !c.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    this.maxAccuracyRadiusKm = maxAccuracyRadiusKm;
  }

  /** The lookup configured by {@code geo.city.*}. */
  public static LookupGeo fromConfig(KindlingConfig config, GeoDatabase database) {
    return new LookupGeo(
        database,
        config.getList(GeoConfig.CITY_ALLOWLIST),
        config.getInt(GeoConfig.CITY_MAX_ACCURACY_RADIUS));
  }

  /**
   * The answer for {@code remoteAddr}.
   *
   * @throws UncheckedIOException when the database cannot be read
   */
  public Geo lookup(String remoteAddr) {
    GeoDatabase.Snapshot db = database.snapshot();
    InetAddress address = parseAddress(remoteAddr);
    if (address == null || !isPublic(address)) {
      return Geo.unknown(db.version());
    }
    Optional<CityResponse> answer;
    try {
      answer = db.reader().tryCity(address);
    } catch (IOException e) {
      throw new UncheckedIOException("geo database lookup failed", e);
    } catch (GeoIp2Exception e) {
      throw new IllegalStateException("geo database lookup failed: " + e.getMessage(), e);
    }
    if (answer.isEmpty()) {
      return Geo.unknown(db.version());
    }
    CityResponse city = answer.get();
    String country = city.getCountry().getIsoCode();
    List<Subdivision> subdivisions = city.getSubdivisions();
    return new Geo(
        country,
        city.getContinent().getCode(),
        subdivisions.isEmpty() ? null : subdivisions.get(0).getIsoCode(),
        subdivisions.size() < 2 ? null : subdivisions.get(1).getIsoCode(),
        cityIfAllowed(country, city),
        Geo.round(city.getLocation().getLatitude()),
        Geo.round(city.getLocation().getLongitude()),
        db.version());
  }

  private String cityIfAllowed(String country, CityResponse answer) {
    String name = answer.getCity().getName();
    if (name == null) {
      return null;
    }
    if (maxAccuracyRadiusKm > 0) {
      Integer radius = answer.getLocation().getAccuracyRadius();
      if (radius == null || radius > maxAccuracyRadiusKm) {
        return null;
      }
    }
    if (!cityAllowlist.isEmpty() && !cityAllowlist.contains(normalize(country + "/" + name))) {
      return null;
    }
    return name;
  }

  private static String normalize(String cityKey) {
    return cityKey.toLowerCase(Locale.ROOT);
  }

  /**
   * Parses an IP literal ({@code 1.2.3.4}, {@code 1.2.3.4:5678}, {@code 2001:db8::1}, {@code
   * [2001:db8::1]:443}, with or without a zone) without ever resolving a host name.
   *
   * @return the address, or null when {@code raw} is not an IP literal
   */
  static InetAddress parseAddress(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim();
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0) {
        return null;
      }
      s = s.substring(1, end);
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':') && s.contains(".")) {
      s = s.substring(0, s.indexOf(':')); // IPv4 with port
    }
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    if (s.isEmpty()) {
      return null;
    }
    if (s.indexOf(':') >= 0) {
      // A literal with a colon is parsed as IPv6 by InetAddress and never resolved.
      if (!IPV6_CHARS.matcher(s).matches()) {
        return null;
      }
      try {
        return InetAddress.getByName(s);
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return parseIpv4(s);
  }

  private static InetAddress parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      bytes[i] = (byte) v;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null; // only thrown for a wrong length
    }
  }

  /** Whether the address can be in a public GeoIP database (not private, loopback, ...). */
  static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (b.length == 16 && (b[0] & 0xfe) == 0xfc) {
      return false; // IPv6 unique local fc00::/7
    }
    if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
      return false; // carrier-grade NAT 100.64.0.0/10
    }
    return true;
  }
}
