package org.kindling.bench.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.KindlingConfig;
import org.kindling.edge.EdgeService;

/**
 * One server under test in its own JVM (so its heap is its own): {@code bare <ioThreads>} or {@code
 * edge <bootstrap> <spoolDir>}. Prints {@code READY <port>} once listening, then answers lines on
 * stdin: {@code reset} (heap peaks and GC counters), {@code stats} (one {@code STATS} line), {@code
 * quit}.
 */
public final class ServerProcess {
  private ServerProcess() {}

  public static void main(String[] args) throws Exception {
    AutoCloseable server;
    int port;
    MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EdgeService edge = null;
    if (args[0].equals("bare")) {
      BareServer bare = new BareServer(0, Integer.parseInt(args[1]));
      server = bare;
      port = bare.port();
    } else {
      edge = new EdgeService(edgeConfig(args[1], args[2]), registry);
      edge.start();
      server = edge;
      port = edge.port();
    }
    System.out.println("READY " + port);
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      switch (line.trim()) {
        case "reset" -> reset();
        case "stats" -> System.out.println(stats(registry, edge));
        case "quit" -> {
          server.close();
          System.out.println("BYE");
          System.out.flush();
          return;
        }
        default -> System.out.println("? " + line);
      }
      System.out.flush();
    }
    server.close();
  }

  /**
   * The edge's real configuration (every default of KindlingConfig) with only what a benchmark must
   * set: a free port, the broker, a spool folder, and a single-broker replication factor.
   */
  static KindlingConfig edgeConfig(String bootstrap, String spoolDir) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("edge.port", "0");
    o.put("edge.spool.dir", spoolDir);
    o.put("kafka.bootstrap.servers", bootstrap);
    o.put("topics.replication.factor", "1");
    o.put("topics.min.insync.replicas", "1");
    return KindlingConfig.of(ConfigDefinitions.discover(), o);
  }

  private static void reset() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    gcBase = gcMillis();
  }

  private static long gcBase;

  private static long gcMillis() {
    long t = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, gc.getCollectionTime());
    }
    return t;
  }

  /**
   * {@code STATS <peak heap bytes> <heap after GC bytes> <GC ms since reset> <produce failures>
   * <spooled records> <acks> <ack wait µs total>}. The peak is the sum of the heap pools' peaks
   * since the last reset, an upper bound of the heap in use at any one time.
   */
  private static String stats(MeterRegistry registry, EdgeService edge) {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    long gc = gcMillis() - gcBase;
    System.gc();
    long after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    Counter failures = registry.find("edge_produce_failures").counter();
    Timer produce = registry.find("edge_produce_latency").timer();
    long spooled = edge == null ? 0 : edge.spool().records();
    return String.format(
        "STATS %d %d %d %d %d %d %d",
        peak,
        after,
        gc,
        failures == null ? 0 : (long) failures.count(),
        spooled,
        produce == null ? 0 : produce.count(),
        produce == null ? 0 : (long) produce.totalTime(TimeUnit.MICROSECONDS));
  }
}
