package org.kindling.platform.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.edge.EdgeConfig;
import org.kindling.platform.local.LocalConfig;
import org.kindling.platform.local.LocalPlatform;
import org.kindling.platform.logging.Logging;
import org.kindling.sink.SinkConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kindling local}: the whole platform in one JVM. */
@Command(
    name = "local",
    description =
        "Run the whole platform in one JVM: an embedded Kafka broker and S3 server (data under"
            + " ./data, kept across restarts), the edge, the validator, the geo-enricher, the"
            + " s3-sink and the Glow dashboard. The console shows warnings and errors; everything"
            + " is logged to <data>/logs/kindling.log. Ctrl-C stops it gracefully.")
public final class LocalCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCommand.class);

  /** The edge's default port, which {@code kindling simulate} sends to without --edge. */
  private static final int DEFAULT_EDGE_PORT = 8080;

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
        default ->
            throw new ParameterException(
                spec.commandLine(),
                "unknown stage in --without: "
                    + w
                    + " (one of edge, validator, geo-enricher, s3-sink, dashboard)");
      }
    }
    KindlingConfig c = config.load();
    Path dataDir = c.getPath(LocalConfig.DATA_DIR).toAbsolutePath().normalize();
    requireWritable(dataDir);
    checkPorts(c);
    Path log = dataDir.resolve("logs").resolve("kindling.log");
    Logging.toFile(log);
    warnIfTemporary(dataDir);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Starting Kindling: data in %s, log in %s%n", dataDir, log);
    out.flush();
    LocalPlatform platform = LocalPlatform.start(c);
    double secs = (System.nanoTime() - t0) / 1e9;
    printBanner(out, platform, c, secs);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping Kindling...");
                  out.flush();
                  LOG.info("stopping");
                  platform.close();
                  LOG.info("stopped");
                  out.println("Kindling stopped.");
                  out.flush();
                  stopped.countDown();
                },
                "kindling-local-shutdown"));
    stopped.await();
    return 0;
  }

  /** Creates the data folder and fails with one line when it cannot be written. */
  private static void requireWritable(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new Failures.KindlingFailure(
          "cannot create the data folder "
              + dir
              + " ("
              + Failures.describe(e)
              + "): choose another with --data DIR",
          e);
    }
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new Failures.KindlingFailure(
          "the data folder "
              + dir
              + " is not a folder this user can write to: choose another"
              + " with --data DIR");
    }
  }

  /** One line where Kafka would say it for its state folder only, twice. */
  private static void warnIfTemporary(Path dir) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    if (dir.startsWith(tmp) && !tmp.equals(Path.of("/"))) {
      Logging.reportedTemporaryDataDir();
      LOG.warn(
          "the data folder {} is inside the OS temp folder {}, which the OS may clear: to keep"
              + " Kafka's log, the lake and the Streams state, use --data with another folder",
          dir,
          tmp);
    }
  }

  /** Fails with one line naming the key when a port local mode listens on is taken. */
  private static void checkPorts(KindlingConfig c) {
    if (c.getBoolean(LocalConfig.KAFKA_EMBEDDED)) {
      Ports.requireFree(c, LocalConfig.KAFKA_PORT, "127.0.0.1", "the embedded Kafka broker");
    }
    if (c.getBoolean(LocalConfig.S3_EMBEDDED)) {
      Ports.requireFree(c, LocalConfig.S3_PORT, "127.0.0.1", "the embedded S3 server");
    }
    Ports.requireFree(c, CoreConfig.OPS_PORT, c.getString(CoreConfig.OPS_HOST), "operations");
    if (c.getBoolean(LocalConfig.DASHBOARD_ENABLED)) {
      Ports.requireFree(c, LocalConfig.DASHBOARD_PORT, "127.0.0.1", "the dashboard");
    }
    if (c.getBoolean(LocalConfig.EDGE_ENABLED)) {
      Ports.requireFree(c, EdgeConfig.PORT, c.getString(EdgeConfig.HOST), "the edge");
    }
  }

  /**
   * What runs where, and commands that work for this data folder and these ports as they are
   * (copied from here, they need no flags a person has to work out).
   */
  static void printBanner(
      PrintWriter out, LocalPlatform platform, KindlingConfig c, double startSeconds) {
    out.println();
    out.printf("Kindling is ready (started in %.1f s).%n", startSeconds);
    if (platform.edgeUrl() != null) {
      out.printf("  edge        %s/submit/<namespace>/<type>/<version>/<id>%n", platform.edgeUrl());
    }
    if (platform.dashboardUrl() != null) {
      out.printf("  dashboard   %s%n", platform.dashboardUrl());
    }
    out.printf("  public data %s%n", platform.publicBucket());
    out.printf(
        "  operations  %s/metrics and %s/__heartbeat__ (every stage, in detail)%n",
        platform.opsUrl(), platform.opsUrl());
    if (platform.lakeDir() != null) {
      out.printf("  lake        %s%n", platform.lakeDir());
    }
    out.printf("  kafka       %s%n", platform.config().getString("kafka.bootstrap.servers"));
    out.printf("  log         %s%n", Logging.file());
    if (platform.edgeUrl() != null) {
      out.println();
      out.println("Submit a test ping:");
      out.printf(
          "  curl -i -X POST -H 'Content-Type: application/json' -d"
              + " '{\"product\":\"firefox\",\"version\":\"145.0\",\"os\":\"linux64\",\"locale\":\"en-US\"}'"
              + " %s/submit/glow/download/1/%s%n",
          platform.edgeUrl(), UUID.randomUUID());
      out.printf(
          "Send realistic traffic:  ./kindling simulate%s --rate 200 --duration 1m%n",
          platform.edgeUrl().getPort() == DEFAULT_EDGE_PORT ? "" : " --edge " + platform.edgeUrl());
    }
    if (platform.lakeDir() != null) {
      out.printf("Query the lake:          ./kindling query%s --tables%n", queryFlags(c));
    }
    out.println("Stop with Ctrl-C.");
    out.flush();
  }

  /** The flags that point {@code kindling query} at this run's lake, none for the defaults. */
  static String queryFlags(KindlingConfig c) {
    StringBuilder b = new StringBuilder();
    String dir = c.getString(LocalConfig.DATA_DIR);
    if (!dir.equals(c.definitions().keys().get(LocalConfig.DATA_DIR).defaultValue())) {
      b.append(" --data ").append(shellWord(c.getPath(LocalConfig.DATA_DIR).toAbsolutePath()));
    }
    String bucket = c.getString(SinkConfig.BUCKET_LAKE);
    if (!bucket.equals(c.definitions().keys().get(SinkConfig.BUCKET_LAKE).defaultValue())) {
      b.append(" --set ").append(SinkConfig.BUCKET_LAKE).append('=').append(shellWord(bucket));
    }
    return b.toString();
  }

  private static String shellWord(Object o) {
    String s = o.toString();
    return s.matches("[\\w./:@%+=,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
