package org.kindling.platform.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.maxmind.geoip2.DatabaseReader;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.kindling.geo.GeoDatabase;

class SimulatorTest {
  @Test
  void shouldSpreadClientsOverManyCountriesOfTheGeoLiteDatabase() throws Exception {
    ClientAddresses a = ClientAddresses.from(GeoDatabase.bundledFile(), 7, 10);
    assertThat(a.countries()).hasSizeGreaterThan(50).contains("US", "DE", "BR", "JP");
  }

  @Test
  void shouldDrawCountriesByTheirInternetUsersAndCitiesByPopulation() throws Exception {
    ClientAddresses a = ClientAddresses.from(GeoDatabase.bundledFile(), 7, 50);
    Random random = new Random(7);
    Map<String, Integer> byCountry = new HashMap<>();
    Map<Long, Integer> byCity = new HashMap<>();
    try (DatabaseReader db =
        new DatabaseReader.Builder(GeoDatabase.bundledFile().toFile()).build()) {
      for (int i = 0; i < 20_000; i++) {
        ClientAddresses.Address ad = a.next(random);
        byCountry.merge(ad.country(), 1, Integer::sum);
        Long city = db.city(InetAddress.getByName(ad.ip())).getCity().getGeoNameId();
        if (city != null) {
          byCity.merge(city, 1, Integer::sum);
        }
      }
    }
    // The map's top countries are the largest internet populations (2020: China, India, the
    // United States, Brazil, Indonesia, Russia, Japan, Mexico, Egypt, Germany, Nigeria, Iran),
    // not the countries with the most addresses or simply the most countries.
    List<String> top = top(byCountry, 5);
    assertThat(List.of("CN", "IN", "US", "BR", "ID", "RU", "JP", "MX", "EG", "DE", "NG", "IR"))
        .containsAll(top);
    assertThat(top.subList(0, 2)).containsExactly("CN", "IN");
    // Each country's share is its share of the internet users of the countries found.
    assertThat(byCountry.get("CN") / 20_000.0).isCloseTo(a.share("CN"), within(0.015));
    assertThat(a.share("CN")).isGreaterThan(0.15);
    assertThat(a.share("AT")).isLessThan(0.005);
    // Within countries, the big cities: the most drawn ones all have a million people or more.
    for (long city : top(byCity, 5)) {
      assertThat(WorldTables.get().cityPopulation(city))
          .as("city %d", city)
          .isGreaterThan(1_000_000);
    }
  }

  private static <K> List<K> top(Map<K, Integer> counts, int n) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<K, Integer>comparingByValue().reversed())
        .limit(n)
        .map(Map.Entry::getKey)
        .toList();
  }

  @Test
  void shouldRepeatTheShapeOfARunWithNewDocumentIds() {
    ClientAddresses addresses =
        new ClientAddresses(Map.of("DE", List.of("2.160.0.1"), "FR", List.of("2.0.0.1")));
    SyntheticTraffic first = new SyntheticTraffic(42, addresses, Mix.parse(Mix.DEFAULT));
    SyntheticTraffic again = new SyntheticTraffic(42, addresses, Mix.parse(Mix.DEFAULT));
    Set<String> firstPaths = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Submission x = first.next();
      Submission y = again.next();
      assertThat(y.kind()).isEqualTo(x.kind());
      assertThat(y.country()).isEqualTo(x.country());
      assertThat(withoutIds(y.path())).isEqualTo(withoutIds(x.path()));
      assertThat(y.path()).isNotEqualTo(x.path());
      firstPaths.add(x.path());
    }
    assertThat(firstPaths).hasSize(200);
  }

  private static String withoutIds(String path) {
    return path.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID");
  }

  @Test
  void shouldRejectABadMix() {
    assertThatThrownBy(() -> Mix.parse("downloads=70,spam=5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spam");
  }

  @Test
  void shouldCountExactlyWhatTheEdgeAnswered() throws Exception {
    // A stand-in edge that refuses every third request; the summary must count only the 200s
    // downstream, and duplicates must copy only accepted submissions.
    AtomicInteger requests = new AtomicInteger();
    Set<String> acceptedPaths = ConcurrentHashMap.newKeySet();
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          String path = ex.getRequestURI().getPath();
          int n = requests.incrementAndGet();
          boolean again = seen.merge(path, 1, Integer::sum) > 1;
          int status = !again && n % 3 == 0 ? 503 : 200;
          if (status == 200 && !again) {
            acceptedPaths.add(path);
          }
          if (again) {
            assertThat(acceptedPaths).contains(path);
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
    try {
      ClientAddresses addresses =
          new ClientAddresses(Map.of("DE", List.of("2.160.0.1"), "FR", List.of("2.0.0.1")));
      SyntheticTraffic traffic = new SyntheticTraffic(3, addresses, Mix.parse(Mix.DEFAULT));
      URI edge = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      Summary s = new Simulator(edge, traffic, 2000, 16).run(600, null, null);
      assertThat(s.sent()).isEqualTo(600);
      long refused = requests.get() - s.accepted();
      assertThat(refused).isPositive();
      long lake = s.lakeRows().values().stream().mapToLong(Long::longValue).sum();
      assertThat(lake + s.expectedErrors() + s.expectedDuplicates()).isEqualTo(s.accepted());
      assertThat(s.expectedDuplicates()).isPositive();
      assertThat(s.lakeRows()).containsKeys("glow_download_v1", "glow_share_v1");
      assertThat(s.countries().get("glow.download").keySet()).containsOnly("DE", "FR");
      assertThat(s.toJson().get("expected").get("errors").asLong()).isEqualTo(s.expectedErrors());
    } finally {
      server.stop(0);
    }
  }
}
