package org.kindling.platform.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
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
