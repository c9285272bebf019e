package org.kindling.core.config;

import java.util.List;

/** Keys shared by every stage: Kafka connection, topic layout, operations endpoint. */
public final class CoreConfig implements ConfigModule {
  public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
  public static final String KAFKA_PRODUCER_PREFIX = "kafka.producer.";
  public static final String KAFKA_CONSUMER_PREFIX = "kafka.consumer.";
  public static final String KAFKA_STREAMS_PREFIX = "kafka.streams.";
  public static final String KAFKA_ADMIN_PREFIX = "kafka.admin.";
  public static final String TOPICS_PARTITIONS = "topics.partitions";
  public static final String TOPICS_REPLICATION_FACTOR = "topics.replication.factor";
  public static final String TOPICS_MIN_INSYNC_REPLICAS = "topics.min.insync.replicas";
  public static final String TOPICS_RETENTION = "topics.retention";
  public static final String TOPICS_MAX_MESSAGE_BYTES = "topics.max.message.bytes";
  public static final String TOPICS_CREATE = "topics.create";
  public static final String TOPICS_READY_TIMEOUT = "topics.ready.timeout";
  public static final String STREAMS_STATE_DIR = "streams.state.dir";
  public static final String STREAMS_THREADS = "streams.threads";
  public static final String STREAMS_START_TIMEOUT = "streams.start.timeout";
  public static final String OPS_HOST = "ops.host";
  public static final String OPS_PORT = "ops.port";

  @Override
  public String title() {
    return "Kafka, topics and operations (every stage)";
  }

  @Override
  public List<ConfigKey> keys() {
    return List.of(
        ConfigKey.of(
            KAFKA_BOOTSTRAP_SERVERS,
            ConfigType.STRING,
            "localhost:9092",
            "Kafka brokers to connect to, host:port[,host:port...]."),
        ConfigKey.prefix(
            KAFKA_PRODUCER_PREFIX,
            "Any Kafka producer setting, passed through (e.g. kafka.producer.linger.ms)."),
        ConfigKey.prefix(KAFKA_CONSUMER_PREFIX, "Any Kafka consumer setting, passed through."),
        ConfigKey.prefix(KAFKA_STREAMS_PREFIX, "Any Kafka Streams setting, passed through."),
        ConfigKey.prefix(KAFKA_ADMIN_PREFIX, "Any Kafka admin client setting, passed through."),
        ConfigKey.intRange(
            TOPICS_PARTITIONS,
            "4",
            1,
            10_000,
            "Partitions of each ingest topic when Kindling creates it. Partitions bound the"
                + " parallelism of every stage; 4 lets two instances of each stage share the load"
                + " on a small cluster."),
        ConfigKey.intRange(
            TOPICS_REPLICATION_FACTOR,
            "1",
            1,
            32,
            "Replication factor of the ingest topics. 1 suits a single local broker; use 3 in"
                + " production."),
        ConfigKey.intRange(
            TOPICS_MIN_INSYNC_REPLICAS,
            "1",
            1,
            32,
            "min.insync.replicas of the ingest topics; with acks=all a write needs this many"
                + " replicas. Use 2 with replication 3."),
        ConfigKey.positive(
            TOPICS_RETENTION,
            ConfigType.DURATION,
            "7d",
            "Retention of the non-compacted ingest topics: how long a stage may be down and still"
                + " catch up."),
        ConfigKey.positive(
            TOPICS_MAX_MESSAGE_BYTES,
            ConfigType.SIZE,
            "16MiB",
            "Largest record the ingest topics take (their max.message.bytes) and every producer"
                + " sends (max.request.size). It sizes the whole chain: the validator passes"
                + " documents up to 3/4 of it less 64 KiB (so the enriched record and a failure"
                + " record with the document in base64 still fit; larger ones are"
                + " document_too_large), and the edge's body limit must fit too. 16 MiB carries"
                + " the 8 MiB validator.max.decompressed.bytes with room; the broker's own default"
                + " (1 MiB) would refuse a maximal submission."),
        ConfigKey.of(
            TOPICS_CREATE,
            ConfigType.BOOLEAN,
            "true",
            "Create missing topics at start-up (never relies on broker auto-create). Off when"
                + " topics are managed elsewhere."),
        ConfigKey.positive(
            TOPICS_READY_TIMEOUT,
            ConfigType.DURATION,
            "60s",
            "How long start-up waits for every partition of the topics to have a leader."),
        ConfigKey.of(
            STREAMS_STATE_DIR,
            ConfigType.PATH,
            "data/streams",
            "Local state of the Kafka Streams apps (dedup and counter stores); rebuilt from"
                + " changelogs when lost."),
        ConfigKey.intRange(
            STREAMS_THREADS,
            "1",
            1,
            64,
            "Stream threads per Streams app instance; one per core the app may use."),
        ConfigKey.positive(
            STREAMS_START_TIMEOUT,
            ConfigType.DURATION,
            "120s",
            "How long a Streams app may take to reach RUNNING before start-up fails."),
        ConfigKey.of(
            OPS_HOST,
            ConfigType.STRING,
            "0.0.0.0",
            "Interface of the operations endpoint (heartbeat, version, metrics)."),
        ConfigKey.intRange(
            OPS_PORT,
            "8081",
            0,
            65535,
            "Port of the operations endpoint of the Streams apps and the sink; 0 picks a free"
                + " port."));
  }
}
