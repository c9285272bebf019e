package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;
import org.kindling.platform.local.LocalPlatform;
import org.kindling.platform.query.LakeQuery;
import org.kindling.platform.simulate.ClientAddresses;
import org.kindling.platform.simulate.Mix;
import org.kindling.platform.simulate.Simulator;
import org.kindling.platform.simulate.Summary;
import org.kindling.platform.simulate.SyntheticTraffic;
import org.kindling.testkit.GeoIpTestData;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.S3ServerExtension;
import org.kindling.testkit.Waits;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole pipeline in one JVM on testkit parts (a real KRaft broker and S3 server): mixed traffic
 * through HTTP, then the accounting invariant, checked with DuckDB over the lake and the errors
 * lake and against the public summary: every submission answered 200 is exactly once a lake row, an
 * errors-lake row or a counted duplicate.
 */
class EndToEndIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.filesystem();

  static final int COUNT = Integer.getInteger("kindling.e2e.count", 20_000);
  private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));

  @TempDir static Path data;
  static LocalPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    S3.createBucket("kindling-lake");
    S3.createBucket("kindling-landfill");
    S3.createPublicBucket("kindling-public");
    Map<String, String> o = new HashMap<>();
    o.put("local.data.dir", data.toString());
    o.put("local.kafka.embedded", "false");
    o.put("local.s3.embedded", "false");
    o.put("local.dashboard.port", "0");
    o.put("local.dashboard.dir", BASEDIR.resolve("../dashboard").normalize().toString());
    o.put("s3.endpoint", S3.endpoint().toString());
    o.put("s3.access.key.id", S3.accessKey());
    o.put("s3.secret.access.key", S3.secretKey());
    o.put("s3.path.style", "true");
    o.put("edge.port", "0");
    o.put("ops.port", "0");
    o.put("geo.database", GeoIpTestData.cityDatabase().toString());
    o.put("sink.idle.flush", "2s");
    o.put("sink.public.summary.interval", "1s");
    platform = LocalPlatform.start(KAFKA.config(o));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void shouldAccountForEveryAcceptedSubmissionExactlyOnce() throws Exception {
    ClientAddresses clients = ClientAddresses.from(GeoIpTestData.cityDatabase(), 11, 40);
    SyntheticTraffic traffic = new SyntheticTraffic(11, clients, Mix.parse(Mix.DEFAULT));
    URI edge = platform.edgeUrl();
    Summary sent = new Simulator(edge, traffic, 3000, 128).run(COUNT, null, null);
    assertThat(sent.sent()).isEqualTo(COUNT);
    assertThat(sent.accepted()).as(sent.toJson().toString()).isPositive();
    Map<String, Long> expected = new TreeMap<>(sent.lakeRows());
    expected.put("errors", sent.expectedErrors());

    Path lake = S3.basedir().resolve("kindling-lake");
    AtomicReference<Map<String, Long>> last = new AtomicReference<>();
    Waits.until(
        Duration.ofMinutes(4),
        () -> {
          last.set(counts(lake));
          return last.get().equals(expected);
        },
        () -> "lake counts " + last.get() + " expected " + expected);
    // Quiet period: nothing more arrives (no duplicate files, no late extras).
    Thread.sleep(4000);
    assertThat(counts(lake)).isEqualTo(expected);

    try (LakeQuery q = new LakeQuery(lake)) {
      for (String table : sent.lakeRows().keySet()) {
        Number distinct =
            (Number) q.run("SELECT count(DISTINCT document_id) FROM " + table).rows().get(0).get(0);
        assertThat(distinct.longValue())
            .as("distinct ids in " + table)
            .isEqualTo(expected.get(table));
      }
      // The geo-enricher placed every Glow client where the simulator picked it.
      Map<String, Long> byCountry = new TreeMap<>();
      q.run("SELECT normalized_country_code, count(*) FROM glow_download_v1 GROUP BY 1")
          .rows()
          .forEach(r -> byCountry.put(String.valueOf(r.get(0)), ((Number) r.get(1)).longValue()));
      assertThat(byCountry).isEqualTo(sent.countries().get("glow.download"));
    }

    double duplicates =
        platform.registry().find("duplicate_submission").counters().stream()
            .mapToDouble(Counter::count)
            .sum();
    assertThat((long) duplicates).isEqualTo(sent.expectedDuplicates());

    for (String doctype : new String[] {"download", "share"}) {
      Path summary = S3.basedir().resolve("kindling-public/glow/" + doctype + "/summary.json");
      long want = expected.get("glow_" + doctype + "_v1");
      Waits.until(
          Duration.ofSeconds(60),
          () -> total(summary) == want,
          () -> "summary.json total " + total(summary) + ", lake rows " + want);
    }
    showsTheSameNumbersOnTheDashboard(sent);
    System.out.printf(
        "end-to-end: submitted %d, answered 200 %d, in lake %d, in errors %d, duplicates %d,"
            + " lost 0, duplicated in lake 0%n",
        sent.sent(),
        sent.accepted(),
        sent.lakeRows().values().stream().mapToLong(Long::longValue).sum(),
        sent.expectedErrors(),
        sent.expectedDuplicates());
  }

  /**
   * The Glow page, in headless Chromium, shows the downloads that were sent: the total counter and
   * the top countries with their counts.
   */
  private static void showsTheSameNumbersOnTheDashboard(Summary sent) throws Exception {
    Map<String, Long> countries = sent.countries().get("glow.download");
    long total = countries.values().stream().mapToLong(Long::longValue).sum();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + Files.createTempDirectory(data, "chromium"),
        "--window-size=1280,860",
        "--no-first-run");
    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    ChromeDriver driver = new ChromeDriver(options);
    try {
      driver.get(platform.dashboardUrl().toString());
      Path shot = BASEDIR.resolve("target/dashboard-end-to-end.png");
      Files.createDirectories(shot.getParent());
      try {
        new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100))
            .until(
                d ->
                    String.valueOf(total)
                        .equals(d.findElement(By.id("total")).getDomAttribute("data-count")));
      } catch (org.openqa.selenium.TimeoutException e) {
        Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
        throw new AssertionError(
            "dashboard total "
                + driver.findElement(By.id("total")).getDomAttribute("data-count")
                + " (state "
                + driver.findElement(By.id("status")).getDomAttribute("data-state")
                + ": "
                + driver.findElement(By.id("status")).getText()
                + "), expected "
                + total
                + " from "
                + platform.dashboardUrl(),
            e);
      }
      List<WebElement> top = driver.findElements(By.cssSelector("#top-countries li"));
      assertThat(top).isNotEmpty();
      long previous = Long.MAX_VALUE;
      for (WebElement li : top) {
        String country = li.getDomAttribute("data-country");
        long count = Long.parseLong(li.getDomAttribute("data-count"));
        assertThat(count).as("count of " + country).isEqualTo(countries.get(country));
        assertThat(count).isLessThanOrEqualTo(previous);
        previous = count;
      }
      // No country that was sent more often is missing from the list.
      long smallestShown = previous;
      long shown = top.size();
      assertThat(countries.values().stream().filter(c -> c > smallestShown).count())
          .isLessThan(shown);
      Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.quit();
    }
  }

  private static long total(Path summary) {
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

  private static Map<String, Long> counts(Path lake) {
    try (LakeQuery q = new LakeQuery(lake)) {
      return new TreeMap<>(q.rowCounts());
    } catch (Exception e) {
      return Map.of("unreadable", -1L);
    }
  }
}
