package org.kindling.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kindling.testkit.GeoIpTestData;

class LookupGeoTest {
  private static final String VERSION = "GeoIP2-City/2026-11-24T00:00:00Z";
  private static GeoDatabase database;
  private static LookupGeo lookup;

  @BeforeAll
  static void open() throws Exception {
    database = GeoDatabase.open(GeoIpTestData.cityDatabase());
    lookup = new LookupGeo(database, List.of(), 50);
  }

  @AfterAll
  static void close() {
    database.close();
  }

  @Test
  void shouldAnswerEveryFieldForAMetro() {
    assertThat(lookup.lookup("2.20.1.10"))
        .isEqualTo(new Geo("US", "NA", "CA", null, "San Francisco", 37.8, -122.4, VERSION));
    assertThat(lookup.lookup("2.14.1.10"))
        .isEqualTo(new Geo("ES", "EU", "MD", "M", "Madrid", 40.4, -3.7, VERSION));
    assertThat(lookup.lookup("2.26.1.10"))
        .isEqualTo(new Geo("BR", "SA", "SP", null, "S\u00e3o Paulo", -23.5, -46.6, VERSION));
  }

  @Test
  void shouldMatchTheTestDataForEveryPlace() {
    for (GeoIpTestData.Place place : GeoIpTestData.PLACES) {
      Geo geo = lookup.lookup(place.address());
      assertThat(geo.country()).as(place.address()).isEqualTo(place.country());
      assertThat(geo.continent()).isEqualTo(place.continent());
      assertThat(geo.subdivision1()).isEqualTo(place.subdivision1());
      assertThat(geo.subdivision2()).isEqualTo(place.subdivision2());
      assertThat(geo.latitude()).isEqualTo(Math.round(place.latitude() * 10) / 10.0);
      assertThat(geo.longitude()).isEqualTo(Math.round(place.longitude() * 10) / 10.0);
      assertThat(geo.city()).isEqualTo(place.accuracyRadius() <= 50 ? place.city() : null);
    }
  }

  @Test
  void shouldRoundToOneTenthOfADegreeHalfAwayFromZero() {
    assertThat(Geo.round(52.5244)).isEqualTo(52.5);
    assertThat(Geo.round(13.4105)).isEqualTo(13.4);
    assertThat(Geo.round(52.45)).isEqualTo(52.5);
    assertThat(Geo.round(-0.1257)).isEqualTo(-0.1);
    assertThat(Geo.round(-0.05)).isEqualTo(-0.1);
    assertThat(Geo.round(-0.04)).isEqualTo(0.0);
    assertThat(Geo.round(-122.4194)).isEqualTo(-122.4);
    assertThat(Geo.round(174.7633)).isEqualTo(174.8);
    assertThat(Geo.round(null)).isNull();
    assertThat(Geo.round(Double.NaN)).isNull();
    assertThat(lookup.lookup("2.13.1.10").locationKey()).isEqualTo("51.5,-0.1");
    assertThat(lookup.lookup("2.42.1.10").locationKey()).isEqualTo("-75.0,0.0");
  }

  @Test
  void shouldDropTheCityOfCoarseAnswers() {
    Geo mariposa = lookup.lookup("2.23.1.10");
    assertThat(mariposa.city()).isNull();
    assertThat(mariposa.subdivisionCode()).isEqualTo("US-CA");
    assertThat(mariposa.latitude()).isEqualTo(37.5);
    assertThat(lookup.lookup("2.11.1.10").city()).isNull();
    assertThat(new LookupGeo(database, List.of(), 0).lookup("2.11.1.10").city())
        .isEqualTo("Wittenberge");
    assertThat(new LookupGeo(database, List.of(), 100).lookup("2.23.1.10").city())
        .isEqualTo("Mariposa");
  }

  @Test
  void shouldReportOnlyAllowlistedCitiesWhenAListIsSet() {
    LookupGeo allow =
        new LookupGeo(database, List.of("us/los angeles", " DE/Berlin ", "US/Mariposa"), 50);
    assertThat(allow.lookup("2.21.1.10").city()).isEqualTo("Los Angeles");
    assertThat(allow.lookup("2.10.1.10").city()).isEqualTo("Berlin");
    assertThat(allow.lookup("2a0a:1000::10").city()).isEqualTo("Berlin");
    assertThat(allow.lookup("2.20.1.10").city()).isNull();
    assertThat(allow.lookup("2.20.1.10").country()).isEqualTo("US");
    // listed, but the answer is too coarse: both rules apply
    assertThat(allow.lookup("2.23.1.10").city()).isNull();
  }

  @Test
  void shouldAnswerIpv6() {
    assertThat(lookup.lookup("2a0a:2000::10"))
        .isEqualTo(new Geo("US", "NA", "CA", null, "San Francisco", 37.8, -122.4, VERSION));
    assertThat(lookup.lookup("[2a0a:1000::1]:443").country()).isEqualTo("DE");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.1.2.3",
        "172.16.5.4",
        "192.168.1.20",
        "127.0.0.1",
        "169.254.1.1",
        "100.64.1.1",
        "fd00::1",
        "::1",
        "5.6.7.8",
        "",
        "unknown",
        "localhost",
        "example.com",
        "1.2.3",
        "1.2.3.256",
        "2.10.1.10.5",
        "::zz"
      })
  void shouldGiveAnEmptyAnswerForPrivateUnknownAndInvalidAddresses(String address) {
    assertThat(lookup.lookup(address)).isEqualTo(Geo.unknown(VERSION));
  }

  @Test
  void shouldGiveAnEmptyAnswerWithoutAnAddress() {
    assertThat(lookup.lookup(null)).isEqualTo(Geo.unknown(VERSION));
  }

  @Test
  void shouldParseAddressForms() {
    assertThat(LookupGeo.parseAddress("2.10.1.10:5000").getHostAddress()).isEqualTo("2.10.1.10");
    assertThat(LookupGeo.parseAddress(" 2.10.1.10 ").getHostAddress()).isEqualTo("2.10.1.10");
    assertThat(LookupGeo.parseAddress("fe80::1%eth0").isLinkLocalAddress()).isTrue();
    assertThat(LookupGeo.parseAddress("[2a0a:1000::1")).isNull();
  }
}
