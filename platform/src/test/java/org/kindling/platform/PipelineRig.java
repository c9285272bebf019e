package org.kindling.platform;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.kindling.platform.local.LocalPlatform;
import org.kindling.platform.simulate.ClientAddresses;
import org.kindling.platform.simulate.Mix;
import org.kindling.platform.simulate.Simulator;
import org.kindling.platform.simulate.Summary;
import org.kindling.platform.simulate.SyntheticTraffic;
import org.kindling.testkit.GeoIpTestData;
import org.kindling.testkit.S3ServerExtension;

/**
 * What the pipeline fault ITs share: the platform's settings on testkit parts, the simulator
 * sending in the background, and the accounting of a run.
 */
final class PipelineRig {
  private PipelineRig() {}

  /**
   * Creates the three buckets on {@code s3} and returns the settings of a platform that uses it and
   * an external broker (the caller adds the broker's settings), on a fixed edge port so that an
   * edge can be restarted where the simulator sends.
   */
  static Map<String, String> settings(Path data, S3ServerExtension s3) throws IOException {
    s3.createBucket("kindling-lake");
    s3.createBucket("kindling-landfill");
    s3.createPublicBucket("kindling-public");
    Map<String, String> o = new HashMap<>();
    o.put("local.data.dir", data.toString());
    o.put("local.kafka.embedded", "false");
    o.put("local.s3.embedded", "false");
    o.put("local.dashboard.enabled", "false");
    o.put("s3.endpoint", s3.endpoint().toString());
    o.put("s3.access.key.id", s3.accessKey());
    o.put("s3.secret.access.key", s3.secretKey());
    o.put("s3.path.style", "true");
    o.put("edge.port", Integer.toString(freePort()));
    o.put("ops.port", "0");
    o.put("edge.produce.timeout", "2s");
    o.put("geo.database", GeoIpTestData.cityDatabase().toString());
    o.put("sink.idle.flush", "2s");
    o.put("sink.public.summary.interval", "1s");
    // minutes close a few seconds after traffic stops, so the tests can compare them to the lake
    o.put("geo.window.grace", "5s");
    o.put("geo.window.idle", "5s");
    return o;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Accounting accounting(LocalPlatform platform, S3ServerExtension s3) {
    return new Accounting(
        platform, s3.basedir().resolve("kindling-lake"), s3.basedir().resolve("kindling-public"));
  }

  /** Mixed simulator traffic, {@code count} submissions at {@code rate} per second. */
  static CompletableFuture<Summary> send(LocalPlatform platform, long seed, int count, double rate)
      throws Exception {
    ClientAddresses clients = ClientAddresses.from(GeoIpTestData.cityDatabase(), seed, 20);
    SyntheticTraffic traffic = new SyntheticTraffic(seed, clients, Mix.parse(Mix.DEFAULT));
    Simulator sim = new Simulator(platform.edgeUrl(), traffic, rate, 64);
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return sim.run(count, null, null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
