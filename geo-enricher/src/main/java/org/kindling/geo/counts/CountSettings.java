package org.kindling.geo.counts;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.counts.CountKey;
import org.kindling.geo.GeoConfig;

/**
 * How the counters count.
 *
 * @param countedDoctypes doctype ids ({@code glow.download}) that get geo cells
 * @param grace how long after its end a minute still accepts records
 * @param minCount privacy floor: smaller geo cells are folded into {@code other}
 * @param totalsInterval how often changed running totals are written
 */
public record CountSettings(
    Set<String> countedDoctypes, Duration grace, int minCount, Duration totalsInterval) {

  public CountSettings {
    countedDoctypes = Set.copyOf(countedDoctypes);
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
  }

  /** Settings with {@code countedDoctypes} given as {@code namespace/type} or doctype ids. */
  public static CountSettings of(
      Collection<String> countedDoctypes, Duration grace, int minCount, Duration totalsInterval) {
    return new CountSettings(
        countedDoctypes.stream().map(CountKey::doctypeOf).collect(Collectors.toSet()),
        grace,
        minCount,
        totalsInterval);
  }

  /** The settings of {@code geo.counted.doctypes}, {@code geo.window.grace}, ... */
  public static CountSettings fromConfig(KindlingConfig config) {
    return of(
        config.getList(GeoConfig.COUNTED_DOCTYPES),
        config.getDuration(GeoConfig.WINDOW_GRACE),
        config.getInt(GeoConfig.PRIVACY_MIN_COUNT),
        config.getDuration(GeoConfig.TOTALS_INTERVAL));
  }
}
