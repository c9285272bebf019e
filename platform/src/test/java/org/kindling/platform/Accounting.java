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
