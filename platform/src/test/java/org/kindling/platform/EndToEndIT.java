package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
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
    Map<String, String> o = PipelineRig.settings(data, S3);
    o.remove("local.dashboard.enabled");
    o.put("local.dashboard.port", "0");
    o.put("local.dashboard.dir", BASEDIR.resolve("../dashboard").normalize().toString());
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
    Accounting accounting = PipelineRig.accounting(platform, S3);
    Summary sent = new Simulator(edge, traffic, 3000, 128).run(COUNT, null, null);
    assertThat(sent.sent()).isEqualTo(COUNT);
    assertThat(sent.accepted()).as(sent.toJson().toString()).isPositive();
    // lake, errors lake, distinct ids, dropped duplicates and public totals
    String accounted = accounting.check(sent, Duration.ofMinutes(4));

    // The geo-enricher placed every Glow client where the simulator picked it.
    try (LakeQuery q = new LakeQuery(S3.basedir().resolve("kindling-lake"))) {
      Map<String, Long> byCountry = new TreeMap<>();
      q.run("SELECT normalized_country_code, count(*) FROM glow_download_v1 GROUP BY 1")
          .rows()
          .forEach(r -> byCountry.put(String.valueOf(r.get(0)), ((Number) r.get(1)).longValue()));
      assertThat(byCountry).isEqualTo(sent.countries().get("glow.download"));
    }
    showsTheSameNumbersOnTheDashboard(sent);
    // every public minute file equals the lake's rows of its minute
    long minutes = accounting.checkMinutes(Duration.ofSeconds(120));
    System.out.println("end-to-end: " + accounted + ", " + minutes + " minute files as the lake");
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
}
