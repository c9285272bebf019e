package org.kindling.platform.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.kindling.core.config.KindlingConfig;
import org.kindling.platform.local.LocalConfig;
import org.kindling.platform.local.LocalPlatform;
import org.kindling.sink.SinkConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kindling local}: the whole platform in one JVM. */
@Command(
    name = "local",
    description =
        "Run the whole platform in one JVM: an embedded Kafka broker and S3 server (data under"
            + " ./data, kept across restarts), the edge, the validator, the geo-enricher, the"
            + " s3-sink and the Glow dashboard. Ctrl-C stops it gracefully.")
public final class LocalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--data", paramLabel = "DIR", description = "Data folder (local.data.dir).")
  Path data;

  @Option(
      names = "--kafka",
      paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster instead of the embedded broker.")
  String kafka;

  @Option(
      names = "--s3",
      paramLabel = "URL",
      description =
          "Use this S3 endpoint (e.g. MinIO) instead of the embedded server; credentials from"
              + " s3.access.key.id/s3.secret.access.key or the AWS default chain.")
  String s3;

  @Option(
      names = "--without",
      split = ",",
      paramLabel = "STAGE",
      description = "Stages not to run: edge, validator, geo-enricher, s3-sink, dashboard.")
  List<String> without = List.of();

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    if (data != null) {
      config.set(LocalConfig.DATA_DIR, data.toString());
    }
    if (kafka != null) {
      config.set(LocalConfig.KAFKA_EMBEDDED, "false");
      config.set("kafka.bootstrap.servers", kafka);
    }
    if (s3 != null) {
      config.set(LocalConfig.S3_EMBEDDED, "false");
      config.set(SinkConfig.ENDPOINT, s3);
    }
    for (String w : without) {
      switch (w.trim().toLowerCase(Locale.ROOT)) {
        case "edge" -> config.set(LocalConfig.EDGE_ENABLED, "false");
        case "validator" -> config.set(LocalConfig.VALIDATOR_ENABLED, "false");
        case "geo-enricher", "geo" -> config.set(LocalConfig.GEO_ENABLED, "false");
        case "s3-sink", "sink" -> config.set(LocalConfig.SINK_ENABLED, "false");
        case "dashboard" -> config.set(LocalConfig.DASHBOARD_ENABLED, "false");
        default -> throw new IllegalArgumentException("unknown stage in --without: " + w);
      }
    }
    KindlingConfig c = config.load();
    LocalPlatform platform = LocalPlatform.start(c);
    double secs = (System.nanoTime() - t0) / 1e9;
    PrintWriter out = spec.commandLine().getOut();
    out.println();
    out.printf("Kindling is ready (started in %.1f s).%n", secs);
    if (platform.edgeUrl() != null) {
      out.printf("  edge        %s/submit/<namespace>/<type>/<version>/<id>%n", platform.edgeUrl());
    }
    if (platform.dashboardUrl() != null) {
      out.printf("  dashboard   %s%n", platform.dashboardUrl());
    }
    out.printf("  public data %s%n", platform.publicBucket());
    out.printf(
        "  metrics     %s/metrics (apps), %s/metrics (edge)%n",
        platform.opsUrl(), platform.edgeUrl() == null ? "-" : platform.edgeUrl());
    out.printf("  health      %s/__heartbeat__%n", platform.opsUrl());
    if (platform.lakeDir() != null) {
      out.printf("  lake        %s  (./kindling query --tables)%n", platform.lakeDir());
    }
    out.printf("  kafka       %s%n", platform.config().getString("kafka.bootstrap.servers"));
    if (platform.edgeUrl() != null) {
      out.println();
      out.println("Submit a test ping:");
      out.printf(
          "  curl -i -X POST -H 'Content-Type: application/json' -d"
              + " '{\"product\":\"firefox\",\"version\":\"145.0\",\"os\":\"linux64\",\"locale\":\"en-US\"}'"
              + " %s/submit/glow/download/1/%s%n",
          platform.edgeUrl(), UUID.randomUUID());
      out.println("Send realistic traffic:  ./kindling simulate --rate 100 --duration 1m");
    }
    out.println("Stop with Ctrl-C.");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  platform.close();
                  stopped.countDown();
                },
                "kindling-local-shutdown"));
    stopped.await();
    return 0;
  }
}
