package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.kindling.core.Json;
import org.kindling.platform.local.LocalPlatform;
import org.kindling.platform.query.LakeQuery;
import org.kindling.platform.simulate.Summary;
import org.kindling.testkit.Waits;

/**
 * The accounting invariant of the pipeline: every submission the edge answered 200 ends up exactly
 * once as a lake row, an errors-lake row or a counted duplicate, and the public totals equal the
 * lake's counts. A snapshot taken before a run lets several runs share one platform.
 */
final class Accounting {
  private final LocalPlatform platform;
  private final Path lake;
  private final Path publicBucket;
  private final Map<String, Long> rowsBefore;
  private final long duplicatesBefore;
  private final Map<String, Long> totalsBefore = new TreeMap<>();

  Accounting(LocalPlatform platform, Path lake, Path publicBucket) {
    this.platform = platform;
    this.lake = lake;
    this.publicBucket = publicBucket;
    this.rowsBefore = counts(lake);
    this.duplicatesBefore = duplicates(platform);
    for (String t : new String[] {"download", "share"}) {
      totalsBefore.put(t, Math.max(0, total(publicBucket, t)));
    }
  }

  /** Waits until the lake holds what {@code sent} promised, then checks every part of it. */
  String check(Summary sent, Duration timeout) throws Exception {
    return check(timeout, sent);
  }

  /** As {@link #check(Summary, Duration)} for several runs of the simulator. */
  String check(Duration timeout, Summary... runs) throws Exception {
    Map<String, Long> expected = new TreeMap<>(rowsBefore);
    long sentCount = 0;
    long accepted = 0;
    long expectedErrors = 0;
    long expectedDuplicates = 0;
    Map<String, Long> lakeRows = new TreeMap<>();
    for (Summary sent : runs) {
      sent.lakeRows().forEach((t, n) -> lakeRows.merge(t, n, Long::sum));
      sentCount += sent.sent();
      accepted += sent.accepted();
      expectedErrors += sent.expectedErrors();
      expectedDuplicates += sent.expectedDuplicates();
    }
    lakeRows.forEach((t, n) -> expected.merge(t, n, Long::sum));
    expected.merge("errors", expectedErrors, Long::sum);
    expected.values().removeIf(v -> v == 0);
    AtomicReference<Map<String, Long>> last = new AtomicReference<>();
    Waits.until(
        timeout,
        () -> {
          last.set(counts(lake));
          return last.get().equals(expected);
        },
        () -> "lake counts " + last.get() + " expected " + expected);
    // A quiet period: nothing more arrives (no duplicate files, no late extras).
    Thread.sleep(4000);
    assertThat(counts(lake)).isEqualTo(expected);
    long inLake = 0;
    try (LakeQuery q = new LakeQuery(lake)) {
      for (String table : expected.keySet()) {
        if (table.equals("errors")) {
          continue;
        }
        Number distinct =
            (Number) q.run("SELECT count(DISTINCT document_id) FROM " + table).rows().get(0).get(0);
        assertThat(distinct.longValue())
            .as("distinct ids in " + table)
            .isEqualTo(expected.get(table));
      }
    }
    for (long n : lakeRows.values()) {
      inLake += n;
    }
    long dups = duplicates(platform) - duplicatesBefore;
    assertThat(dups).as("duplicates dropped by the validator").isEqualTo(expectedDuplicates);
    for (String t : new String[] {"download", "share"}) {
      long want = expected.getOrDefault("glow_" + t + "_v1", 0L);
      Waits.until(
          Duration.ofSeconds(60),
          () -> total(publicBucket, t) == want,
          () ->
              "summary.json total of glow." + t + " " + total(publicBucket, t) + ", lake " + want);
    }
    return String.format(
        "submitted %d, answered 200 %d, in lake %d, in errors %d, duplicates %d, lost 0,"
            + " duplicated in lake 0",
        sentCount, accepted, inLake, expectedErrors, dups);
  }

  /**
   * Waits until the public minute files of the Glow doctypes equal the lake, minute by minute: each
   * file's total is the lake's rows of that minute, and its countries (with their {@code other}
   * cell) sum to the rows of that minute that have a country. Returns how many minutes matched. A
   * minute closes only after it ends (plus the grace), so this waits up to a minute.
   */
  long checkMinutes(Duration timeout) throws Exception {
    long matched = 0;
    for (String t : new String[] {"download", "share"}) {
      String table = "glow_" + t + "_v1";
      AtomicReference<String> diff = new AtomicReference<>();
      Waits.until(
          timeout,
          () -> {
            Map<String, long[]> lakeMinutes = lakeMinutes(table);
            Map<String, long[]> files = minuteFiles(publicBucket, t);
            diff.set(differences(lakeMinutes, files));
            return diff.get().isEmpty();
          },
          () -> "minute files of glow." + t + " differ from the lake: " + diff.get());
      matched += lakeMinutes(table).size();
    }
    return matched;
  }

  /** Minute to {rows, rows with a country} of a lake table. */
  private Map<String, long[]> lakeMinutes(String table) {
    Map<String, long[]> out = new TreeMap<>();
    try (LakeQuery q = new LakeQuery(lake)) {
      if (!q.views().containsKey(table)) {
        return out;
      }
      for (var row :
          q.run(
                  "SELECT epoch_ms(submission_timestamp) // 60000 AS m, count(*),"
                      + " count(normalized_country_code) FROM "
                      + table
                      + " GROUP BY 1")
              .rows()) {
        String minute =
            org.kindling.core.counts.CountKey.formatMinute(
                ((Number) row.get(0)).longValue() * 60_000L);
        out.put(
            minute,
            new long[] {((Number) row.get(1)).longValue(), ((Number) row.get(2)).longValue()});
      }
    } catch (Exception e) {
      out.put("unreadable: " + e, new long[] {-1, -1});
    }
    return out;
  }

  /** Minute to {total, sum of by_country} of the published minute files of a Glow doctype. */
  static Map<String, long[]> minuteFiles(Path publicBucket, String type) {
    Map<String, long[]> out = new TreeMap<>();
    Path dir = publicBucket.resolve("glow/" + type + "/minutes");
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode n = Json.mapper().readTree(f.toFile());
        long countries = 0;
        for (JsonNode c : n.path("by_country")) {
          countries += c.asLong();
        }
        out.put(n.path("minute").asText(), new long[] {n.path("total").asLong(), countries});
      }
    } catch (Exception e) {
      out.put("unreadable: " + e, new long[] {-1, -1});
    }
    return out;
  }

  private static String differences(Map<String, long[]> lake, Map<String, long[]> files) {
    StringBuilder sb = new StringBuilder();
    java.util.Set<String> minutes = new java.util.TreeSet<>(lake.keySet());
    minutes.addAll(files.keySet());
    for (String m : minutes) {
      long[] l = lake.get(m);
      long[] f = files.get(m);
      if (l == null || f == null || l[0] != f[0] || l[1] != f[1]) {
        sb.append(m)
            .append(": lake ")
            .append(l == null ? "-" : l[0] + "/" + l[1])
            .append(" file ")
            .append(f == null ? "-" : f[0] + "/" + f[1])
            .append("; ");
      }
    }
    return sb.toString();
  }

  /** The geo-enricher's late records (corrections of closed minutes) so far. */
  static long lateRecords(LocalPlatform platform) {
    return (long)
        platform.registry().find("late_records").counters().stream()
            .mapToDouble(Counter::count)
            .sum();
  }

  static long duplicates(LocalPlatform platform) {
    return (long)
        platform.registry().find("duplicate_submission").counters().stream()
            .mapToDouble(Counter::count)
            .sum();
  }

  static long total(Path publicBucket, String type) {
    Path summary = publicBucket.resolve("glow/" + type + "/summary.json");
    try {
      if (!Files.exists(summary)) {
        return -1;
      }
      JsonNode n = Json.mapper().readTree(summary.toFile());
      return n.path("total").asLong(-1);
    } catch (Exception e) {
      return -1;
    }
  }

  static Map<String, Long> counts(Path lake) {
    try (LakeQuery q = new LakeQuery(lake)) {
      return new TreeMap<>(q.rowCounts());
    } catch (Exception e) {
      return Map.of("unreadable", -1L);
    }
  }
}
