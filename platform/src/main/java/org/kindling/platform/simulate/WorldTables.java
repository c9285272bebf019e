package org.kindling.platform.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The two public tables the simulator's geography comes from (see the README beside them in the
 * resources): internet users by country and the population of cities of 100,000 and more, keyed by
 * their GeoNames id, which is also the id GeoIP2 databases give a city.
 */
final class WorldTables {
  /**
   * Internet users assumed for a country the table does not list (small territories); the table's
   * smallest countries have a few thousand.
   */
  static final long UNLISTED_COUNTRY_USERS = 10_000;

  private static final WorldTables INSTANCE = new WorldTables();

  private final Map<String, Long> internetUsers = new HashMap<>();
  private final Map<Long, Long> cityPopulation = new HashMap<>();

  private WorldTables() {
    read("internet-users.csv", f -> internetUsers.put(f[0], Long.parseLong(f[3])));
    read("cities.csv", f -> cityPopulation.put(Long.parseLong(f[0]), Long.parseLong(f[2])));
  }

  /** The tables, read once from the class path. */
  static WorldTables get() {
    return INSTANCE;
  }

  /** Internet users of the country (ISO 3166-1 alpha-2), or {@link #UNLISTED_COUNTRY_USERS}. */
  long internetUsers(String country) {
    return internetUsers.getOrDefault(country, UNLISTED_COUNTRY_USERS);
  }

  /** The population of the city with this GeoNames id, or 0 when it is not in the table. */
  long cityPopulation(long geonameId) {
    return cityPopulation.getOrDefault(geonameId, 0L);
  }

  private static void read(String name, Consumer<String[]> row) {
    try (InputStream in = WorldTables.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing simulator table " + name);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      r.readLine(); // header
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          row.accept(line.split(",", -1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
