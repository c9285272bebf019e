package org.kindling.geo;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The geo answer for one client address, as it goes into {@code metadata.geo}. Every field except
 * {@code dbVersion} may be null (unknown, private or unparseable address, or a coarse answer).
 *
 * @param country ISO 3166-1 alpha-2 country code
 * @param continent two-letter continent code (AF, AN, AS, EU, NA, OC, SA)
 * @param subdivision1 first-level subdivision ISO code without the country prefix (US-CA: "CA")
 * @param subdivision2 second-level subdivision ISO code
 * @param city English city name, only when the city rule allows it (see {@link LookupGeo})
 * @param latitude latitude rounded to 0.1 degree
 * @param longitude longitude rounded to 0.1 degree
 * @param dbVersion the database that answered: {@code <database_type>/<build time>}
 */
public record Geo(
    String country,
    String continent,
    String subdivision1,
    String subdivision2,
    String city,
    Double latitude,
    Double longitude,
    String dbVersion) {

  /** The answer for an address the database does not know. */
  public static Geo unknown(String dbVersion) {
    return new Geo(null, null, null, null, null, null, null, dbVersion);
  }

  /** The subdivision as a full ISO 3166-2 code ({@code US-CA}), or null. */
  public String subdivisionCode() {
    return country == null || subdivision1 == null ? null : country + "-" + subdivision1;
  }

  /** The rounded location as {@code lat,lon} ({@code 52.5,13.4}), or null. */
  public String locationKey() {
    return latitude == null || longitude == null ? null : latitude + "," + longitude;
  }

  /** Rounds a coordinate to 0.1 degree, halves away from zero (52.45 -> 52.5, -0.05 -> -0.1). */
  public static Double round(Double degrees) {
    if (degrees == null || degrees.isNaN() || degrees.isInfinite()) {
      return null;
    }
    double rounded = BigDecimal.valueOf(degrees).setScale(1, RoundingMode.HALF_UP).doubleValue();
    // -0.0 would print as "-0.0" in keys
    return rounded == 0.0 ? 0.0 : rounded;
  }
}
