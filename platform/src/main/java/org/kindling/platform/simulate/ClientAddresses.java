package org.kindling.platform.simulate;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Client addresses that a GeoIP2 City database places in a country, drawn the way real traffic
 * falls on the world: a country by its number of internet users ({@link WorldTables}), then a place
 * in it, a city by its population or, for a share of {@link #ELSEWHERE_SHARE}, an address elsewhere
 * in the country (a town the table does not list, or no city at all). So the map's top countries
 * are the large internet populations, not whichever countries have the most IPv4 space.
 *
 * <p>A large database (GeoLite2) is sampled by looking up random public IPv4 addresses; a small one
 * (the synthetic test database) is read network by network.
 */
public final class ClientAddresses {
  /** One address and the country the database places it in. */
  public record Address(String ip, String country) {}

  /**
   * Share of a country's clients outside the cities of the population table (cities of 100,000 and
   * more): about the world's share of people in smaller places and the countryside that still have
   * a GeoIP city, rounded; it keeps the map from showing cities only.
   */
  static final double ELSEWHERE_SHARE = 0.3;

  /**
   * Random addresses looked up in a large database: about 15 per million public addresses, enough
   * to find the large cities of the large countries in a second or two.
   */
  private static final int SAMPLES = 50_000;

  /** Where a city is unknown or not in the table. */
  private static final long ELSEWHERE = 0;

  private final List<String> countries;
  private final double[] countryCumulative;
  private final Map<String, Places> places;

  /** The addresses of one country, grouped by place, with each place's cumulative weight. */
  private record Places(List<List<String>> addresses, double[] cumulative) {
    String draw(Random random) {
      int i = pick(cumulative, random);
      List<String> list = addresses.get(i);
      return list.get(random.nextInt(list.size()));
    }
  }

  /** For tests: addresses by country, each country one place, weighted by internet users. */
  ClientAddresses(Map<String, List<String>> byCountry) {
    this(group(byCountry), WorldTables.get());
  }

  private static Map<String, Map<Long, List<String>>> group(Map<String, List<String>> byCountry) {
    Map<String, Map<Long, List<String>>> m = new TreeMap<>();
    byCountry.forEach((c, list) -> m.put(c, Map.of(ELSEWHERE, List.copyOf(list))));
    return m;
  }

  private ClientAddresses(Map<String, Map<Long, List<String>>> found, WorldTables world) {
    if (found.isEmpty()) {
      throw new IllegalArgumentException("the GeoIP database places no IPv4 address in a country");
    }
    this.countries = new ArrayList<>(found.keySet());
    this.countryCumulative = new double[countries.size()];
    this.places = new LinkedHashMap<>();
    double sum = 0;
    for (int i = 0; i < countries.size(); i++) {
      String country = countries.get(i);
      sum += world.internetUsers(country);
      countryCumulative[i] = sum;
      places.put(country, places(found.get(country), world));
    }
  }

  /** A country's places: its table cities by population, and the rest as {@link #ELSEWHERE}. */
  private static Places places(Map<Long, List<String>> byPlace, WorldTables world) {
    List<List<String>> addresses = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    double cities = 0;
    for (Map.Entry<Long, List<String>> e : byPlace.entrySet()) {
      long population = e.getKey() == ELSEWHERE ? 0 : world.cityPopulation(e.getKey());
      if (population > 0) {
        addresses.add(e.getValue());
        weights.add((double) population);
        cities += population;
      }
    }
    List<String> elsewhere = new ArrayList<>();
    byPlace.forEach(
        (place, list) -> {
          if (place == ELSEWHERE || world.cityPopulation(place) == 0) {
            elsewhere.addAll(list);
          }
        });
    if (!elsewhere.isEmpty()) {
      addresses.add(elsewhere);
      // With no table city found, elsewhere is the whole country.
      weights.add(cities == 0 ? 1.0 : cities * ELSEWHERE_SHARE / (1 - ELSEWHERE_SHARE));
    }
    double[] cumulative = new double[weights.size()];
    double sum = 0;
    for (int i = 0; i < cumulative.length; i++) {
      sum += weights.get(i);
      cumulative[i] = sum;
    }
    return new Places(addresses, cumulative);
  }

  /**
   * Collects up to {@code perPlace} addresses for every place (table city, or the rest of a
   * country) that the database knows.
   */
  public static ClientAddresses from(Path database, long seed, int perPlace) throws IOException {
    Map<String, Map<Long, List<String>>> found = new TreeMap<>();
    Random random = new Random(seed);
    // The cache decodes each of the database's records once, however many addresses share it.
    try (Reader reader = new Reader(database.toFile(), new CHMCache())) {
      byte[] b = new byte[4];
      for (int i = 0; i < SAMPLES; i++) {
        random.nextBytes(b);
        if (isPublic(b)) {
          add(reader, InetAddress.getByAddress(b), found, perPlace);
        }
      }
      if (found.size() < 5) {
        readNetworks(reader, found, perPlace, random);
      }
    }
    return new ClientAddresses(found, WorldTables.get());
  }

  // The reader decodes records into plain maps; Map.class has no generic form.
  @SuppressWarnings("rawtypes")
  private static void readNetworks(
      Reader reader, Map<String, Map<Long, List<String>>> found, int perPlace, Random random)
      throws IOException {
    Networks<Map> networks;
    try {
      networks = reader.networks(Map.class);
    } catch (com.maxmind.db.InvalidNetworkException e) {
      throw new IOException("cannot list the GeoIP database's networks", e);
    }
    while (networks.hasNext()) {
      DatabaseRecord<Map> n = networks.next();
      byte[] base = n.getNetwork().getNetworkAddress().getAddress();
      if (base.length != 4 || !isPublic(base)) {
        continue;
      }
      int hostBits = Math.min(16, Math.max(0, 32 - n.getNetwork().getPrefixLength()));
      int tries = Math.min(perPlace, 1 << hostBits);
      long v = ((base[0] & 0xffL) << 24) | ((base[1] & 0xff) << 16) | ((base[2] & 0xff) << 8);
      v |= base[3] & 0xff;
      for (int k = 0; k < tries; k++) {
        long a = v + (hostBits < 2 ? 0 : 1 + random.nextInt((1 << hostBits) - 2));
        byte[] addr = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
        add(reader, InetAddress.getByAddress(addr), found, perPlace);
      }
    }
  }

  private static void add(
      Reader reader, InetAddress address, Map<String, Map<Long, List<String>>> found, int cap)
      throws IOException {
    Map<?, ?> record = reader.get(address, Map.class);
    if (record == null || !(record.get("country") instanceof Map<?, ?> country)) {
      return;
    }
    if (!(country.get("iso_code") instanceof String iso)) {
      return;
    }
    long place = ELSEWHERE;
    if (record.get("city") instanceof Map<?, ?> city
        && city.get("geoname_id") instanceof Number id) {
      place = id.longValue();
    }
    List<String> list =
        found
            .computeIfAbsent(iso, k -> new TreeMap<>())
            .computeIfAbsent(place, k -> new ArrayList<>());
    String ip = address.getHostAddress();
    if (list.size() < cap && !list.contains(ip)) {
      list.add(ip);
    }
  }

  /** Unicast, not private, loopback, link-local, shared, multicast or reserved. */
  static boolean isPublic(byte[] a) {
    int x = a[0] & 0xff;
    int y = a[1] & 0xff;
    return x != 0
        && x != 10
        && x != 127
        && x < 224
        && !(x == 100 && y >= 64 && y < 128)
        && !(x == 169 && y == 254)
        && !(x == 172 && y >= 16 && y < 32)
        && !(x == 192 && y == 168);
  }

  /** A random address: a country by its internet users, then a place in it by population. */
  public Address next(Random random) {
    String country = countries.get(pick(countryCumulative, random));
    return new Address(places.get(country).draw(random), country);
  }

  private static int pick(double[] cumulative, Random random) {
    double r = random.nextDouble() * cumulative[cumulative.length - 1];
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > r) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The countries addresses were found for. */
  public List<String> countries() {
    return List.copyOf(countries);
  }

  /** The share of clients that {@link #next} draws from {@code country}. */
  public double share(String country) {
    int i = countries.indexOf(country);
    if (i < 0) {
      return 0;
    }
    double before = i == 0 ? 0 : countryCumulative[i - 1];
    return (countryCumulative[i] - before) / countryCumulative[countryCumulative.length - 1];
  }
}
