package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every subcommand answers {@code --help} with its usage and exit code 0. */
class KindlingCommandTest {
  @Test
  void shouldShowTheUsageOfEverySubcommand() {
    CommandLine root = Kindling.newCommandLine();
    assertThat(root.getSubcommands()).hasSizeGreaterThan(10);
    for (String name : root.getSubcommands().keySet()) {
      if (name.equals("help")) {
        continue;
      }
      CommandLine cl = Kindling.newCommandLine();
      StringWriter out = new StringWriter();
      cl.setOut(new PrintWriter(out));
      cl.setErr(new PrintWriter(new StringWriter()));
      assertThat(cl.execute(name, "--help")).as(name + " --help").isZero();
      assertThat(out.toString()).as(name).startsWith("Usage: kindling " + name);
    }
  }
}
