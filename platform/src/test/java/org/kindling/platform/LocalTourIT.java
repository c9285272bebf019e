package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kindling.core.Json;
import org.kindling.testkit.Waits;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The README's five-minute tour as a new user takes it: {@code kindling local} on an empty folder,
 * as its own process (the {@code kindling} main on the test class path) whose console is captured;
 * the curl line the banner prints; two simulator runs in a row, the second repeating the first's
 * seed; {@code kindling query --data DIR}, as the banner says; the dashboard in Chromium; Ctrl-C.
 * Then the console must show no ERROR, no stack trace and only warnings that the README lists.
 *
 * <p>Kept short for the suite: 2,000 + 500 submissions, and the sink's idle flush at 3 s so the
 * lake fills seconds after the traffic (the README's figure with the default is about 30 s).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalTourIT {
  private static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
  private static final Path REPO = BASEDIR.getParent();
  private static final Path WORK = BASEDIR.resolve("target/local-tour");
  private static final Path DATA = WORK.resolve("data");
  private static final Path CHROMIUM =
      Path.of(System.getProperty("chrome.binary", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));

  /** Countries with the most internet users (2020), as in the simulator's table. */
  private static final List<String> LARGE_INTERNET_POPULATIONS =
      List.of("CN", "IN", "US", "BR", "ID", "RU", "JP", "MX", "EG", "DE", "NG", "IR");

  private static Process kindling;
  private static final StringBuffer stdout = new StringBuffer();
  private static final StringBuffer stderr = new StringBuffer();
  private static final Map<String, Integer> ports = new HashMap<>();
  private static final Map<String, Long> expected = new TreeMap<>();

  @BeforeAll
  static void start() throws Exception {
    deleteRecursively(WORK);
    Files.createDirectories(WORK);
    for (String key :
        List.of(
            "edge.port", "ops.port", "local.dashboard.port", "local.s3.port", "local.kafka.port")) {
      ports.put(key, freePort());
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Kindling.class.getName());
    cmd.add("local");
    cmd.add("--data");
    cmd.add(DATA.toString());
    ports.forEach(
        (k, v) -> {
          cmd.add("--set");
          cmd.add(k + "=" + v);
        });
    cmd.add("--set");
    cmd.add("sink.idle.flush=3s");
    kindling = new ProcessBuilder(cmd).directory(REPO.toFile()).start();
    pump(kindling.getInputStream(), stdout);
    pump(kindling.getErrorStream(), stderr);
    Waits.until(
        Duration.ofSeconds(180),
        () -> stdout.toString().contains("Stop with Ctrl-C.") || !kindling.isAlive(),
        () -> "kindling local did not get ready:\n" + stdout + stderr);
    assertThat(kindling.isAlive()).as("kindling local exited:\n%s%s", stdout, stderr).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (kindling != null && kindling.isAlive()) {
      kindling.destroyForcibly();
      kindling.waitFor(30, TimeUnit.SECONDS);
    }
    Files.writeString(WORK.resolve("console.txt"), stdout + "\n--- stderr\n" + stderr);
  }

  @Test
  @Order(1)
  void shouldPrintCommandsThatWorkForThisDataFolder() {
    String banner = stdout.toString();
    assertThat(banner)
        .contains("Kindling is ready")
        .contains("./kindling query --data " + DATA + " --tables")
        .contains("./kindling simulate --edge http://localhost:" + ports.get("edge.port"))
        .contains("dashboard   http://localhost:" + ports.get("local.dashboard.port") + "/")
        .contains("log         " + DATA.resolve("logs/kindling.log"));
  }

  @Test
  @Order(2)
  void shouldAcceptTheBannersCurlLine() throws Exception {
    Matcher m =
        Pattern.compile("curl -i -X POST -H 'Content-Type: application/json' -d '([^']*)' (\\S+)")
            .matcher(stdout.toString());
    assertThat(m.find()).as("a curl line in the banner").isTrue();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(m.group(2)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(m.group(1)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    expected.merge("glow_download_v1", 1L, Long::sum);
  }

  @Test
  @Order(3)
  void shouldLandTwoSimulatorRunsInARowExactly() throws Exception {
    String edge = "http://localhost:" + ports.get("edge.port");
    String first = simulate("--edge", edge, "--count", "2000", "--rate", "400");
    Matcher seed = Pattern.compile("--seed (-?\\d+)").matcher(first);
    assertThat(seed.find()).as("the first run prints its seed:\n%s", first).isTrue();
    // The second run repeats the first one's traffic on purpose; it must land all the same.
    simulate("--edge", edge, "--count", "500", "--rate", "400", "--seed", seed.group(1));
    long errors = expected.remove("errors");
    Waits.until(
        Duration.ofSeconds(120),
        () -> {
          Map<String, Long> rows = lakeRows();
          return rows.getOrDefault("errors", 0L) == errors
              && expected.entrySet().stream()
                  .allMatch(e -> rows.getOrDefault(e.getKey(), 0L).equals(e.getValue()));
        },
        () -> "the lake holds " + lakeRows() + ", expected " + expected + " and errors=" + errors);
    Map<String, Long> rows = lakeRows();
    rows.remove("errors");
    assertThat(rows).isEqualTo(expected);
  }

  @Test
  @Order(4)
  void shouldShowAPlausibleWorldOnTheDashboard() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM))
        .as("the tour's dashboard step needs Chromium: apt-get install -y chromium chromium-driver")
        .isTrue();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + WORK.resolve("chromium-profile"),
        "--window-size=1280,860",
        "--disable-background-networking",
        "--no-first-run");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeDriver driver = new ChromeDriver(options);
    try {
      driver.get("http://localhost:" + ports.get("local.dashboard.port") + "/?interval=1");
      long downloads = expected.get("glow_download_v1");
      new WebDriverWait(driver, Duration.ofSeconds(60))
          .withMessage("the dashboard shows every download")
          .until(
              d ->
                  String.valueOf(downloads)
                      .equals(d.findElement(By.id("total")).getDomAttribute("data-count")));
      List<String> top =
          driver.findElements(By.cssSelector("#top-countries li")).stream()
              .map((WebElement li) -> li.getDomAttribute("data-country"))
              .toList();
      Files.write(WORK.resolve("dashboard.png"), driver.getScreenshotAs(OutputType.BYTES));
      // The map looks like the world's internet: its top countries are the large online
      // populations, led by China or India.
      assertThat(top).hasSizeGreaterThanOrEqualTo(5);
      assertThat(LARGE_INTERNET_POPULATIONS).containsAll(top.subList(0, 5));
      assertThat(top.get(0)).isIn("CN", "IN");
    } finally {
      driver.quit();
    }
  }

  @Test
  @Order(5)
  void shouldStopAndShowOnlyWhatAnOperatorNeeds() throws Exception {
    // SIGTERM, as Ctrl-C. Through the handle: Process.destroy() also closes the pipes, and the
    // lines printed while stopping would be lost.
    assertThat(kindling.toHandle().destroy()).isTrue();
    assertThat(kindling.waitFor(90, TimeUnit.SECONDS)).as("kindling local stops").isTrue();
    Waits.until(
        Duration.ofSeconds(5),
        () -> stdout.toString().contains("Kindling stopped."),
        () -> "no 'Kindling stopped.' in\n" + stdout);
    String console = stdout + "\n" + stderr;
    List<String> lines = console.lines().toList();
    assertThat(lines).as(console).noneMatch(l -> l.contains("ERROR"));
    assertThat(lines)
        .as("no stack trace in\n%s", console)
        .noneMatch(l -> l.matches("\\s+at [\\w$.]+\\(.*") || l.startsWith("Caused by:"))
        .noneMatch(l -> l.contains("Exception in thread"));
    List<String> warnings = lines.stream().filter(l -> l.contains(" WARN ")).toList();
    List<String> listed = ReadmeConsoleWarnings.listed(REPO.resolve("README.md"));
    assertThat(warnings).as(console).hasSizeLessThanOrEqualTo(5);
    for (String w : warnings) {
      assertThat(listed).as("the README lists the warning %s", w).anyMatch(w::contains);
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  /** Runs {@code kindling simulate ARGS --summary FILE} here and adds what it expects. */
  private static String simulate(String... args) throws IOException {
    Path summary = Files.createTempFile(WORK, "summary-", ".json");
    List<String> a =
        new ArrayList<>(List.of("simulate", "--quiet", "--summary", summary.toString()));
    a.addAll(List.of(args));
    StringWriter out = new StringWriter();
    CommandLine cl = Kindling.newCommandLine();
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute(a.toArray(String[]::new))).as(out.toString()).isZero();
    JsonNode s = Json.mapper().readTree(summary.toFile());
    assertThat(s.path("accepted").asLong()).as(out.toString()).isEqualTo(s.path("sent").asLong());
    s.path("expected")
        .path("lake_rows")
        .properties()
        .forEach(e -> expected.merge(e.getKey(), e.getValue().asLong(), Long::sum));
    expected.merge("errors", s.path("expected").path("errors").asLong(), Long::sum);
    return out.toString();
  }

  /** {@code kindling query --data DIR --tables --format json}, as the banner prints it. */
  private static Map<String, Long> lakeRows() {
    StringWriter out = new StringWriter();
    CommandLine cl = Kindling.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    Map<String, Long> rows = new TreeMap<>();
    if (cl.execute("query", "--data", DATA.toString(), "--tables", "--format", "json") != 0) {
      return rows; // a file being written; the next poll reads it
    }
    for (String line : out.toString().lines().toList()) {
      try {
        JsonNode n = Json.mapper().readTree(line);
        rows.put(n.path("table").asText(), n.path("rows").asLong());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + line, e);
      }
    }
    return rows;
  }

  private static void pump(InputStream in, StringBuffer into) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  into.append(line).append('\n');
                }
              } catch (IOException e) {
                into.append("(console closed: ").append(e).append(")\n");
              }
            },
            "local-tour-console");
    t.setDaemon(true);
    t.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
