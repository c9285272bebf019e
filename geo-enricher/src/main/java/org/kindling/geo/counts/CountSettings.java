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
 * @param countedDoctypes doctype ids ({@code glow.download}) that get geo cells and minutes
 * @param grace how long after its end (in the partition's event time) a minute stays open
 * @param idle how long a partition must receive nothing before its minutes close by wall clock
 * @param minCount the privacy floor the public writer applies (carried in the watermarks)
 * @param totalsInterval how often changed running totals are written
 * @param retention how long a closed minute is kept for corrections before it is tombstoned
 * @param sourcePartitions how many {@code ingest.validated} partitions there are
 */
public record CountSettings(
    Set<String> countedDoctypes,
    Duration grace,
    Duration idle,
    int minCount,
    Duration totalsInterval,
    Duration retention,
    int sourcePartitions) {

  /** The retention of closed minutes when none is given. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(3);

  /** The idle period when none is given. */
  public static final Duration DEFAULT_IDLE = Duration.ofSeconds(30);

  public CountSettings {
    countedDoctypes = Set.copyOf(countedDoctypes);
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
    if (sourcePartitions < 1) {
      throw new IllegalArgumentException("sourcePartitions must be at least 1");
    }
  }

  /**
   * Settings with {@code countedDoctypes} given as {@code namespace/type} or doctype ids, the
   * default retention and one source partition.
   */
  public static CountSettings of(
      Collection<String> countedDoctypes, Duration grace, int minCount, Duration totalsInterval) {
    return new CountSettings(
        countedDoctypes.stream().map(CountKey::doctypeOf).collect(Collectors.toSet()),
        grace,
        DEFAULT_IDLE,
        minCount,
        totalsInterval,
        DEFAULT_RETENTION,
        1);
  }

  /** These settings for {@code n} source partitions. */
  public CountSettings withSourcePartitions(int n) {
    return new CountSettings(countedDoctypes, grace, idle, minCount, totalsInterval, retention, n);
  }

  /** These settings with another retention. */
  public CountSettings withRetention(Duration r) {
    return new CountSettings(
        countedDoctypes, grace, idle, minCount, totalsInterval, r, sourcePartitions);
  }

  /** These settings with another idle period. */
  public CountSettings withIdle(Duration i) {
    return new CountSettings(
        countedDoctypes, grace, i, minCount, totalsInterval, retention, sourcePartitions);
  }

  /**
   * The settings of {@code geo.counted.doctypes}, {@code geo.window.grace}, ... for {@code
   * sourcePartitions} partitions of {@code ingest.validated}.
   */
  public static CountSettings fromConfig(KindlingConfig config, int sourcePartitions) {
    return of(
            config.getList(GeoConfig.COUNTED_DOCTYPES),
            config.getDuration(GeoConfig.WINDOW_GRACE),
            config.getInt(GeoConfig.PRIVACY_MIN_COUNT),
            config.getDuration(GeoConfig.TOTALS_INTERVAL))
        .withRetention(config.getDuration(GeoConfig.COUNTS_RETENTION))
        .withIdle(config.getDuration(GeoConfig.WINDOW_IDLE))
        .withSourcePartitions(sourcePartitions);
  }
}
