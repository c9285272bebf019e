package org.kindling.platform.cli;

import java.util.concurrent.Callable;
import org.kindling.core.ops.VersionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kindling version}: version, commit and build time of this build. */
@Command(name = "version", description = "Print the version, commit and build time.")
public final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    VersionInfo v = VersionInfo.current();
    spec.commandLine()
        .getOut()
        .printf("kindling %s (commit %s, built %s)%n", v.version(), v.commit(), v.buildTime());
    return 0;
  }

  /** For {@code kindling --version}. */
  public static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      VersionInfo v = VersionInfo.current();
      return new String[] {"kindling " + v.version() + " (commit " + v.commit() + ")"};
    }
  }
}
