package org.kindling.platform.simulate;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Client addresses that a GeoIP2 City database places in a country, grouped by country, so the
 * simulator can spread traffic over many countries with addresses the geo-enricher resolves.
 *
 * <p>A large database (GeoLite2) is sampled by looking up random public IPv4 addresses; a small one
 * (the synthetic test database) is read network by network.
 */
public final class ClientAddresses {
  /** One address and the country the database places it in. */
  public record Address(String ip, String country) {}

  private final Map<String, List<String>> byCountry;
  private final List<String> countries;

  ClientAddresses(Map<String, List<String>> byCountry) {
    if (byCountry.isEmpty()) {
      throw new IllegalArgumentException("the GeoIP database places no IPv4 address in a country");
    }
    this.byCountry = byCountry;
    this.countries = new ArrayList<>(byCountry.keySet());
  }

  /** Collects up to {@code perCountry} addresses for every country the database knows. */
  public static ClientAddresses from(Path database, long seed, int perCountry) throws IOException {
    Map<String, List<String>> byCountry = new TreeMap<>();
    Random random = new Random(seed);
    try (Reader reader = new Reader(database.toFile())) {
      byte[] b = new byte[4];
      for (int i = 0; i < 20_000; i++) {
        random.nextBytes(b);
        if (isPublic(b)) {
          add(reader, InetAddress.getByAddress(b), byCountry, perCountry);
        }
      }
      if (byCountry.size() < 5) {
        readNetworks(reader, byCountry, perCountry, random);
      }
    }
    return new ClientAddresses(byCountry);
  }

  // The reader decodes records into plain maps; Map.class has no generic form.
  @SuppressWarnings("rawtypes")
  private static void readNetworks(
      Reader reader, Map<String, List<String>> byCountry, int perCountry, Random random)
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
      int tries = Math.min(perCountry, 1 << hostBits);
      long v = ((base[0] & 0xffL) << 24) | ((base[1] & 0xff) << 16) | ((base[2] & 0xff) << 8);
      v |= base[3] & 0xff;
      for (int k = 0; k < tries; k++) {
        long a = v + (hostBits < 2 ? 0 : 1 + random.nextInt((1 << hostBits) - 2));
        byte[] addr = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
        add(reader, InetAddress.getByAddress(addr), byCountry, perCountry);
      }
    }
  }

  private static void add(
      Reader reader, InetAddress address, Map<String, List<String>> byCountry, int cap)
      throws IOException {
    Map<?, ?> record = reader.get(address, Map.class);
    if (record == null || !(record.get("country") instanceof Map<?, ?> country)) {
      return;
    }
    if (!(country.get("iso_code") instanceof String iso)) {
      return;
    }
    List<String> list = byCountry.computeIfAbsent(iso, k -> new ArrayList<>());
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

  /** A random address: a country chosen uniformly, then an address in it. */
  public Address next(Random random) {
    String country = countries.get(random.nextInt(countries.size()));
    List<String> list = byCountry.get(country);
    return new Address(list.get(random.nextInt(list.size())), country);
  }

  /** The countries addresses were found for. */
  public List<String> countries() {
    return List.copyOf(countries);
  }
}
