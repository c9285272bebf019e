package org.kindling.core.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.kindling.core.Topic;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the ingest topics with the configured layout and waits until every partition is ready.
 *
 * <p>Waiting matters: an idempotent producer writing to a partition whose leader is not yet ready
 * right after creation can lose records (KAFKA-15591), so start-up blocks until every partition
 * answers a {@code listOffsets} request. Broker auto-create is never relied on.
 */
public final class TopicAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

  private static final String NOT_READY = "partitions of ";

  private final KindlingConfig config;

  public TopicAdmin(KindlingConfig config) {
    this.config = config;
  }

  /** The topic settings Kindling creates a topic of the contract with. */
  public NewTopic newTopic(String name, boolean compacted) {
    Map<String, String> configs = new HashMap<>();
    configs.put(
        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
        Integer.toString(config.getInt(CoreConfig.TOPICS_MIN_INSYNC_REPLICAS)));
    // topics.max.message.bytes (see RecordLimits): the broker's default would refuse a maximal
    // submission
    configs.put(
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
        Long.toString(config.getSize(CoreConfig.TOPICS_MAX_MESSAGE_BYTES)));
    if (compacted) {
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    } else {
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
      configs.put(
          TopicConfig.RETENTION_MS_CONFIG,
          Long.toString(config.getDuration(CoreConfig.TOPICS_RETENTION).toMillis()));
    }
    return new NewTopic(
            name,
            config.getInt(CoreConfig.TOPICS_PARTITIONS),
            (short) config.getInt(CoreConfig.TOPICS_REPLICATION_FACTOR))
        .configs(configs);
  }

  /** Creates the five ingest topics when missing and waits until they are ready. */
  public void ensureTopics() {
    List<NewTopic> topics = new ArrayList<>();
    for (Topic<?, ?> t : Topics.ALL) {
      topics.add(newTopic(t.name(), t.compacted()));
    }
    ensure(topics);
  }

  /**
   * Creates the given topics when missing and waits until they are ready. Of an existing topic only
   * a too small {@code max.message.bytes} is changed (raised); everything else is left as it is.
   */
  public void ensure(Collection<NewTopic> topics) {
    Duration timeout = config.getDuration(CoreConfig.TOPICS_READY_TIMEOUT);
    Admin admin = null;
    try {
      admin = Admin.create(KafkaDefaults.admin(config));
      if (config.getBoolean(CoreConfig.TOPICS_CREATE)) {
        Set<String> existing =
            admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
        if (!missing.isEmpty()) {
          try {
            admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              throw e;
            }
          }
        }
        raiseMessageSizeLimits(
            admin, topics.stream().filter(t -> existing.contains(t.name())).toList(), timeout);
      }
      awaitReady(admin, topics.stream().map(NewTopic::name).toList(), timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(NOT_READY)) {
        throw new IllegalStateException(
            e.getMessage() + " at " + config.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS), e);
      }
      throw new IllegalStateException(
          "Kafka at "
              + config.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS)
              + " did not answer within "
              + timeout
              + " ("
              + CoreConfig.TOPICS_READY_TIMEOUT
              + "): check "
              + CoreConfig.KAFKA_BOOTSTRAP_SERVERS
              + " and that the brokers run",
          e);
    } catch (ExecutionException | KafkaException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new IllegalStateException(
            "Kafka at "
                + config.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS)
                + " did not answer within "
                + timeout
                + ": check "
                + CoreConfig.KAFKA_BOOTSTRAP_SERVERS
                + " and that the brokers run",
            e);
      }
      String why = cause.getMessage();
      for (Throwable c = cause.getCause(); c != null; c = c.getCause()) {
        why = c.getMessage(); // Kafka wraps the reason (e.g. an unresolvable host) in a cause
      }
      throw new IllegalStateException(
          "cannot create or find the topics at "
              + config.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS)
              + " ("
              + CoreConfig.KAFKA_BOOTSTRAP_SERVERS
              + "): "
              + why,
          e);
    } finally {
      if (admin != null) {
        // Bounded: calls still pending after a time-out (an unreachable broker) are abandoned
        // rather than waited for until default.api.timeout.ms (60 s) runs out.
        admin.close(Duration.ofSeconds(1));
      }
    }
  }

  /**
   * Raises {@code max.message.bytes} of existing topics that take less than Kindling writes (topics
   * made by an older version or by hand with the broker's 1 MiB default); otherwise a maximal
   * submission would be refused. Other settings of an existing topic are the operator's and are
   * left alone.
   */
  private static void raiseMessageSizeLimits(Admin admin, List<NewTopic> existing, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<ConfigResource> resources = new ArrayList<>();
    Map<String, Long> wanted = new HashMap<>();
    for (NewTopic t : existing) {
      String v = t.configs() == null ? null : t.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      if (v != null) {
        wanted.put(t.name(), Long.parseLong(v));
        resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t.name()));
      }
    }
    if (resources.isEmpty()) {
      return;
    }
    Map<ConfigResource, Config> current =
        admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
    for (Map.Entry<ConfigResource, Config> e : current.entrySet()) {
      ConfigEntry entry = e.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      long want = wanted.get(e.getKey().name());
      if (entry != null && entry.value() != null && Long.parseLong(entry.value()) < want) {
        LOG.warn(
            "topic {} takes records up to {} bytes; raising max.message.bytes to {}",
            e.getKey().name(),
            entry.value(),
            want);
        changes.put(
            e.getKey(),
            List.of(
                new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Long.toString(want)),
                    AlterConfigOp.OpType.SET)));
      }
    }
    if (!changes.isEmpty()) {
      admin.incrementalAlterConfigs(changes).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** How many partitions {@code topic} has (it must exist). */
  public int partitionCount(String topic) {
    Duration timeout = config.getDuration(CoreConfig.TOPICS_READY_TIMEOUT);
    try (Admin admin = Admin.create(KafkaDefaults.admin(config))) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .get(topic)
          .partitions()
          .size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot describe topic "
              + topic
              + " at "
              + config.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS)
              + ": "
              + (e.getCause() == null ? e : e.getCause()),
          e);
    }
  }

  /** Blocks until every partition of the topics has a leader that answers listOffsets. */
  public static void awaitReady(Admin admin, Collection<String> topics, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        Map<String, TopicDescription> descriptions =
            admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        boolean leaders = true;
        for (TopicDescription d : descriptions.values()) {
          for (var p : d.partitions()) {
            leaders &= p.leader() != null && !p.leader().isEmpty();
            request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
          }
        }
        if (leaders) {
          admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new TimeoutException(
        NOT_READY + topics + " not ready after " + timeout + (last == null ? "" : ": " + last));
  }
}
