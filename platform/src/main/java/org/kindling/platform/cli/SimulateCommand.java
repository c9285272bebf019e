package org.kindling.platform.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.kindling.core.Json;
import org.kindling.core.config.ConfigType;
import org.kindling.geo.GeoDatabase;
import org.kindling.platform.simulate.AccessLogWriter;
import org.kindling.platform.simulate.ClientAddresses;
import org.kindling.platform.simulate.Mix;
import org.kindling.platform.simulate.Simulator;
import org.kindling.platform.simulate.Summary;
import org.kindling.platform.simulate.SyntheticTraffic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kindling simulate}: realistic open-loop traffic against an edge. */
@Command(
    name = "simulate",
    description =
        "Send realistic open-loop traffic to an edge: Glow downloads and shares from clients in"
            + " ~200 countries, weighted by each country's internet users and its cities'"
            + " populations, Firefox telemetry pings (some gzip), Glean"
            + " pings, service events, invalid submissions and duplicates; then print what was"
            + " sent by kind and status and what should land downstream.")
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--edge",
      paramLabel = "URL",
      defaultValue = "http://localhost:8080",
      description = "The edge's base URL (default: ${DEFAULT-VALUE}).")
  URI edge;

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "200",
      description = "Submissions started per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Send exactly N submissions (default: 1000 when --duration is not given).")
  Long count;

  @Option(
      names = "--duration",
      paramLabel = "D",
      description = "Send for this long, e.g. 30s or 5m.")
  String duration;

  @Option(
      names = "--mix",
      paramLabel = "KIND=WEIGHT,...",
      defaultValue = Mix.DEFAULT,
      description =
          "Share of each kind: downloads, shares, telemetry, glean, service, invalid, duplicates"
              + " (default: ${DEFAULT-VALUE}).")
  String mix;

  @Option(
      names = "--geo-database",
      paramLabel = "FILE",
      description =
          "GeoIP2/GeoLite2 City database to pick client addresses from (default: the bundled"
              + " GeoLite2 City database, as the geo-enricher uses).")
  Path geoDatabase;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Random seed of the traffic's shape: kinds, clients, payloads and their order (default: a"
              + " new one every run, printed, so that a run can be repeated). Document ids are new"
              + " in every run, so a repeated run lands again instead of being dropped as"
              + " duplicates.")
  Long seed;

  @Option(
      names = "--max-in-flight",
      defaultValue = "256",
      description = "Requests in flight at most (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "Also write the summary as JSON to FILE.")
  Path summaryFile;

  @Option(names = "--quiet", description = "No progress line.")
  boolean quiet;

  @Option(
      names = "--access-log",
      paramLabel = "FILE",
      description =
          "Instead of sending to an edge, append a download server's access log (combined"
              + " format: downloads, page views, bots) to FILE at --rate lines per second, for"
              + " `kindling logs FILE`.")
  Path accessLog;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (rate <= 0) {
      throw new ParameterException(spec.commandLine(), "--rate must be positive, not " + rate);
    }
    if (count != null && count <= 0) {
      throw new ParameterException(spec.commandLine(), "--count must be positive, not " + count);
    }
    if (maxInFlight <= 0) {
      throw new ParameterException(
          spec.commandLine(), "--max-in-flight must be positive, not " + maxInFlight);
    }
    Duration d;
    try {
      d = duration == null ? null : (Duration) ConfigType.DURATION.parse(duration);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--duration " + duration + ": " + e.getMessage(), e);
    }
    Mix m;
    try {
      m = Mix.parse(mix);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--mix: " + e.getMessage(), e);
    }
    long n = count != null ? count : (d == null ? 1000 : 0);
    Path db = geoDatabase != null ? geoDatabase : GeoDatabase.bundledFile();
    if (!Files.isReadable(db)) {
      throw new ParameterException(
          spec.commandLine(), "--geo-database " + db + " is not a readable file");
    }
    requireEdge(edge);
    long s = seed != null ? seed : new SecureRandom().nextLong();
    ClientAddresses addresses = ClientAddresses.from(db, s, 50);
    if (accessLog != null) {
      long[] written =
          new AccessLogWriter(s, addresses)
              .append(accessLog, rate, n, d, quiet ? null : System.err);
      out.printf(
          "wrote %d lines to %s, %d of them downloads that `kindling logs` sends as glow/download%n",
          written[0], accessLog, written[1]);
      return written[0] == 0 ? 1 : 0;
    }
    SyntheticTraffic traffic = new SyntheticTraffic(s, addresses, m);
    out.printf(
        "simulating against %s: %s at %.0f/s, clients in %d countries, --seed %d%n",
        edge,
        n > 0 ? n + " submissions" : "for " + duration,
        rate,
        addresses.countries().size(),
        s);
    out.flush();
    Summary summary =
        new Simulator(edge, traffic, rate, maxInFlight).run(n, d, quiet ? null : System.err);
    summary.print(out);
    if (summaryFile != null) {
      Files.writeString(
          summaryFile,
          Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary.toJson()));
    }
    return summary.sent() == 0 ? 1 : 0;
  }

  /** Fails with one line when nothing answers at the edge's address. */
  private static void requireEdge(URI edge) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      http.send(
          HttpRequest.newBuilder(edge.resolve("/__lbheartbeat__"))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException | IllegalArgumentException e) {
      throw new Failures.KindlingFailure(
          "no edge answers at "
              + edge
              + " ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + "): start one with `kindling local`, or point --edge at it",
          e);
    }
  }
}
