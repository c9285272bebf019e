package org.kindling.bench.sink;

import static org.kindling.bench.common.Bench.num;
import static org.kindling.bench.common.Bench.num1;
import static org.kindling.bench.common.Bench.ratio;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.parquet.hadoop.ParquetWriter;
import org.kindling.bench.common.Bench;
import org.kindling.bench.common.Corpus;
import org.kindling.bench.common.LocalServers;
import org.kindling.bench.common.Offsets;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.Topics;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.TopicAdmin;
import org.kindling.geo.GeoDatabase;
import org.kindling.geo.LookupGeo;
import org.kindling.geo.ParseUserAgent;
import org.kindling.schemas.SchemaStore;
import org.kindling.schemas.parquet.DocumentLayout;
import org.kindling.schemas.parquet.JsonSchemaMapper;
import org.kindling.sink.S3SinkService;
import org.kindling.sink.SinkConfig;
import org.kindling.sink.parquet.ParquetFiles;
import org.kindling.sink.parquet.TempFileOutputFile;
import org.kindling.validator.ValidationSteps;

/**
 * The s3-sink's lake loop against a bare Parquet writer on the same N {@code ingest.enriched}
 * records (made from the benchmark corpus by the validator's and geo-enricher's own steps):
 *
 * <ul>
 *   <li>bare writer: one thread parses each JSON document, maps it to the doctype's Avro record
 *       ({@link JsonSchemaMapper}, the sink's column layout) and writes it with parquet-avro
 *       ({@link ParquetFiles}: the sink's ZSTD codec, row group and page size) to one local file
 *       per doctype;
 *   <li>s3-sink ({@link S3SinkService}, lake loop only) reading the records pre-loaded into {@code
 *       ingest.enriched} from a local broker and uploading to an S3 server (S3Proxy, in memory);
 *       timed until every record has been accepted and the service has closed, which finishes,
 *       uploads and commits every open file.
 * </ul>
 *
 * Broker and S3 server run in a child JVM, so the process CPU time is the sink's. One warm-up
 * round, then {@code bench.rounds} rounds (bare writer, then sink); medians. Targets: sink
 * records/s at least 0.8 of the bare writer's, and at least 20 MB of input JSON per CPU-second of
 * the sink. System properties: {@code bench.records} (100000), {@code bench.rounds} (3).
 */
public final class SinkBench {
  private SinkBench() {}

  record Rates(double wall, double perCpu) {}

  public static void main(String[] args) throws Exception {
    Bench.quietLogs();
    int n = Bench.intProperty("bench.records", 100_000);
    int rounds = Math.max(1, Bench.intProperty("bench.rounds", 3));
    System.out.println("SinkBench: " + Bench.machine());

    KindlingConfig defaults = Bench.config("localhost:9", Map.of());
    SchemaStore schemas = SchemaStore.bundled();
    List<Corpus.Rec> enriched;
    try (GeoDatabase db = GeoDatabase.openBundled()) {
      enriched =
          Corpus.enriched(
              Corpus.validated(Corpus.raw(n, 44), ValidationSteps.of(defaults, schemas)),
              LookupGeo.fromConfig(defaults, db),
              ParseUserAgent.fromConfig(defaults));
    }
    long inputBytes = Corpus.valueBytes(enriched);
    double mb = inputBytes / 1e6;
    System.out.printf(
        "corpus: %s enriched records, %s bytes of JSON (avg %s)%n",
        num(n), num(inputBytes), num((double) inputBytes / n));
    ParquetFiles parquet =
        new ParquetFiles(
            defaults.getString(SinkConfig.COMPRESSION),
            defaults.getSize(SinkConfig.ROW_GROUP_SIZE),
            defaults.getSize(SinkConfig.PAGE_SIZE));
    BareWriter bare = new BareWriter(schemas, parquet);

    List<Double> bareWall = new ArrayList<>();
    List<Double> bareCpu = new ArrayList<>();
    List<Double> sinkWall = new ArrayList<>();
    List<Double> sinkCpu = new ArrayList<>();
    List<Double> sinkSteadyWall = new ArrayList<>();
    try (LocalServers servers = LocalServers.start(true)) {
      KindlingConfig base = Bench.config(servers.bootstrapServers(), Map.of());
      new TopicAdmin(base).ensureTopics();
      long t0 = System.nanoTime();
      Corpus.load(base, Topics.ENRICHED.name(), enriched);
      System.out.printf(
          "loaded %s records into %s in %.1f s%n",
          num(n), Topics.ENRICHED.name(), (System.nanoTime() - t0) / 1e9);
      try (Admin admin = Admin.create(KafkaDefaults.admin(base))) {
        Offsets offsets = new Offsets(admin);
        Map<TopicPartition, Long> ends = offsets.ends(Topics.ENRICHED.name());
        for (int round = 0; round <= rounds; round++) {
          String label = round == 0 ? "warm-up" : "round " + round;
          Rates b = bare.run(enriched);
          System.out.printf(
              "%s bare writer: %s rec/s wall, %s rec/s per CPU-s, %s MB/s of JSON per CPU-s,"
                  + " %s bytes of Parquet%n",
              label,
              num(b.wall()),
              num(b.perCpu()),
              num1(mb * b.perCpu() / n),
              num(bare.lastBytes));
          double[] s = sink(label, n, mb, servers, offsets, ends, "s3-sink-lake-bench-" + round);
          if (round > 0) {
            bareWall.add(b.wall());
            bareCpu.add(b.perCpu());
            sinkWall.add(s[0]);
            sinkCpu.add(s[1]);
            sinkSteadyWall.add(s[2]);
          }
        }
      }
    }

    double bw = Bench.median(bareWall);
    double bc = Bench.median(bareCpu);
    double sw = Bench.median(sinkWall);
    double sc = Bench.median(sinkCpu);
    double ss = Bench.median(sinkSteadyWall);
    System.out.println();
    System.out.println("SinkBench results (medians of " + rounds + " rounds)");
    System.out.printf(
        "  bare parquet-avro writer  %10s rec/s wall  %8s MB/s JSON wall  %10s rec/s per CPU-s"
            + "  %8s MB/s JSON per CPU-s  (rounds wall: %s)%n",
        num(bw), num1(mb * bw / n), num(bc), num1(mb * bc / n), Bench.list(bareWall));
    System.out.printf(
        "  s3-sink (lake loop)       %10s rec/s wall  %8s MB/s JSON wall  %10s rec/s per CPU-s"
            + "  %8s MB/s JSON per CPU-s  (rounds wall: %s; from first record %s rec/s)%n",
        num(sw), num1(mb * sw / n), num(sc), num1(mb * sc / n), Bench.list(sinkWall), num(ss));
    System.out.printf(
        "  sink / bare = %s wall (%s per CPU-s), target >= 0.8: %s%n",
        ratio(sw / bw), ratio(sc / bc), Bench.verdict(sw / bw >= 0.8));
    System.out.printf(
        "  sink input JSON per core = %s MB/s, target >= 20: %s%n",
        num1(mb * sc / n), Bench.verdict(mb * sc / n >= 20));
  }

  /**
   * One sink run; returns records/s wall, per CPU-second (both from start) and from the first
   * record.
   */
  static double[] sink(
      String label,
      int n,
      double mb,
      LocalServers servers,
      Offsets offsets,
      Map<TopicPartition, Long> ends,
      String group)
      throws Exception {
    Map<String, String> o = new HashMap<>();
    o.put(SinkConfig.ENDPOINT, servers.s3Endpoint());
    o.put(SinkConfig.ACCESS_KEY_ID, servers.s3AccessKey());
    o.put(SinkConfig.SECRET_ACCESS_KEY, servers.s3SecretKey());
    o.put(SinkConfig.ERRORS_ENABLED, "false");
    o.put(SinkConfig.LANDFILL_ENABLED, "false");
    o.put(SinkConfig.PUBLIC_ENABLED, "false");
    o.put("kafka.consumer.group.id", group);
    KindlingConfig config = Bench.config(servers.bootstrapServers(), o);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    S3SinkService sink = new S3SinkService(config, registry);
    long s0 = System.nanoTime();
    long cpu0 = Bench.processCpuNanos();
    long child0 = servers.cpuNanos();
    long java0 = Bench.javaThreadsCpuNanos("");
    sink.start();
    Counter records = registry.find("sink_records").tag("topic", Topics.ENRICHED.name()).counter();
    long first = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
    while (records == null || records.count() < n) {
      if (System.nanoTime() > deadline) {
        sink.close();
        throw new IllegalStateException("the sink did not read " + n + " records");
      }
      if (first == 0 && records != null && records.count() > 0) {
        first = System.nanoTime();
      }
      Thread.sleep(10);
      if (records == null) {
        records = registry.find("sink_records").tag("topic", Topics.ENRICHED.name()).counter();
      }
    }
    long loop = Bench.javaThreadsCpuNanos(S3SinkService.GROUP_LAKE);
    long javaThreads = Bench.javaThreadsCpuNanos("") - java0;
    long vm0 = Bench.processCpuNanos() - cpu0 - javaThreads;
    sink.close(); // finishes, uploads and commits every open file
    long end = System.nanoTime();
    long cpu = Bench.processCpuNanos() - cpu0;
    long child = servers.cpuNanos() - child0;
    if (!offsets.caughtUp(group, ends)) {
      throw new IllegalStateException(group + " did not commit the end of ingest.enriched");
    }
    double files = registry.find("sink_files_uploaded").counter().count();
    double bytes = registry.find("sink_bytes_uploaded").counter().count();
    double secs = (end - s0) / 1e9;
    double[] out = {n / secs, n / (cpu / 1e9), n / ((end - (first == 0 ? s0 : first)) / 1e9)};
    System.out.printf(
        "%s s3-sink: %s records in %.2f s = %s rec/s wall, %s MB/s of JSON; CPU %.2f s = %s rec/s"
            + " per CPU-s, %s MB/s of JSON per CPU-s (%.2f cores busy); broker+S3 CPU %.2f s;"
            + " %s objects, %s bytes uploaded, offsets committed; before the final flush: loop"
            + " thread CPU %.2f s, JVM (GC, JIT) CPU %.2f s%n",
        label,
        num(n),
        secs,
        num(out[0]),
        num1(mb / secs),
        cpu / 1e9,
        num(out[1]),
        num1(mb / (cpu / 1e9)),
        cpu / 1e9 / secs,
        child / 1e9,
        num(files),
        num(bytes),
        loop / 1e9,
        vm0 / 1e9);
    return out;
  }

  /** The sink's Parquet writing without Kafka and S3: JSON in, one local file per doctype. */
  static final class BareWriter {
    private final SchemaStore schemas;
    private final ParquetFiles parquet;
    private final Map<String, DocumentLayout> layouts = new HashMap<>();
    long lastBytes;

    BareWriter(SchemaStore schemas, ParquetFiles parquet) {
      this.schemas = schemas;
      this.parquet = parquet;
    }

    Rates run(List<Corpus.Rec> records) throws Exception {
      Path dir = Files.createTempDirectory("kindling-bench-parquet-");
      Map<String, ParquetWriter<GenericRecord>> writers = new HashMap<>();
      long t0 = System.nanoTime();
      long c0 = Bench.processCpuNanos();
      try {
        for (Corpus.Rec r : records) {
          String ns = r.attributes().get(Attributes.DOCUMENT_NAMESPACE);
          String type = r.attributes().get(Attributes.DOCUMENT_TYPE);
          String version = r.attributes().get(Attributes.DOCUMENT_VERSION);
          String key = ns + "/" + type + "/" + version;
          DocumentLayout layout =
              layouts.computeIfAbsent(
                  key,
                  k ->
                      JsonSchemaMapper.documentLayout(
                          ns + "_" + type + "_v" + version,
                          schemas.resolve(ns, type, version).map(e -> e.schema()).orElse(null)));
          ParquetWriter<GenericRecord> w = writers.get(key);
          if (w == null) {
            w =
                parquet.open(
                    layout.schema(),
                    new TempFileOutputFile(dir.resolve(key.replace('/', '_') + ".parquet")));
            writers.put(key, w);
          }
          JsonNode doc = Json.mapper().readTree(r.value());
          w.write(layout.toRecord(doc));
        }
        for (ParquetWriter<GenericRecord> w : writers.values()) {
          w.close();
        }
        long c = Bench.processCpuNanos() - c0;
        long t = System.nanoTime() - t0;
        try (var files = Files.list(dir)) {
          lastBytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        return new Rates(records.size() / (t / 1e9), records.size() / (c / 1e9));
      } finally {
        Bench.deleteTree(dir);
      }
    }
  }
}
