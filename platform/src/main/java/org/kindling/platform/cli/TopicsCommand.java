package org.kindling.platform.cli;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.kindling.core.Topic;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.TopicAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kindling topics}: create the ingest topics (when missing) and describe them. */
@Command(
    name = "topics",
    description =
        "Create the five ingest topics when missing (with topics.partitions,"
            + " topics.replication.factor, topics.min.insync.replicas), wait until every partition"
            + " has a leader, and describe them.")
public final class TopicsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      description = "Kafka to talk to (sets kafka.bootstrap.servers).")
  String bootstrap;

  @Option(names = "--describe", description = "Only describe; do not create.")
  boolean describeOnly;

  @Override
  public Integer call() throws Exception {
    if (bootstrap != null) {
      config.set(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrap);
    }
    if (describeOnly) {
      config.set(CoreConfig.TOPICS_CREATE, "false");
    }
    KindlingConfig c = config.load();
    new TopicAdmin(c).ensureTopics();
    var out = spec.commandLine().getOut();
    List<String> names = Topics.ALL.stream().map(Topic::name).toList();
    try (Admin admin = Admin.create(KafkaDefaults.admin(c))) {
      Map<String, TopicDescription> d =
          admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      List<ConfigResource> resources =
          names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      out.printf(
          "%-18s %10s %12s %15s %10s %s%n",
          "TOPIC", "PARTITIONS", "REPLICATION", "MIN.INSYNC", "CLEANUP", "RETENTION");
      for (String n : names) {
        TopicDescription td = d.get(n);
        Config tc = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, n));
        int rf =
            td.partitions().stream()
                .map(p -> p.replicas().size())
                .max(Comparator.naturalOrder())
                .orElse(0);
        String retention = tc.get(TopicConfig.RETENTION_MS_CONFIG).value();
        out.printf(
            "%-18s %10d %12d %15s %10s %s%n",
            n,
            td.partitions().size(),
            rf,
            tc.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value(),
            tc.get(TopicConfig.CLEANUP_POLICY_CONFIG).value(),
            humanMillis(retention));
      }
    }
    return 0;
  }

  private static String humanMillis(String ms) {
    try {
      long v = Long.parseLong(ms);
      return v < 0 ? "forever" : Duration.ofMillis(v).toString();
    } catch (NumberFormatException e) {
      return ms;
    }
  }
}
