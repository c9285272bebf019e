package org.kindling.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.platform.Kindling;
import picocli.CommandLine;

/**
 * Every way a new user's command can fail prints one line that names what to change, and exits
 * non-zero: 2 for a command line or configuration that is wrong, 1 for a command that could not do
 * its work. Never a stack trace (that is for {@code --verbose}).
 */
class CommandFailuresTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Kindling.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Exit code {@code code} and exactly one line on stderr containing every {@code words}. */
  private static void assertOneLine(Run r, int code, String... words) {
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains(words).doesNotContain("\tat ", "Exception:");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  @Test
  void shouldNameABadFlagValue() {
    assertOneLine(run("simulate", "--rate", "abc"), 2, "kindling simulate:", "--rate", "abc");
    assertOneLine(run("simulate", "--rate", "-5"), 2, "--rate must be positive");
    assertOneLine(run("simulate", "--duration", "forever"), 2, "--duration forever", "30s");
    assertOneLine(run("simulate", "--mix", "downloads=x"), 2, "--mix", "downloads=x");
    assertOneLine(run("local", "--without", "kafka"), 2, "unknown stage in --without: kafka");
    assertOneLine(run("local", "--nope"), 2, "kindling local:", "--nope", "--help");
    assertOneLine(run("query", "--lake", dir.toString(), "--format", "xml"), 2, "--format", "xml");
  }

  @Test
  void shouldNameABadConfigurationValue() {
    assertOneLine(
        run("local", "--set", "edge.port=abc", "--data", dir.toString()),
        2,
        "configuration error",
        "edge.port");
  }

  @Test
  void shouldNameADataFolderThatCannotBeWritten() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
    assertOneLine(
        run("local", "--data", file.resolve("data").toString()),
        1,
        "cannot create the data folder",
        file.resolve("data").toString(),
        "--data DIR");
    assertOneLine(
        run("query", "--data", dir.resolve("never-started").toString(), "--tables"),
        1,
        "no lake at",
        "never-started",
        "--data");
  }

  @Test
  void shouldNameAPortInUseAndItsKey() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      Run r =
          run(
              "local",
              "--data",
              dir.toString(),
              "--set",
              "edge.host=127.0.0.1",
              "--set",
              "edge.port=" + port,
              "--set",
              "ops.port=0",
              "--set",
              "local.kafka.port=0",
              "--set",
              "local.s3.port=0",
              "--set",
              "local.dashboard.port=0");
      assertOneLine(r, 1, "port " + port + " (edge.port", "--set edge.port=PORT");
      // Nothing was started: the data folder holds no broker or S3 data.
      assertThat(dir.resolve("kafka")).doesNotExist();
    }
  }

  @Test
  void shouldNameAnUnreachableBroker() throws IOException {
    int port = closedPort();
    Run r =
        run(
            "topics",
            "--bootstrap-server",
            "127.0.0.1:" + port,
            "--set",
            "topics.ready.timeout=2s");
    assertOneLine(
        r, 1, "Kafka at 127.0.0.1:" + port + " did not answer", "kafka.bootstrap.servers");
  }

  @Test
  void shouldNameAnUnreachableEdge() throws IOException {
    int port = closedPort();
    Run r = run("simulate", "--edge", "http://127.0.0.1:" + port, "--count", "1");
    assertOneLine(r, 1, "no edge answers at http://127.0.0.1:" + port, "--edge");
  }
}
