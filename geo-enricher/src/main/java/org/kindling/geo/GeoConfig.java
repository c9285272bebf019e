package org.kindling.geo;

import java.util.List;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.ConfigModule;
import org.kindling.core.config.ConfigType;

/** Configuration keys of the geo-enricher ({@code geo.*}). */
public final class GeoConfig implements ConfigModule {
  public static final String DATABASE = "geo.database";
  public static final String DATABASE_CHECK_INTERVAL = "geo.database.check.interval";
  public static final String CITY_ALLOWLIST = "geo.city.allowlist";
  public static final String CITY_MAX_ACCURACY_RADIUS = "geo.city.max.accuracy.radius";
  public static final String USER_AGENT_CACHE_SIZE = "geo.user.agent.cache.size";
  public static final String COUNTED_DOCTYPES = "geo.counted.doctypes";
  public static final String WINDOW_GRACE = "geo.window.grace";
  public static final String WINDOW_IDLE = "geo.window.idle";
  public static final String PRIVACY_MIN_COUNT = "geo.privacy.min.count";
  public static final String TOTALS_INTERVAL = "geo.totals.interval";
  public static final String COUNTS_RETENTION = "geo.counts.retention";

  @Override
  public String title() {
    return "Geo-enricher";
  }

  @Override
  public List<ConfigKey> keys() {
    return List.of(
        ConfigKey.of(
            DATABASE,
            ConfigType.PATH,
            null,
            "GeoIP2 or GeoLite2 City database (.mmdb). Empty: the bundled GeoLite2 City database"
                + " built 2019-11-12, which is only good for trying Kindling out: addresses move"
                + " between networks every week, so production needs a current file."),
        ConfigKey.positive(
            DATABASE_CHECK_INTERVAL,
            ConfigType.DURATION,
            "60s",
            "How often the database file is checked for replacement; a new file is loaded without"
                + " a restart. MaxMind publishes twice a week, so a minute is prompt enough and the"
                + " check (one stat call) costs nothing."),
        ConfigKey.of(
            CITY_ALLOWLIST,
            ConfigType.LIST,
            "",
            "Cities that may be reported, as CC/City name (e.g. US/Los Angeles,DE/Berlin). Empty:"
                + " any city that passes geo.city.max.accuracy.radius. A list keeps the city of"
                + " small places, where it could single out a person, out of the lake."),
        ConfigKey.intRange(
            CITY_MAX_ACCURACY_RADIUS,
            "50",
            0,
            20_000,
            "A city is reported only when the database's accuracy radius for the answer is at"
                + " most this many km (0: no limit). Coarse answers (100 km and more) are typical"
                + " for thinly populated areas, where the named town is a guess and small enough"
                + " to identify people; 50 km keeps metropolitan answers."),
        ConfigKey.intRange(
            USER_AGENT_CACHE_SIZE,
            "10000",
            0,
            10_000_000,
            "Parsed user agents kept in memory (least recently used out). Parsing scans the"
                + " header twice; real traffic has a few thousand distinct strings, so a small"
                + " cache saves most scans of long headers. 0 disables the cache."),
        ConfigKey.of(
            COUNTED_DOCTYPES,
            ConfigType.LIST,
            "glow/download,glow/share",
            "Document types (namespace/type) that get geo counters (continent, country,"
                + " subdivision totals and per-minute country and location counts) on"
                + " ingest.counts. Every document type gets its overall total. Geo cells cost"
                + " state and public output, so only the types the dashboard shows get them."),
        ConfigKey.of(
            WINDOW_GRACE,
            ConfigType.DURATION,
            "30s",
            "How long after a minute ends, in the event time of its ingest.validated partition (or"
                + " in wall-clock time when the partition receives nothing), the minute stays open"
                + " before its partial count is written. A record that comes later is still counted:"
                + " the minute is corrected (late_records). Submissions of one partition arrive in"
                + " about the order they were received; 30 s covers that and retries without"
                + " holding the dashboard back long."),
        ConfigKey.positive(
            WINDOW_IDLE,
            ConfigType.DURATION,
            "30s",
            "A partition of ingest.validated that has received nothing for this long closes its"
                + " minutes by the wall clock (those that ended geo.window.grace ago), so the last"
                + " minute of a quiet doctype is published. A partition that is behind on a backlog"
                + " is fed without pauses, so this only fires for quiet ones; 30 s is far longer"
                + " than a fetch, also on a busy machine, and short enough for a live map."),
        ConfigKey.intRange(
            PRIVACY_MIN_COUNT,
            "5",
            1,
            1_000_000,
            "Smallest count published for one geo cell; smaller cells are added to the"
                + " dimension's 'other' cell. The counters carry it in their watermarks and the"
                + " public writer applies it to the summed counts. 5 is the usual small-cell"
                + " threshold of public statistics: below it a count may describe one identifiable"
                + " household."),
        ConfigKey.positive(
            TOTALS_INTERVAL,
            ConfigType.DURATION,
            "1s",
            "How often changed running totals are written to ingest.counts. Writing per record"
                + " would multiply the output by the number of cells; one second is still live"
                + " for a dashboard."),
        ConfigKey.positive(
            COUNTS_RETENTION,
            ConfigType.DURATION,
            "3h",
            "How long a partition keeps a closed minute for corrections by late records (a spool"
                + " drained after an edge outage, a stage that was stopped) before it deletes it and"
                + " tombstones it on the compacted ingest.counts, which bounds the topic and the"
                + " public writer's start-up. A record for an older minute counts in the totals"
                + " only (expired_late_records). 3 h covers the spool of a busy edge and is more"
                + " than the hour of minutes latest.json lists."));
  }
}
