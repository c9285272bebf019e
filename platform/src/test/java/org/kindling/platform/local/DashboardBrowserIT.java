package org.kindling.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Opens the Glow dashboard ({@code dashboard/}) in headless Chromium, served by {@link
 * DashboardServer}, against a fixture public bucket on another origin that answers like S3 with
 * CORS: ETags, 304 on {@code If-None-Match}, 404 for missing keys; and once against the real thing,
 * {@link EmbeddedS3} (S3Proxy) as {@code kindling local} runs it.
 *
 * <p>Needs Chromium and chromedriver ({@code apt-get install -y chromium chromium-driver}); the
 * paths can be changed with {@code -Dchrome.binary=} and {@code -Dchromedriver=}.
 */
class DashboardBrowserIT {
  private static final Path CHROMIUM =
      Path.of(System.getProperty("chrome.binary", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
  private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = Json.mapper();

  @TempDir static Path profile;
  @TempDir Path s3Dir;

  private static FixtureBucket bucket;
  private static DashboardServer dashboard;
  private static ChromeDriver driver;

  @BeforeAll
  static void start() throws IOException {
    assertThat(Files.isExecutable(CHROMIUM))
        .as(
            "Chromium is required for the dashboard browser test but %s is missing or not"
                + " executable; install it with: apt-get install -y chromium chromium-driver",
            CHROMIUM)
        .isTrue();
    assertThat(Files.isExecutable(CHROMEDRIVER))
        .as(
            "chromedriver is required for the dashboard browser test but %s is missing; install"
                + " it with: apt-get install -y chromium chromium-driver",
            CHROMEDRIVER)
        .isTrue();
    Path dashboardDir = BASEDIR.resolve("../dashboard").normalize();
    assertThat(dashboardDir.resolve("index.html")).as("dashboard directory").isRegularFile();

    bucket = new FixtureBucket();
    Instant now = Instant.now();
    bucket.putDoctype("live/glow/download", downloads(now), now);
    bucket.putDoctype("live/glow/share", shares(now), now);
    bucket.putDoctype("update/glow/download", downloads(now), now);
    Instant old = now.minus(2, ChronoUnit.HOURS);
    bucket.putDoctype("stale/glow/download", downloads(old), old);
    // "empty/..." has no objects at all: every GET is a 404

    // config.js points at the "live" prefix; the other tests override it with ?data=
    dashboard = new DashboardServer(dashboardDir, 0, URI.create(bucket.base() + "/live"));

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // keep the browser console readable from the test (uncaught script errors fail it)
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=1280,860",
        "--disable-background-networking",
        "--no-first-run");
    // an explicit driver and browser keep Selenium Manager from looking for (or downloading) any
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    driver = new ChromeDriver(options);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    if (bucket != null) {
      bucket.close();
    }
  }

  @Test
  void shouldShowTotalTopCountriesAndDotsFromTheBucketNamedByConfigJs() throws IOException {
    driver.manage().logs().get(LogType.BROWSER); // drop what earlier tests left
    driver.get(page(""));

    waitForCount("total", "1234");
    waitFor(d -> "1,234".equals(text("total")), "total text is 1,234");
    assertThat(state()).isEqualTo("live");
    assertThat(ranking("top-countries", "data-country"))
        .containsExactly("DE=500", "US=350", "FR=150", "JP=120", "CA=50");
    assertThat(driver.findElements(By.cssSelector("#top-countries li")).get(0).getText())
        .contains("Germany")
        .contains("500");
    assertThat(driver.findElement(By.id("other-countries")).getDomAttribute("data-count"))
        .isEqualTo("64");
    assertThat(ranking("top-continents", "data-continent"))
        .containsExactly("EU=700", "NA=400", "AS=120", "other=14");
    assertThat(driver.findElements(By.cssSelector("#top-continents li")).get(0).getText())
        .contains("Europe");
    assertThat(ranking("top-subdivisions", "data-subdivision"))
        .containsExactly("US-CA=200", "US-NY=100", "DE-BE=90");

    // the latest minute's places are dots; countries are shaded by their totals
    waitFor(d -> dots().size() == 3, "three dots for the three locations of the minute");
    assertThat(dots().stream().map(e -> e.getDomAttribute("data-count")))
        .containsExactlyInAnyOrder("7", "3", "1");
    waitFor(
        d -> !d.findElements(By.cssSelector("#map-countries path[data-country='DE']")).isEmpty(),
        "the map outlines are drawn");
    assertThat(
            driver
                .findElement(By.cssSelector("#map-countries path[data-country='DE']"))
                .getDomAttribute("class"))
        .isEqualTo("country shade-5");
    assertThat(
            driver
                .findElement(By.cssSelector("#map-countries path[data-country='BR']"))
                .getDomAttribute("class"))
        .isEqualTo("country shade-0");
    assertThat(text("minute")).contains("13 downloads").contains("18:05");

    assertThat(driver.manage().logs().get(LogType.BROWSER).getAll())
        .extracting(LogEntry::getMessage)
        .noneMatch(m -> m.contains("Uncaught"));

    Path shot = BASEDIR.resolve("target/dashboard.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void shouldRevalidateWithTheEtagAndShowNewTotals() throws IOException {
    String summaryKey = "update/glow/download/summary.json";
    driver.get(page("?data=" + bucket.base() + "/update&interval=0.3"));
    waitForCount("total", "1234");

    waitFor(d -> bucket.notModified(summaryKey) >= 2, "the page revalidates with If-None-Match");

    Map<String, Object> newer = downloads(Instant.now());
    newer.put("total", 1300);
    bucket.put(summaryKey, newer);
    waitForCount("total", "1300");
    waitFor(d -> "1,300".equals(text("total")), "total text is 1,300");
    assertThat(state()).isEqualTo("live");

    // a new minute: latest.json names it, the page fetches it and redraws the dots
    String next = "2026-11-24T18:06Z";
    bucket.put(
        "update/glow/download/minutes/" + next + ".json",
        minute(next, 5, List.of(ordered("lat", 48.9, "lon", 2.4, "count", 5))));
    bucket.put(
        "update/glow/download/latest.json", sinkLatest("glow/download", next, 5, Instant.now()));
    waitFor(
        d -> next.equals(d.findElement(By.id("minute")).getDomAttribute("data-minute")),
        "the minute " + next + " is shown");
    assertThat(dots()).hasSize(1);
    assertThat(dots().get(0).getDomAttribute("data-count")).isEqualTo("5");
  }

  @Test
  void shouldReadTheLocalModeS3ServerAcrossOrigins() throws Exception {
    String bucketName = "kindling-public";
    try (EmbeddedS3 s3 = new EmbeddedS3(s3Dir, 0).start(List.of(), List.of(bucketName));
        S3Client client = s3Client(s3)) {
      Instant now = Instant.now();
      String minute = "2026-11-24T18:05Z";
      Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
      objects.put("glow/download/summary.json", downloads(now));
      // latest.json in the spelling the s3-sink writes (PublicAggregates)
      objects.put("glow/download/latest.json", sinkLatest("glow/download", minute, 9, now));
      Map<String, Object> minuteFile =
          minute(minute, 9, List.of(ordered("lat", 52.5, "lon", 13.4, "count", 7)));
      minuteFile.put("location_other", 2);
      objects.put("glow/download/minutes/" + minute + ".json", minuteFile);
      for (Map.Entry<String, Map<String, Object>> e : objects.entrySet()) {
        client.putObject(
            PutObjectRequest.builder()
                .bucket(bucketName)
                .key(e.getKey())
                .contentType("application/json")
                .cacheControl("no-cache")
                .acl(ObjectCannedACL.PUBLIC_READ)
                .build(),
            RequestBody.fromBytes(JSON.writeValueAsBytes(e.getValue())));
      }

      driver.get(page("?data=" + s3.endpoint() + "/" + bucketName + "&interval=0.3"));

      waitForCount("total", "1234");
      assertThat(ranking("top-countries", "data-country")).startsWith("DE=500", "US=350");
      waitFor(d -> dots().size() == 1, "one dot");
      assertThat(text("minute")).contains("9 downloads").contains("2 from places too small");
      // the per-minute chart from latest.json's "minutes", oldest to newest
      assertThat(
              driver.findElements(By.cssSelector("#minutes-chart rect.bar")).stream()
                  .map(
                      e -> e.getDomAttribute("data-minute") + "=" + e.getDomAttribute("data-count"))
                  .collect(Collectors.toList()))
          .containsExactly("2026-11-24T18:03Z=11", "2026-11-24T18:04Z=10", "2026-11-24T18:05Z=9");
      // S3Proxy 4.1 sends its 304 without CORS headers, which the browser treats as a network
      // error; the page must notice, fall back to plain GETs and stay live
      waitFor(
          d -> answers("summary", "ok") + answers("summary", "notModified") >= 3,
          "several polls of summary.json answered");
      assertThat(state()).isEqualTo("live");
      Map<String, Object> newer = downloads(Instant.now());
      newer.put("total", 1240);
      client.putObject(
          PutObjectRequest.builder()
              .bucket(bucketName)
              .key("glow/download/summary.json")
              .contentType("application/json")
              .acl(ObjectCannedACL.PUBLIC_READ)
              .build(),
          RequestBody.fromBytes(JSON.writeValueAsBytes(newer)));
      waitForCount("total", "1240");
      assertThat(state()).isEqualTo("live");
      // falling back happens once, not on every poll
      assertThat(answers("summary", "conditionalFailed")).isLessThanOrEqualTo(1);

      // shares have no files yet: S3 answers 404 and the page says so
      driver.findElement(By.id("doctype-share")).click();
      waitFor(d -> "empty".equals(state()), "status is empty for shares");
    }
  }

  @Test
  void shouldShowTheEmptyStateWhenTheBucketHasNoFiles() {
    driver.get(page("?data=" + bucket.base() + "/empty"));

    waitFor(d -> "empty".equals(state()), "status is empty");
    assertThat(text("status")).containsIgnoringCase("no data yet");
    assertThat(driver.findElement(By.id("total")).getDomAttribute("data-count")).isEqualTo("0");
    assertThat(driver.findElements(By.cssSelector("#top-countries li"))).isEmpty();
    assertThat(dots()).isEmpty();
  }

  @Test
  void shouldShowTheStaleStateWhenTheDataIsOld() {
    driver.get(page("?data=" + bucket.base() + "/stale"));

    waitFor(d -> "stale".equals(state()), "status is stale");
    assertThat(text("status")).containsIgnoringCase("stale");
    // old numbers are still shown, just flagged
    waitForCount("total", "1234");
  }

  @Test
  void shouldShowTheErrorStateWhenTheBucketIsUnreachable() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    driver.get(page("?data=http://127.0.0.1:" + closedPort + "/nowhere"));

    waitFor(d -> "error".equals(state()), "status is error");
  }

  @Test
  void shouldShowTheErrorStateWhenTheBucketDoesNotAnswer() {
    driver.get(page("?data=" + bucket.base() + "/slow&interval=0.3&timeout=1"));

    waitFor(d -> "error".equals(state()), "status is error");
    assertThat(text("status")).contains("no answer in time");
  }

  @Test
  void shouldSwitchBetweenDownloadsAndShares() {
    driver.get(page("?data=" + bucket.base() + "/live"));
    waitForCount("total", "1234");
    assertThat(pressed("doctype-download")).isEqualTo("true");

    driver.findElement(By.id("doctype-share")).click();

    waitForCount("total", "42");
    assertThat(pressed("doctype-share")).isEqualTo("true");
    assertThat(pressed("doctype-download")).isEqualTo("false");
    assertThat(ranking("top-countries", "data-country")).containsExactly("GB=30", "BR=12");
    assertThat(text("total-label")).containsIgnoringCase("shares");
    assertThat(driver.getCurrentUrl()).contains("doctype=glow%2Fshare");
    assertThat(state()).isEqualTo("live");

    driver.findElement(By.id("doctype-download")).click();
    waitForCount("total", "1234");
    assertThat(ranking("top-countries", "data-country")).startsWith("DE=500");
  }

  @Test
  void shouldServeTheDashboardFilesWithTheirContentTypes() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("/", "text/html; charset=utf-8");
    expected.put("/glow.js", "text/javascript; charset=utf-8");
    expected.put("/glow.css", "text/css; charset=utf-8");
    expected.put("/config.js", "text/javascript; charset=utf-8");
    expected.put("/vendor/world-atlas/countries-110m.json", "application/json");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      HttpResponse<String> r = http.send(get(e.getKey()), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).as(e.getKey()).hasValue(e.getValue());
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
    assertThat(http.send(get("/config.js"), HttpResponse.BodyHandlers.ofString()).body())
        .contains(bucket.base() + "/live");
    // nothing outside the dashboard directory, however the path is spelled
    for (String outside : List.of("/%2e%2e/pom.xml", "/..%2fpom.xml", "/missing.js")) {
      assertThat(http.send(get(outside), HttpResponse.BodyHandlers.discarding()).statusCode())
          .as(outside)
          .isEqualTo(404);
    }
  }

  private static HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(page("").replaceAll("/$", "") + path)).build();
  }

  // ---------------------------------------------------------------- fixtures

  private static Map<String, Object> downloads(Instant updatedAt) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("doctype", "glow.download");
    s.put("total", 1234);
    s.put("by_continent", ordered("NA", 400, "EU", 700, "other", 14, "AS", 120, "OC", 0));
    s.put("by_country", ordered("US", 350, "DE", 500, "FR", 150, "other", 64, "JP", 120, "CA", 50));
    s.put("by_subdivision", ordered("US-NY", 100, "US-CA", 200, "DE-BE", 90));
    s.put("updated_at", updatedAt.truncatedTo(ChronoUnit.SECONDS).toString());
    return s;
  }

  private static Map<String, Object> shares(Instant updatedAt) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("doctype", "glow.share");
    s.put("total", 42);
    s.put("by_continent", ordered("EU", 30, "SA", 12));
    s.put("by_country", ordered("BR", 12, "GB", 30));
    s.put("by_subdivision", ordered("GB-ENG", 30));
    s.put("updated_at", updatedAt.truncatedTo(ChronoUnit.SECONDS).toString());
    return s;
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** latest.json as the s3-sink's PublicAggregates spells it: keys relative to the bucket. */
  private static Map<String, Object> sinkLatest(
      String prefix, String minute, long total, Instant updatedAt) {
    String key = prefix + "/minutes/" + minute + ".json";
    Map<String, Object> latest = new LinkedHashMap<>();
    latest.put("doctype", prefix.replace('/', '.'));
    latest.put("latest_minute", minute);
    latest.put("latest", key);
    // newest first, as the sink lists them; two earlier minutes for the per-minute chart
    List<Map<String, Object>> minutes = new ArrayList<>();
    Instant m = Instant.parse(minute.replace("Z", ":00Z"));
    for (int i = 0; i < 3; i++) {
      String name = m.minusSeconds(60L * i).toString().replace(":00Z", "Z");
      minutes.add(
          ordered(
              "minute", name, "key", prefix + "/minutes/" + name + ".json", "total", total + i));
    }
    latest.put("minutes", minutes);
    latest.put("updated_at", updatedAt.truncatedTo(ChronoUnit.SECONDS).toString());
    return latest;
  }

  /** A minute file as the sink writes it. */
  private static Map<String, Object> minute(
      String minute, int total, List<Map<String, Object>> locations) {
    Instant start = Instant.parse(minute.replace("Z", ":00Z"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("doctype", "glow.download");
    m.put("minute", minute);
    m.put("window_start", start.toString());
    m.put("window_end", start.plusSeconds(60).toString());
    m.put("total", total);
    m.put("by_country", ordered("DE", 7, "US", 3, "other", 3));
    m.put("by_location", locations);
    return m;
  }

  // ---------------------------------------------------------------- page helpers

  private static String page(String query) {
    return "http://127.0.0.1:" + dashboard.port() + "/" + query;
  }

  private static long answers(String poller, String kind) {
    Object n =
        driver.executeScript(
            "return window.glow.pollers[arguments[0]].answers[arguments[1]];", poller, kind);
    return n instanceof Number ? ((Number) n).longValue() : -1;
  }

  private static S3Client s3Client(EmbeddedS3 s3) {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)))
        .build();
  }

  private static String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  private static String state() {
    return driver.findElement(By.id("status")).getDomAttribute("data-state");
  }

  private static String pressed(String id) {
    return driver.findElement(By.id(id)).getDomAttribute("aria-pressed");
  }

  private static List<WebElement> dots() {
    return driver.findElements(By.cssSelector("#map-dots circle.dot"));
  }

  private static List<String> ranking(String listId, String keyAttribute) {
    return driver.findElements(By.cssSelector("#" + listId + " li")).stream()
        .map(li -> li.getDomAttribute(keyAttribute) + "=" + li.getDomAttribute("data-count"))
        .collect(Collectors.toList());
  }

  private static void waitForCount(String id, String count) {
    waitFor(
        d -> count.equals(d.findElement(By.id(id)).getDomAttribute("data-count")),
        "#" + id + " data-count is " + count);
  }

  private static void waitFor(Function<WebDriver, Boolean> condition, String what) {
    try {
      new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "timed out waiting until "
              + what
              + "; status="
              + state()
              + " '"
              + text("status")
              + "', total="
              + text("total"),
          e);
    }
  }

  /**
   * A public bucket served over HTTP like S3 with a CORS rule for anonymous GETs: strong ETags, 304
   * for a matching If-None-Match, 404 for missing keys, preflight answered for If-None-Match.
   */
  private static final class FixtureBucket implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> notModified = new ConcurrentHashMap<>();

    FixtureBucket() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::handle);
      // several threads: a deliberately slow answer must not hold up the others
      server.setExecutor(executor);
      server.start();
    }

    String base() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void put(String key, Object json) throws IOException {
      objects.put(key, JSON.writeValueAsBytes(json));
    }

    void putDoctype(String prefix, Map<String, Object> summary, Instant updatedAt)
        throws IOException {
      String minute = "2026-11-24T18:05Z";
      put(prefix + "/summary.json", summary);
      put(prefix + "/latest.json", sinkLatest(prefix, minute, 13, updatedAt));
      put(
          prefix + "/minutes/" + minute + ".json",
          minute(
              minute,
              13,
              List.of(
                  ordered("lat", 52.5, "lon", 13.4, "count", 7),
                  ordered("lat", 37.8, "lon", -122.4, "count", 3),
                  ordered("lat", -33.9, "lon", 151.2, "count", 1),
                  // a place below the privacy floor: counted, but without coordinates
                  ordered("lat", null, "lon", null, "count", 2))));
    }

    int notModified(String key) {
      AtomicInteger n = notModified.get(key);
      return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange ex) throws IOException {
      var h = ex.getResponseHeaders();
      h.set("Access-Control-Allow-Origin", "*");
      h.set("Access-Control-Expose-Headers", "ETag");
      String method = ex.getRequestMethod();
      if ("OPTIONS".equals(method)) {
        h.set("Access-Control-Allow-Methods", "GET, HEAD");
        h.set("Access-Control-Allow-Headers", "If-None-Match");
        h.set("Access-Control-Max-Age", "600");
        respond(ex, 204, null);
        return;
      }
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        respond(ex, 405, null);
        return;
      }
      String key = ex.getRequestURI().getPath().substring(1);
      if (key.startsWith("slow/")) {
        try {
          Thread.sleep(4000); // longer than the page's timeout in the test
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = objects.get(key);
      if (body == null) {
        h.set("Content-Type", "application/xml");
        respond(ex, 404, "<Error><Code>NoSuchKey</Code></Error>".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String etag = "\"" + Integer.toHexString(Arrays.hashCode(body)) + "\"";
      h.set("ETag", etag);
      h.set("Cache-Control", "no-cache");
      if (Objects.equals(etag, ex.getRequestHeaders().getFirst("If-None-Match"))) {
        notModified.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        respond(ex, 304, null);
        return;
      }
      h.set("Content-Type", "application/json");
      respond(ex, 200, "HEAD".equals(method) ? null : body);
    }

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
      ex.sendResponseHeaders(status, body == null ? -1 : body.length);
      if (body != null) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
      ex.close();
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
