package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kindling.core.Topic;
import org.kindling.core.Topics;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.KindlingConfig;
import org.kindling.sink.SinkConfig;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * docker-compose.yml cannot be started here (no Docker engine), so this test reads it and checks
 * that it matches the code: every environment variable it gives a Kindling container is a real
 * configuration key with a valid value, every command is a real subcommand, every port is the one
 * the app listens on, the buckets are the sink's, and every mounted file exists.
 */
class DockerComposeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static Map<String, Object> compose;
  private static Map<String, Map<String, Object>> services;
  private static final ConfigDefinitions DEFS = ConfigDefinitions.discover();

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws Exception {
    compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    services = (Map<String, Map<String, Object>>) compose.get("services");
  }

  private static boolean isKindling(Map<String, Object> s) {
    return "kindling:latest".equals(s.get("image"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> env(Map<String, Object> s) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    ((Map<String, Object>) s.getOrDefault("environment", Map.of()))
        .forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> command(Map<String, Object> s) {
    return (List<String>) s.get("command");
  }

  @Test
  void shouldRunEveryStageFromTheKindlingImage() {
    Set<String> commands = new HashSet<>();
    services.forEach(
        (name, s) -> {
          if (isKindling(s)) {
            commands.add(command(s).get(0));
          }
        });
    assertThat(commands)
        .contains("edge", "validator", "geo-enricher", "s3-sink", "topics", "local");
    assertThat(services.keySet())
        .contains("kafka", "kafka-2", "kafka-3", "minio", "buckets", "prometheus", "grafana");
    assertThat(services.keySet().stream().filter(n -> n.startsWith("edge-"))).hasSize(2);
    Set<String> subcommands = new CommandLine(new Kindling()).getSubcommands().keySet();
    assertThat(subcommands).containsAll(commands);
  }

  @Test
  void shouldSetOnlyRealConfigurationKeysWithValidValues() {
    Map<String, String> envToKey = new java.util.HashMap<>();
    for (ConfigKey k : DEFS.keys().values()) {
      envToKey.put(k.envName(), k.name());
    }
    List<String> checked = new ArrayList<>();
    services.forEach(
        (name, s) -> {
          if (!isKindling(s)) {
            return;
          }
          Map<String, String> settings = new java.util.HashMap<>();
          env(s)
              .forEach(
                  (var, value) -> {
                    assertThat(envToKey).as("%s sets %s", name, var).containsKey(var);
                    // ${VAR:-default} takes its default here.
                    String v = value.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1");
                    settings.put(envToKey.get(var), v);
                    checked.add(var);
                  });
          // Loading fails on a bad value, naming the key.
          KindlingConfig.of(DEFS, settings);
        });
    assertThat(checked).contains("KAFKA_BOOTSTRAP_SERVERS", "EDGE_PORT", "S3_ENDPOINT");
  }

  @Test
  void shouldPublishThePortsTheAppsListenOn() {
    for (String edge : List.of("edge-1", "edge-2")) {
      Map<String, Object> s = services.get(edge);
      String port = env(s).get("EDGE_PORT");
      assertThat(String.valueOf(((List<?>) s.get("ports")).get(0))).endsWith(":" + port);
    }
    Map<String, Object> dash = services.get("dashboard");
    assertThat(String.valueOf(((List<?>) dash.get("ports")).get(0)))
        .endsWith(":" + env(dash).get("LOCAL_DASHBOARD_PORT"));
    // Prometheus scrapes every app on ops.port: the edge's HTTP port does not serve /metrics.
    String prometheus = read("deploy/prometheus.yml");
    String opsPort = env(services.get("validator")).get("OPS_PORT");
    assertThat(prometheus).doesNotContain("edge-1:8080", "edge-2:8080");
    for (String app : List.of("edge-1", "edge-2", "validator", "geo-enricher", "s3-sink")) {
      assertThat(prometheus).contains(app + ":" + opsPort);
    }
  }

  @Test
  void shouldCreateTheBucketsTheSinkWrites() {
    String job = String.join(" ", command(services.get("buckets")));
    Map<String, String> env = env(services.get("s3-sink"));
    KindlingConfig defaults = KindlingConfig.of(DEFS, Map.of());
    for (String key :
        List.of(SinkConfig.BUCKET_LAKE, SinkConfig.BUCKET_LANDFILL, SinkConfig.BUCKET_PUBLIC)) {
      String bucket = env.getOrDefault(DEFS.keys().get(key).envName(), defaults.getString(key));
      assertThat(job).contains("kindling/" + bucket);
    }
    assertThat(job).contains("anonymous set download kindling/" + env.get("S3_BUCKET_PUBLIC"));
  }

  @Test
  void shouldCreateTheTopicsTheAppsUse() {
    // The topics job runs `kindling topics`, which creates exactly the catalogue the apps use.
    assertThat(command(services.get("topics"))).first().isEqualTo("topics");
    assertThat(Topics.ALL.stream().map(Topic::name))
        .containsExactly(
            "ingest.raw", "ingest.validated", "ingest.enriched", "ingest.errors", "ingest.counts");
    // Broker auto-creation stays off: the apps never rely on it.
    assertThat(
            ((Map<?, ?>) ((Map<?, ?>) compose.get("x-kafka-env")))
                .get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"))
        .isEqualTo("false");
  }

  @Test
  void shouldMountOnlyFilesThatExist() {
    services.forEach(
        (name, s) -> {
          for (Object v : (List<?>) s.getOrDefault("volumes", List.of())) {
            String spec = String.valueOf(v);
            if (spec.startsWith("./")) {
              String host = spec.substring(2, spec.indexOf(':'));
              assertThat(ROOT.resolve(host)).as("%s mounts %s", name, host).exists();
            }
          }
          Object build = s.get("build");
          if (build instanceof Map<?, ?> b) {
            assertThat(ROOT.resolve(String.valueOf(b.get("dockerfile")))).exists();
          }
        });
    assertThat(ROOT.resolve("deploy/grafana/dashboards/kindling.json")).exists();
  }

  private static String read(String path) {
    try {
      return Files.readString(ROOT.resolve(path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
