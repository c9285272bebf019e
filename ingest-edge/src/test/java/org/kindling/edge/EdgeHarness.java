package org.kindling.edge;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kindling.core.Topics;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.ops.HealthCheck;

/**
 * The edge's handler wired as in production (codec, handler, dispatcher, real spool in a temp
 * directory) around Kafka's {@link MockProducer}, for EmbeddedChannel tests.
 */
final class EdgeHarness implements AutoCloseable {
  static final Instant NOW = Instant.parse("2026-11-24T18:05:00.123456Z");

  final MockProducer<String, byte[]> producer;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Spool spool;
  final Dispatcher dispatcher;
  final EdgeContext context;
  final EdgeInitializer initializer;

  EdgeHarness(Path dir, boolean autoComplete, Map<String, String> overrides) throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put(EdgeConfig.SPOOL_DIR, dir.toString());
    settings.put(EdgeConfig.PRODUCE_TIMEOUT, "300ms");
    // most tests send from one address: no per-client share unless a test asks for one
    settings.put(EdgeConfig.CLIENT_MAX_SHARE, "1");
    settings.putAll(overrides);
    KindlingConfig config = KindlingConfig.of(ConfigDefinitions.discover(), settings);
    Node node = new Node(0, "localhost", 9092);
    Cluster cluster =
        new Cluster(
            "test",
            List.of(node),
            List.of(
                new PartitionInfo(
                    Topics.RAW.name(), 0, node, new Node[] {node}, new Node[] {node})),
            Set.of(),
            Set.of());
    producer =
        new MockProducer<>(
            cluster, autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    EdgeMetrics metrics = new EdgeMetrics(registry);
    spool =
        Spool.open(
            dir,
            config.getSize(EdgeConfig.SPOOL_MAX_BYTES),
            config.getSize(EdgeConfig.SPOOL_SEGMENT_BYTES),
            registry);
    dispatcher =
        new Dispatcher(
            producer,
            spool,
            EdgeService.maxRequestSize(config),
            config.getDuration(EdgeConfig.PRODUCE_TIMEOUT),
            Duration.ofSeconds(1),
            metrics,
            config.getDouble(EdgeConfig.CLIENT_MAX_SHARE));
    HealthCheck kafka =
        new HealthCheck() {
          @Override
          public String name() {
            return "kafka";
          }

          @Override
          public Result check() {
            return dispatcher.kafkaAvailable() ? Result.ok("producing") : Result.failed("down");
          }
        };
    context =
        new EdgeContext(
            config,
            dispatcher,
            spool,
            metrics,
            registry,
            kafka,
            Clock.fixed(NOW, ZoneOffset.UTC),
            "edge-1");
    initializer = new EdgeInitializer(context, (int) config.getSize(EdgeConfig.MAX_HEADER_SIZE));
  }

  /** A connection from {@code peer}. */
  EmbeddedChannel channel(String peer) {
    InetSocketAddress address = new InetSocketAddress(peer, 40_000);
    return new EmbeddedChannel(initializer.codec(), initializer.handler()) {
      @Override
      protected SocketAddress remoteAddress0() {
        return address;
      }
    };
  }

  EmbeddedChannel channel() {
    return channel("203.0.113.7");
  }

  /** Writes raw request bytes. */
  static void write(EmbeddedChannel ch, String text) {
    ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    ch.runPendingTasks();
  }

  static void write(EmbeddedChannel ch, byte[] bytes) {
    ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    ch.runPendingTasks();
  }

  /** Everything the edge wrote so far, as text. */
  static String output(EmbeddedChannel ch) {
    ch.runPendingTasks();
    StringBuilder sb = new StringBuilder();
    for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
      ByteBuf b = (ByteBuf) o;
      sb.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return sb.toString();
  }

  /** Waits for output produced on another thread (the spool writer completes those). */
  static String awaitOutput(EmbeddedChannel ch, Spool spool, long records) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (spool.records() < records && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    // the completion hops to the channel's loop right after the fsync; give it a moment
    Thread.sleep(50);
    return output(ch);
  }

  /** One parsed response. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** The responses in {@code text}, in order. */
  static List<Response> parse(String text) {
    List<Response> out = new java.util.ArrayList<>();
    int p = 0;
    while (p < text.length()) {
      int end = text.indexOf("\r\n\r\n", p);
      if (end < 0) {
        break;
      }
      String[] lines = text.substring(p, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, c).trim().toLowerCase(java.util.Locale.ROOT),
            lines[i].substring(c + 1).trim());
      }
      int len =
          headers.containsKey("content-length")
              ? Integer.parseInt(headers.get("content-length"))
              : 0;
      int bodyStart = end + 4;
      String body = text.substring(bodyStart, Math.min(text.length(), bodyStart + len));
      out.add(new Response(status, headers, body));
      p = bodyStart + len;
    }
    return out;
  }

  static Response single(String text) {
    List<Response> all = parse(text);
    if (all.size() != 1) {
      throw new AssertionError("expected one response, got " + all.size() + ":\n" + text);
    }
    return all.get(0);
  }

  @Override
  public void close() {
    dispatcher.close();
    spool.close();
    registry.close();
  }
}
