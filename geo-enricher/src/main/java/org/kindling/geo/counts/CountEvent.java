package org.kindling.geo.counts;

import org.kindling.geo.Geo;

/**
 * What the counters need of one enriched record, handed from the enrich step to the counters of the
 * same task; the event time is the record timestamp. It carries no client address, only the coarse
 * geo cells.
 *
 * @param continent continent code or null
 * @param country ISO country code or null
 * @param subdivision full ISO 3166-2 subdivision code ({@code US-CA}) or null
 * @param location rounded {@code lat,lon} or null
 */
public record CountEvent(String continent, String country, String subdivision, String location) {

  /** The cells of a geo answer. */
  public static CountEvent of(Geo geo) {
    return new CountEvent(geo.continent(), geo.country(), geo.subdivisionCode(), geo.locationKey());
  }
}
