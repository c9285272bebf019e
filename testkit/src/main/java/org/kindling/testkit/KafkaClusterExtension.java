package org.kindling.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.TopicAdmin;

/**
 * A real KRaft Kafka cluster in the test JVM, one per test class: register it as a static field
 * with {@code @RegisterExtension}. It wraps Kafka's own test kit (an internal Kafka API, kept to
 * this one class): a single node is both controller and broker; with more brokers a separate
 * controller holds the metadata quorum.
 *
 * <p>Broker auto-creation of topics is off, as in production: tests create topics through {@link
 * #ensureTopics()} or {@link #createTopic}, which wait until every partition has a leader
 * (KAFKA-15591).
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {
  private final int brokers;
  private final Map<String, String> brokerProps = new HashMap<>();
  private KafkaClusterTestKit cluster;

  private KafkaClusterExtension(int brokers) {
    this.brokers = brokers;
  }

  /** One combined controller+broker node. */
  public static KafkaClusterExtension singleBroker() {
    return new KafkaClusterExtension(1);
  }

  /** {@code n} combined nodes (3 for the fault tests: replication 3, min.insync.replicas 2). */
  public static KafkaClusterExtension withBrokers(int n) {
    return new KafkaClusterExtension(n);
  }

  /** Sets a broker property for every node. */
  public KafkaClusterExtension withBrokerProperty(String key, String value) {
    brokerProps.put(key, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  /** Starts the cluster (the extension does this before the test class). */
  public void start() throws Exception {
    if (cluster != null) {
      return;
    }
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            // One node is controller and broker; a larger cluster gets its own controller so that
            // stopping a broker never touches the metadata quorum.
            .setCombined(brokers == 1)
            .setNumBrokerNodes(brokers)
            .setNumControllerNodes(1)
            // The test kit defaults to the newest, possibly unreleased, metadata version.
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .build();
    KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(nodes)
            .setConfigProp("auto.create.topics.enable", "false")
            .setConfigProp("offsets.topic.replication.factor", String.valueOf(brokers))
            .setConfigProp("offsets.topic.num.partitions", "4")
            .setConfigProp("transaction.state.log.replication.factor", String.valueOf(brokers))
            .setConfigProp("transaction.state.log.min.isr", String.valueOf(Math.min(2, brokers)))
            .setConfigProp("transaction.state.log.num.partitions", "4")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
            .setConfigProp("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
    brokerProps.forEach(builder::setConfigProp);
    KafkaClusterTestKit c = builder.build();
    c.format();
    c.startup();
    c.waitForReadyBrokers();
    cluster = c;
  }

  /** Stops the cluster and deletes its data. */
  public void close() throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  /** The brokers' {@code host:port} list. */
  public String bootstrapServers() {
    return cluster().bootstrapServers();
  }

  /** The ids of the broker nodes. */
  public Set<Integer> brokerIds() {
    return cluster().brokers().keySet();
  }

  /** Stops one broker (its controller keeps running); its port stays reserved for the restart. */
  public void stopBroker(int id) {
    var broker = cluster().brokers().get(id);
    broker.shutdown();
    broker.awaitShutdown();
  }

  /** Starts a broker stopped with {@link #stopBroker} again, on the same port and data. */
  public void startBroker(int id) {
    cluster().brokers().get(id).startup();
  }

  /**
   * The Kindling configuration of a stage that talks to this cluster: every key at its default
   * except the bootstrap servers, replication settings that fit the cluster size, short topic
   * readiness timeouts, and {@code overrides}.
   */
  public KindlingConfig config(Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    values.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers());
    values.put(CoreConfig.TOPICS_REPLICATION_FACTOR, String.valueOf(Math.min(3, brokers)));
    values.put(CoreConfig.TOPICS_MIN_INSYNC_REPLICAS, String.valueOf(Math.min(2, brokers)));
    values.putAll(overrides);
    return KindlingConfig.of(ConfigDefinitions.discover(), values);
  }

  /** {@link #config(Map)} without overrides. */
  public KindlingConfig config() {
    return config(Map.of());
  }

  /** Creates the five ingest topics (when missing) and waits until they are ready. */
  public void ensureTopics() {
    new TopicAdmin(config()).ensureTopics();
  }

  /** Creates one topic and waits until every partition has a leader. */
  public void createTopic(String name, int partitions) throws Exception {
    short rf = (short) Math.min(3, brokers);
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, rf)))
          .all()
          .get(30, TimeUnit.SECONDS);
      TopicAdmin.awaitReady(admin, List.of(name), Duration.ofSeconds(30));
    }
  }

  /** An admin client; the caller closes it. */
  public Admin admin() {
    return Admin.create(KafkaDefaults.admin(config()));
  }

  /** A producer with the core defaults (acks=all, idempotent); the caller closes it. */
  public KafkaProducer<byte[], byte[]> producer() {
    Properties p = KafkaDefaults.producer(config(), UniqueNames.of("test-producer"));
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Every committed record of {@code topic}, read from the beginning until no new record has
   * arrived for {@code quiet}.
   */
  public List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, Duration quiet) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
      List<TopicPartition> parts = partitions(consumer, topic);
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long lastNew = System.nanoTime();
      while (System.nanoTime() - lastNew < quiet.toNanos()) {
        var batch = consumer.poll(Duration.ofMillis(100));
        if (!batch.isEmpty()) {
          batch.forEach(out::add);
          lastNew = System.nanoTime();
        }
      }
    }
    return out;
  }

  /**
   * Reads {@code topic} from the beginning until {@code n} records have arrived; fails after {@code
   * timeout} with the count seen.
   */
  public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int n, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
      List<TopicPartition> parts = partitions(consumer, topic);
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < n) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "expected "
                  + n
                  + " records in "
                  + topic
                  + " within "
                  + timeout
                  + ", saw "
                  + out.size());
        }
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  /** The UTF-8 value of a header of a consumed record, or null. */
  public static String header(ConsumerRecord<?, ?> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private KafkaConsumer<byte[], byte[]> reader() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    List<TopicPartition> parts = new ArrayList<>();
    consumer
        .partitionsFor(topic, Duration.ofSeconds(30))
        .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
    if (parts.isEmpty()) {
      throw new AssertionError("topic " + topic + " does not exist");
    }
    return parts;
  }

  private KafkaClusterTestKit cluster() {
    if (cluster == null) {
      throw new IllegalStateException("the Kafka cluster is not running");
    }
    return cluster;
  }
}
