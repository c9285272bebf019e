package org.kindling.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The synthetic GeoIP2-City database that tests and the traffic simulator use, and the documented
 * answers it gives.
 *
 * <p>The database is built by {@code testkit/geoip/build-test-db.pl} (see {@code
 * testkit/geoip/README.md}); its networks are invented and do not describe real allocations. Every
 * entry of {@link #PLACES} is one network of the database with the answer {@code
 * DatabaseReader.city()} gives for any address inside it. Private, loopback and {@link
 * #UNLISTED_ADDRESS} addresses are absent from the database.
 */
public final class GeoIpTestData {

  /** Resource path of the database inside the testkit jar. */
  public static final String RESOURCE = "/org/kindling/testkit/geoip/kindling-test-city.mmdb";

  /** The {@code database_type} in the database metadata. */
  public static final String DATABASE_TYPE = "GeoIP2-City";

  /**
   * Build time written into the database metadata (the script fixes it for reproducible output).
   */
  public static final Instant BUILD_TIME = Instant.parse("2026-11-24T00:00:00Z");

  /** A public-looking address that is in no network of the database. */
  public static final String UNLISTED_ADDRESS = "5.6.7.8";

  /** Private, loopback and link-local addresses: never in the database. */
  public static final List<String> PRIVATE_ADDRESSES =
      List.of("10.1.2.3", "172.16.5.4", "192.168.1.20", "127.0.0.1", "169.254.1.1", "fd00::1");

  /**
   * One network of the database and the answer for addresses inside it. Absent fields are null.
   *
   * @param address a documented address inside {@code network}
   * @param network the network in CIDR notation
   * @param country ISO 3166-1 alpha-2 country code
   * @param continent two-letter continent code
   * @param subdivision1 ISO 3166-2 subdivision code without the country prefix, or null
   * @param subdivision2 second-level subdivision code, or null
   * @param city English city name, or null for country-level answers
   * @param latitude latitude as stored
   * @param longitude longitude as stored
   * @param accuracyRadius accuracy radius in kilometres
   */
  public record Place(
      String address,
      String network,
      String country,
      String continent,
      String subdivision1,
      String subdivision2,
      String city,
      double latitude,
      double longitude,
      int accuracyRadius) {

    /** Whether {@code candidate} (an IP literal) lies inside this place's network. */
    public boolean contains(String candidate) {
      byte[] addr = literal(candidate).getAddress();
      int slash = network.indexOf('/');
      byte[] net = literal(network.substring(0, slash)).getAddress();
      int bits = Integer.parseInt(network.substring(slash + 1));
      if (addr.length != net.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((addr[i / 8] & mask) != (net[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    /** Whether the network is an IPv4 network. */
    public boolean ipv4() {
      return !network.contains(":");
    }
  }

  /** Every network of the database, in the order of the build script. */
  public static final List<Place> PLACES =
      List.of(
          new Place(
              "2.10.1.10", "2.10.0.0/16", "DE", "EU", "BE", null, "Berlin", 52.5244, 13.4105, 20),
          new Place(
              "2.11.1.10",
              "2.11.0.0/16",
              "DE",
              "EU",
              "BB",
              null,
              "Wittenberge",
              52.9967,
              11.7513,
              100),
          new Place(
              "2.12.1.10", "2.12.0.0/16", "FR", "EU", "IDF", "75", "Paris", 48.8534, 2.3488, 10),
          new Place(
              "2.13.1.10", "2.13.0.0/16", "GB", "EU", "ENG", "LND", "London", 51.5085, -0.1257, 5),
          new Place(
              "2.14.1.10", "2.14.0.0/16", "ES", "EU", "MD", "M", "Madrid", 40.4165, -3.7026, 20),
          new Place(
              "2.15.1.10", "2.15.0.0/16", "IT", "EU", "62", "RM", "Rome", 41.8919, 12.5113, 20),
          new Place(
              "2.16.1.10", "2.16.0.0/16", "NL", "EU", "NH", null, "Amsterdam", 52.3740, 4.8897, 10),
          new Place(
              "2.17.1.10", "2.17.0.0/16", "PL", "EU", "14", null, "Warsaw", 52.2298, 21.0118, 20),
          new Place(
              "2.18.1.10",
              "2.18.0.0/16",
              "SE",
              "EU",
              "AB",
              null,
              "Stockholm",
              59.3294,
              18.0687,
              20),
          new Place(
              "2.19.1.10", "2.19.0.0/16", "UA", "EU", "30", null, "Kyiv", 50.4547, 30.5238, 50),
          new Place(
              "2.20.1.10",
              "2.20.0.0/16",
              "US",
              "NA",
              "CA",
              null,
              "San Francisco",
              37.7749,
              -122.4194,
              10),
          new Place(
              "2.21.1.10",
              "2.21.0.0/16",
              "US",
              "NA",
              "CA",
              null,
              "Los Angeles",
              34.0522,
              -118.2437,
              10),
          new Place(
              "2.22.1.10", "2.22.0.0/16", "US", "NA", "NY", null, "New York", 40.7128, -74.0060, 5),
          new Place(
              "2.23.1.10",
              "2.23.0.0/16",
              "US",
              "NA",
              "CA",
              null,
              "Mariposa",
              37.4849,
              -119.9663,
              100),
          new Place(
              "2.24.1.10", "2.24.0.0/16", "CA", "NA", "ON", null, "Toronto", 43.7001, -79.4163, 10),
          new Place(
              "2.25.1.10",
              "2.25.0.0/16",
              "MX",
              "NA",
              "CMX",
              null,
              "Mexico City",
              19.4285,
              -99.1277,
              20),
          new Place(
              "2.26.1.10",
              "2.26.0.0/16",
              "BR",
              "SA",
              "SP",
              null,
              "S\u00e3o Paulo",
              -23.5475,
              -46.6361,
              20),
          new Place(
              "2.27.1.10",
              "2.27.0.0/16",
              "AR",
              "SA",
              "C",
              null,
              "Buenos Aires",
              -34.6131,
              -58.3772,
              20),
          new Place(
              "2.28.1.10",
              "2.28.0.0/16",
              "CL",
              "SA",
              "RM",
              null,
              "Santiago",
              -33.4569,
              -70.6483,
              50),
          new Place(
              "2.29.1.10",
              "2.29.0.0/16",
              "CO",
              "SA",
              "DC",
              null,
              "Bogot\u00e1",
              4.6097,
              -74.0818,
              50),
          new Place(
              "2.30.1.10", "2.30.0.0/16", "NG", "AF", "LA", null, "Lagos", 6.4541, 3.3947, 20),
          new Place(
              "2.31.1.10",
              "2.31.0.0/16",
              "ZA",
              "AF",
              "GP",
              null,
              "Johannesburg",
              -26.2023,
              28.0436,
              20),
          new Place(
              "2.32.1.10", "2.32.0.0/16", "KE", "AF", "30", null, "Nairobi", -1.2833, 36.8167, 50),
          new Place(
              "2.33.1.10", "2.33.0.0/16", "EG", "AF", "C", null, "Cairo", 30.0626, 31.2497, 50),
          new Place(
              "2.34.1.10", "2.34.0.0/16", "JP", "AS", "13", null, "Tokyo", 35.6895, 139.6917, 20),
          new Place(
              "2.35.1.10", "2.35.0.0/16", "IN", "AS", "MH", null, "Mumbai", 19.0728, 72.8826, 20),
          new Place(
              "2.36.1.10", "2.36.0.0/16", "CN", "AS", "BJ", null, "Beijing", 39.9075, 116.3972, 50),
          new Place(
              "2.37.1.10", "2.37.0.0/16", "KR", "AS", "11", null, "Seoul", 37.5660, 126.9784, 20),
          new Place(
              "2.38.1.10", "2.38.0.0/16", "ID", "AS", "JK", null, "Jakarta", -6.2146, 106.8451, 50),
          new Place(
              "2.39.1.10", "2.39.0.0/16", "SG", "AS", "01", null, "Singapore", 1.2897, 103.8501, 5),
          new Place(
              "2.40.1.10",
              "2.40.0.0/16",
              "AU",
              "OC",
              "NSW",
              null,
              "Sydney",
              -33.8679,
              151.2073,
              20),
          new Place(
              "2.41.1.10",
              "2.41.0.0/16",
              "NZ",
              "OC",
              "AUK",
              null,
              "Auckland",
              -36.8485,
              174.7633,
              20),
          new Place("2.42.1.10", "2.42.0.0/16", "AQ", "AN", null, null, null, -75.0, 0.0, 1000),
          new Place("2.43.1.10", "2.43.0.0/16", "FR", "EU", null, null, null, 46.0, 2.0, 500),
          new Place(
              "2a0a:1000::10",
              "2a0a:1000::/32",
              "DE",
              "EU",
              "BE",
              null,
              "Berlin",
              52.5244,
              13.4105,
              20),
          new Place(
              "2a0a:2000::10",
              "2a0a:2000::/32",
              "US",
              "NA",
              "CA",
              null,
              "San Francisco",
              37.7749,
              -122.4194,
              10));

  private static Path extracted;

  private GeoIpTestData() {}

  /**
   * The database as a file: the resource is copied once per JVM to a temporary file that is deleted
   * on exit. Callers must not modify it (copy it when a test swaps databases).
   */
  public static synchronized Path cityDatabase() {
    if (extracted == null || !Files.isRegularFile(extracted)) {
      try (InputStream in = GeoIpTestData.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + RESOURCE);
        }
        Path file = Files.createTempFile("kindling-test-city-", ".mmdb");
        file.toFile().deleteOnExit();
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        extracted = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return extracted;
  }

  /** The places whose country is {@code country} (ISO code, any case). */
  public static List<Place> placesIn(String country) {
    String iso = country.toUpperCase(Locale.ROOT);
    return PLACES.stream().filter(p -> p.country().equals(iso)).toList();
  }

  /** Distinct ISO country codes of the database, in the order of {@link #PLACES}. */
  public static Set<String> countries() {
    Set<String> countries = new LinkedHashSet<>();
    PLACES.forEach(p -> countries.add(p.country()));
    return countries;
  }

  /** Distinct continent codes of the database. */
  public static Set<String> continents() {
    Set<String> continents = new LinkedHashSet<>();
    PLACES.forEach(p -> continents.add(p.continent()));
    return continents;
  }

  /** The place answering for {@code address} (an IP literal), if the database has one. */
  public static Optional<Place> placeOf(String address) {
    return PLACES.stream().filter(p -> p.contains(address)).findFirst();
  }

  /**
   * {@code n} distinct IPv4 addresses that resolve to {@code country}, spread round-robin over the
   * country's IPv4 networks (up to 62,500 per network).
   *
   * @throws IllegalArgumentException when the database has no IPv4 network for {@code country} or
   *     {@code n} exceeds what its networks hold
   */
  public static List<String> addressIn(String country, int n) {
    List<Place> nets = placesIn(country).stream().filter(Place::ipv4).toList();
    if (nets.isEmpty()) {
      throw new IllegalArgumentException("no network for country " + country);
    }
    int perNetwork = 250 * 250;
    if (n < 0 || (long) n > (long) perNetwork * nets.size()) {
      throw new IllegalArgumentException("cannot provide " + n + " addresses in " + country);
    }
    List<String> addresses = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      Place place = nets.get(k % nets.size());
      int host = k / nets.size();
      String prefix = place.network().substring(0, place.network().lastIndexOf(".0.0/"));
      addresses.add(prefix + "." + (1 + host / 250) + "." + (1 + host % 250));
    }
    return addresses;
  }

  private static InetAddress literal(String ip) {
    Objects.requireNonNull(ip, "ip");
    if (!ip.contains(":") && !ip.matches("[0-9.]+")) {
      throw new IllegalArgumentException("not an IP literal: " + ip);
    }
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }
}
