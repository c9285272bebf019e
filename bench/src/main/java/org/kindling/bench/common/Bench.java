package org.kindling.bench.common;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.slf4j.LoggerFactory;

/** Small helpers shared by the stage benchmarks: configuration, clocks, figures. */
public final class Bench {
  private Bench() {}

  /** Warnings and errors only: the benchmarks print their own figures. */
  public static void quietLogs() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    // Kafka's start-up advice (state.dir in /tmp, handler settings) is noise here
    ((Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.ERROR);
  }

  /**
   * The configuration of a stage talking to the local broker: every key at its default except the
   * bootstrap servers, a fresh state directory and {@code overrides}.
   */
  public static KindlingConfig config(String bootstrapServers, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    values.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
    try {
      values.put(
          CoreConfig.STREAMS_STATE_DIR, Files.createTempDirectory("kindling-bench-").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    values.putAll(overrides);
    return KindlingConfig.of(ConfigDefinitions.discover(), values);
  }

  /** An integer system property ({@code -Dname=value}) or {@code def}. */
  public static int intProperty(String name, int def) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? def : Integer.parseInt(v.trim().replace("_", ""));
  }

  /** CPU time of this process so far (every thread, including GC and JIT), in nanoseconds. */
  public static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /**
   * CPU time of the live Java threads whose name starts with {@code prefix} ("" for all), in
   * nanoseconds. The process time minus that of all Java threads is the JVM's own (GC, JIT).
   */
  public static long javaThreadsCpuNanos(String prefix) {
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (var info : t.getThreadInfo(t.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(prefix)) {
        long c = t.getThreadCpuTime(info.getThreadId());
        if (c > 0) {
          sum += c;
        }
      }
    }
    return sum;
  }

  /** CPU time of the calling thread, in nanoseconds. */
  public static long threadCpuNanos() {
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    return t.getCurrentThreadCpuTime();
  }

  public static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** {@code 12,345} style. */
  public static String num(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  public static String num1(double v) {
    return String.format(Locale.ROOT, "%,.1f", v);
  }

  public static String ratio(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  public static String verdict(boolean pass) {
    return pass ? "PASS" : "MISS";
  }

  /** The rounds' values, for the report line. */
  public static String list(List<Double> values) {
    List<String> s = new ArrayList<>();
    for (double v : values) {
      s.add(num(v));
    }
    return String.join(" / ", s);
  }

  /** One line about the machine: cores, load, JVM. */
  public static String machine() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return String.format(
        Locale.ROOT,
        "%d cores, load average %.2f, Java %s, max heap %d MiB",
        os.getAvailableProcessors(),
        os.getSystemLoadAverage(),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  public static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a folder tree, ignoring what cannot be deleted. */
  public static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // best effort: a temporary folder
    }
  }
}
