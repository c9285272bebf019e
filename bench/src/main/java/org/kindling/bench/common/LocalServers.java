package org.kindling.bench.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.S3ServerExtension;

/**
 * A single-node KRaft broker and, on request, an S3 server (S3Proxy, in memory) in a child JVM.
 *
 * <p>They run in their own process so that the CPU time of the benchmark process is the CPU time of
 * the stage under test alone; the child's CPU time is reported separately. The child prints one
 * {@code key=value} line per server, then {@code ready}, and exits when its standard input closes
 * (so it never outlives the benchmark).
 */
public final class LocalServers implements AutoCloseable {
  private final Process process;
  private final String bootstrapServers;
  private final String s3Endpoint;
  private final String s3AccessKey;
  private final String s3SecretKey;

  private LocalServers(Process process, List<String> lines) {
    this.process = process;
    this.bootstrapServers = value(lines, "kafka");
    this.s3Endpoint = value(lines, "s3");
    this.s3AccessKey = value(lines, "s3.access");
    this.s3SecretKey = value(lines, "s3.secret");
  }

  /** Starts the child JVM with a broker and, when {@code s3}, an S3 server. */
  public static LocalServers start(boolean s3) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LocalServers.class.getName());
    if (s3) {
      cmd.add("s3");
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null && !line.equals("ready")) {
      lines.add(line);
    }
    if (line == null) {
      p.destroyForcibly();
      throw new IOException("local servers did not start: " + lines);
    }
    return new LocalServers(p, lines);
  }

  private static String value(List<String> lines, String key) {
    for (String l : lines) {
      if (l.startsWith(key + "=")) {
        return l.substring(key.length() + 1);
      }
    }
    return null;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String s3Endpoint() {
    return s3Endpoint;
  }

  public String s3AccessKey() {
    return s3AccessKey;
  }

  public String s3SecretKey() {
    return s3SecretKey;
  }

  /** CPU time the child process has used so far, in nanoseconds (-1 when unknown). */
  public long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L);
  }

  @Override
  public void close() throws IOException {
    process.getOutputStream().close();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The child: {@code LocalServers [s3]}. */
  public static void main(String[] args) throws Exception {
    Bench.quietLogs();
    KafkaClusterExtension kafka = KafkaClusterExtension.singleBroker();
    kafka.start();
    System.out.println("kafka=" + kafka.bootstrapServers());
    S3ServerExtension s3 = null;
    if (args.length > 0 && args[0].equals("s3")) {
      s3 = S3ServerExtension.inMemory();
      s3.start();
      System.out.println("s3=" + s3.endpoint());
      System.out.println("s3.access=" + s3.accessKey());
      System.out.println("s3.secret=" + s3.secretKey());
    }
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // runs until the parent closes our standard input
    }
    if (s3 != null) {
      s3.close();
    }
    kafka.close();
  }
}
