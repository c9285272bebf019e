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
}
