package org.kindling.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader.FileMode;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Subdivision;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeoIpTestDataTest {

  private static DatabaseReader reader;

  @BeforeAll
  static void open() throws Exception {
    reader =
        new DatabaseReader.Builder(GeoIpTestData.cityDatabase().toFile())
            .fileMode(FileMode.MEMORY_MAPPED)
            .withCache(new CHMCache())
            .build();
  }

  @AfterAll
  static void close() throws Exception {
    reader.close();
  }

  @Test
  void shouldDescribeItselfAsACityDatabase() {
    assertThat(reader.getMetadata().getDatabaseType()).isEqualTo(GeoIpTestData.DATABASE_TYPE);
    assertThat(reader.getMetadata().getBuildDate().toInstant()).isEqualTo(GeoIpTestData.BUILD_TIME);
  }

  @Test
  void shouldAnswerTheDocumentedValuesForEveryPlace() throws Exception {
    for (GeoIpTestData.Place place : GeoIpTestData.PLACES) {
      CityResponse city = reader.city(InetAddress.getByName(place.address()));
      assertThat(city.getCountry().getIsoCode()).as(place.address()).isEqualTo(place.country());
      assertThat(city.getContinent().getCode()).as(place.address()).isEqualTo(place.continent());
      List<Subdivision> subdivisions = city.getSubdivisions();
      assertThat(subdivisions.isEmpty() ? null : subdivisions.get(0).getIsoCode())
          .as(place.address())
          .isEqualTo(place.subdivision1());
      assertThat(subdivisions.size() < 2 ? null : subdivisions.get(1).getIsoCode())
          .as(place.address())
          .isEqualTo(place.subdivision2());
      assertThat(city.getCity().getName()).as(place.address()).isEqualTo(place.city());
      assertThat(city.getLocation().getLatitude()).as(place.address()).isEqualTo(place.latitude());
      assertThat(city.getLocation().getLongitude())
          .as(place.address())
          .isEqualTo(place.longitude());
      assertThat(city.getLocation().getAccuracyRadius())
          .as(place.address())
          .isEqualTo(place.accuracyRadius());
      String[] network = place.network().split("/");
      assertThat(city.getTraits().getNetwork().getNetworkAddress())
          .isEqualTo(InetAddress.getByName(network[0]));
      assertThat(city.getTraits().getNetwork().getPrefixLength())
          .isEqualTo(Integer.parseInt(network[1]));
    }
  }

  @Test
  void shouldCoverEveryContinentAndTwentyFiveCountries() {
    assertThat(GeoIpTestData.continents())
        .containsExactlyInAnyOrder("AF", "AN", "AS", "EU", "NA", "OC", "SA");
    assertThat(GeoIpTestData.countries()).hasSizeGreaterThanOrEqualTo(25);
    assertThat(GeoIpTestData.placesIn("us"))
        .extracting(GeoIpTestData.Place::city)
        .contains("Los Angeles", "Mariposa");
  }

  @Test
  void shouldNotKnowPrivateOrUnlistedAddresses() throws Exception {
    for (String address : GeoIpTestData.PRIVATE_ADDRESSES) {
      assertThat(reader.tryCity(InetAddress.getByName(address))).as(address).isEmpty();
      assertThat(GeoIpTestData.placeOf(address)).as(address).isEmpty();
    }
    assertThat(reader.tryCity(InetAddress.getByName(GeoIpTestData.UNLISTED_ADDRESS))).isEmpty();
  }

  @Test
  void shouldGiveDistinctAddressesResolvingToTheCountry() throws Exception {
    List<String> addresses = GeoIpTestData.addressIn("US", 1000);
    assertThat(new HashSet<>(addresses)).hasSize(1000);
    Set<String> cities = new HashSet<>();
    for (String address : addresses) {
      CityResponse city = reader.city(InetAddress.getByName(address));
      assertThat(city.getCountry().getIsoCode()).as(address).isEqualTo("US");
      assertThat(GeoIpTestData.placeOf(address).orElseThrow().city())
          .isEqualTo(city.getCity().getName());
      cities.add(city.getCity().getName());
    }
    assertThat(cities)
        .containsExactlyInAnyOrder("San Francisco", "Los Angeles", "New York", "Mariposa");
    for (String country : GeoIpTestData.countries()) {
      String address = GeoIpTestData.addressIn(country, 1).get(0);
      assertThat(reader.city(InetAddress.getByName(address)).getCountry().getIsoCode())
          .isEqualTo(country);
    }
  }

  @Test
  void shouldRefuseCountriesItDoesNotHave() {
    assertThatThrownBy(() -> GeoIpTestData.addressIn("XX", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GeoIpTestData.addressIn("AQ", 62_501))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
