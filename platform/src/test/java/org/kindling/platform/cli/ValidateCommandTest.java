package org.kindling.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.platform.Kindling;
import picocli.CommandLine;

/** {@code kindling validate} on the bundled schemas' examples and on a schema directory. */
class ValidateCommandTest {
  private static final Path EXAMPLES =
      Path.of("..", "schemas", "src", "test", "resources", "examples");

  @TempDir Path dir;

  private record Run(int exit, String out) {}

  private static Run run(String... args) {
    CommandLine cl = Kindling.newCommandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int exit = cl.execute(args);
    return new Run(exit, out.toString());
  }

  private static List<Path> examples(String kind) throws IOException {
    try (Stream<Path> s = Files.walk(EXAMPLES)) {
      return s.filter(p -> p.toString().endsWith("." + kind + ".json")).sorted().toList();
    }
  }

  @Test
  void shouldPassEveryPassExample() throws IOException {
    List<Path> pass = examples("pass");
    assertThat(pass).hasSizeGreaterThanOrEqualTo(10);
    List<String> args = new ArrayList<>(List.of("validate"));
    pass.forEach(p -> args.add(p.toString()));
    Run r = run(args.toArray(String[]::new));
    assertThat(r.out()).contains(pass.size() + " passed, 0 failed").doesNotContain("fail ");
    assertThat(r.exit()).as(r.out()).isZero();
  }

  @Test
  void shouldFailEveryFailExample() throws IOException {
    List<Path> fail = examples("fail");
    assertThat(fail).hasSizeGreaterThanOrEqualTo(10);
    for (Path f : fail) {
      Run r = run("validate", f.toString());
      assertThat(r.exit()).as(r.out()).isEqualTo(1);
      assertThat(r.out()).as(f.toString()).startsWith("fail ").contains("    $");
    }
  }

  @Test
  void shouldUseASchemaDirectoryAndTheUriOrExplicitNames() throws IOException {
    Path schemas = dir.resolve("schemas/acme/click");
    Files.createDirectories(schemas);
    Files.writeString(
        schemas.resolve("click.2.schema.json"),
        "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"object\","
            + "\"required\":[\"button\"]}",
        StandardCharsets.UTF_8);
    Path good = Files.writeString(dir.resolve("good.json"), "{\"button\":\"ok\"}");
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"key\":1}");
    String root = dir.resolve("schemas").toString();

    Run ok =
        run(
            "validate",
            "--schemas",
            root,
            "--uri",
            "/submit/acme/click/2/0b6c4f3e-8a1d-4c2b-9e7f-5a6b7c8d9e01",
            good.toString());
    assertThat(ok.exit()).as(ok.out()).isZero();
    assertThat(ok.out()).startsWith("pass ").contains("(acme/click/click.2)");

    Run ko =
        run(
            "validate",
            "--schemas",
            root,
            "--namespace",
            "acme",
            "--type",
            "click",
            "--version",
            "2",
            good.toString(),
            bad.toString());
    assertThat(ko.exit()).isEqualTo(1);
    assertThat(ko.out()).contains("required property 'button' not found", "1 passed, 1 failed");

    Run unknown = run("validate", good.toString());
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.out()).contains("cannot tell the schema");

    // the bundled set is replaced, not extended
    Run replaced =
        run(
            "validate",
            "--schemas",
            root,
            "--uri",
            "/submit/glow/share/1/0b6c4f3e-8a1d-4c2b-9e7f-5a6b7c8d9e02",
            good.toString());
    assertThat(replaced.out()).contains("no schema for glow/share/share.1");
  }

  private static final Path MOZILLA =
      Path.of("..", "schemas", "src", "test", "resources", "mozilla");

  /** Runs the command with the log captured: what it logged at WARN or above, and the run. */
  private static Run runQuietly(List<String> warnings, String... args) {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    root.addAppender(log);
    try {
      return run(args);
    } finally {
      root.detachAppender(log);
      log.list.stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
          .forEach(e -> warnings.add(e.getFormattedMessage()));
    }
  }

  @Test
  void shouldCheckTheRealSchemaRepositoryWithoutAStackTraceOrAWarning() {
    List<String> warnings = new ArrayList<>();
    Run r = runQuietly(warnings, "validate", "--schemas", MOZILLA.toString());
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out())
        .contains("7 schemas from ", "skipped 4 files that are not doctype schemas")
        .contains("glean/glean/glean-min.1.schema.json", "metadata/raw/raw.1.schema.json")
        .contains("split_config (telemetry/main/main.4)")
        .endsWith("7 schemas compiled, 0 unusable" + System.lineSeparator())
        .doesNotContain("Exception", "\tat ", "WARN");
    assertThat(warnings).isEmpty();
  }

  @Test
  void shouldValidateRealPingsAgainstTheRealSchemas() throws IOException {
    Path gz = dir.resolve("main.json.gz");
    try (var z = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      z.write(Files.readAllBytes(MOZILLA.resolve("pings/telemetry-main.4.json")));
    }
    String id = "9d1a1c1e-4f6b-4c59-9a3e-3a8cbe4a3f2d";
    String[][] cases = {
      {
        "/submit/telemetry/" + id + "/main/Firefox/45.0/beta/20151103030248",
        gz.toString(),
        "telemetry/main/main.4"
      },
      {
        "/submit/telemetry/" + id + "/core/Fennec/59.0/beta/20180220100000",
        MOZILLA.resolve("pings/telemetry-core.10.json").toString(),
        "telemetry/core/core.10"
      },
      {
        "/submit/org-mozilla-fenix/baseline/1/" + id,
        MOZILLA.resolve("pings/org-mozilla-fenix-baseline.1.json").toString(),
        "org-mozilla-fenix/baseline/baseline.1"
      },
    };
    for (String[] c : cases) {
      List<String> warnings = new ArrayList<>();
      Run r =
          runQuietly(warnings, "validate", "--schemas", MOZILLA.toString(), "--uri", c[0], c[1]);
      assertThat(r.exit()).as(r.out()).isZero();
      assertThat(r.out())
          .startsWith("pass ")
          .contains("(" + c[2] + ")")
          .contains("1 passed, 0 failed");
      assertThat(warnings).isEmpty();
    }
    // an application the repository does not know: schema_not_found, exit 1
    Run unknown =
        run(
            "validate",
            "--schemas",
            MOZILLA.toString(),
            "--uri",
            "/submit/org-mozilla-focus/baseline/1/" + id,
            MOZILLA.resolve("pings/org-mozilla-fenix-baseline.1.json").toString());
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.out()).contains("no schema for org-mozilla-focus/baseline/baseline.1");
  }

  @Test
  void shouldRefuseABrokenSetInOneLine() throws IOException {
    Path broken = dir.resolve("broken/acme/click");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("click.1.schema.json"), "{\"type\":");
    Run r = run("validate", "--schemas", dir.resolve("broken").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out().strip())
        .startsWith("kindling validate: schemas not usable: 1 of 1 schema files in ")
        .contains("acme/click/click.1.schema.json: not JSON")
        .doesNotContain("\n", "Exception");
    Run missing = run("validate", "--schemas", dir.resolve("nowhere").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.out().strip())
        .startsWith("kindling validate: schemas not usable: not a schema directory");
  }
}
