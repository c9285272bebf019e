package org.kindling.edge;

import java.util.List;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.ConfigModule;
import org.kindling.core.config.ConfigType;

/** Configuration keys of the HTTP edge ({@code edge.*}). */
public final class EdgeConfig implements ConfigModule {
  public static final String HOST = "edge.host";
  public static final String PORT = "edge.port";
  public static final String MAX_PAYLOAD_BYTES = "edge.max.payload.bytes";
  public static final String MAX_URI_LENGTH = "edge.max.uri.length";
  public static final String MAX_HEADER_SIZE = "edge.max.header.size";
  public static final String TRUSTED_PROXIES = "edge.trusted.proxies";
  public static final String PROXY_HOPS = "edge.proxy.hops";
  public static final String CORS_ALLOWED_ORIGINS = "edge.cors.allowed.origins";
  public static final String SPOOL_DIR = "edge.spool.dir";
  public static final String SPOOL_MAX_BYTES = "edge.spool.max.bytes";
  public static final String SPOOL_SEGMENT_BYTES = "edge.spool.segment.bytes";
  public static final String SPOOL_DRAIN_INTERVAL = "edge.spool.drain.interval";
  public static final String PRODUCE_TIMEOUT = "edge.produce.timeout";
  public static final String MAX_INFLIGHT_REQUESTS = "edge.max.inflight.requests";
  public static final String MAX_INFLIGHT_BYTES = "edge.max.inflight.bytes";
  public static final String MAX_CONNECTIONS = "edge.max.connections";
  public static final String REQUEST_TIMEOUT = "edge.request.timeout";
  public static final String RETRY_AFTER = "edge.retry.after";
  public static final String SHUTDOWN_TIMEOUT = "edge.shutdown.timeout";
  public static final String IO_THREADS = "edge.io.threads";
  public static final String CLIENT_MAX_SHARE = "edge.client.max.share";
  public static final String OPS_ON_EDGE_PORT = "edge.ops.on.edge.port";

  @Override
  public String title() {
    return "Edge (ingest-edge)";
  }

  @Override
  public List<ConfigKey> keys() {
    return List.of(
        ConfigKey.of(
            HOST,
            ConfigType.STRING,
            "0.0.0.0",
            "Interface the HTTP edge binds; all interfaces, since clients and the load balancer"
                + " reach it from outside."),
        ConfigKey.intRange(
            PORT,
            "8080",
            0,
            65_535,
            "HTTP port for submissions and the load balancer's endpoints (/__lbheartbeat__,"
                + " /__heartbeat__, /__version__); 0 picks a free port (tests). Metrics and the"
                + " heartbeat's details are on ops.port (see edge.ops.on.edge.port)."),
        ConfigKey.positive(
            MAX_PAYLOAD_BYTES,
            ConfigType.SIZE,
            "1MiB",
            "Largest accepted request body; larger ones get 413. Telemetry pings are a few KiB"
                + " and a Kafka record must stay under the producer's 2 MiB request size."),
        ConfigKey.intRange(
            MAX_URI_LENGTH,
            "8192",
            64,
            1_048_576,
            "Longest accepted request URI (path and query); longer ones get 414. The telemetry"
                + " URI form plus a query string fits easily in 8 KiB, as in nginx's default."),
        ConfigKey.positive(
            MAX_HEADER_SIZE,
            ConfigType.SIZE,
            "16KiB",
            "Largest total size of the request headers; larger header blocks get 431. Browsers"
                + " send 1-4 KiB; 16 KiB leaves room for cookies without letting a client make"
                + " the edge buffer thousands of headers."),
        ConfigKey.of(
            TRUSTED_PROXIES,
            ConfigType.LIST,
            "",
            "CIDR blocks (or single addresses) of the load balancers in front of the edge. Only"
                + " when the peer is one of them is X-Forwarded-For consulted for remote_addr;"
                + " empty means the peer address is the client."),
        ConfigKey.intRange(
            PROXY_HOPS,
            "1",
            0,
            32,
            "At most this many trusted proxies are walked back through X-Forwarded-For. One load"
                + " balancer is the common set-up; a deeper chain must be configured explicitly."),
        ConfigKey.of(
            CORS_ALLOWED_ORIGINS,
            ConfigType.LIST,
            "*",
            "Origins allowed to post cross-origin from a browser ('*' = any). Browser SDKs post"
                + " from the site's own origin, so the default admits every site."),
        ConfigKey.of(
            SPOOL_DIR,
            ConfigType.PATH,
            "data/edge-spool",
            "Directory of the local spool that keeps accepted submissions while Kafka is"
                + " unreachable or slow. Must be on a local disk that survives a restart."),
        ConfigKey.positive(
            SPOOL_MAX_BYTES,
            ConfigType.SIZE,
            "1GiB",
            "Cap on the spool's size on disk; beyond it submissions get 507. 1 GiB holds about"
                + " half a million 2 KiB pings: minutes of a full outage at a busy edge."),
        ConfigKey.positive(
            SPOOL_SEGMENT_BYTES,
            ConfigType.SIZE,
            "16MiB",
            "Size at which the spool starts a new segment file. Drained segments are deleted"
                + " whole, so smaller segments free disk sooner; 16 MiB keeps the file count low."),
        ConfigKey.positive(
            SPOOL_DRAIN_INTERVAL,
            ConfigType.DURATION,
            "1s",
            "How often the background task tries to move spooled records into ingest.raw while"
                + " the spool is not empty."),
        ConfigKey.positive(
            PRODUCE_TIMEOUT,
            ConfigType.DURATION,
            "2s",
            "How long a submission waits for the Kafka ack (acks=all) before it is written to"
                + " the spool instead. Short enough that clients do not time out and retry."),
        ConfigKey.intRange(
            MAX_INFLIGHT_REQUESTS,
            "10000",
            1,
            10_000_000,
            "Requests being received or awaiting their ack at once; beyond it the edge answers"
                + " 503 with Retry-After instead of queueing without bound."),
        ConfigKey.positive(
            MAX_INFLIGHT_BYTES,
            ConfigType.SIZE,
            "256MiB",
            "Request body bytes held in memory at once; beyond it 503. Bounds the heap whatever"
                + " the clients do."),
        ConfigKey.intRange(
            MAX_CONNECTIONS,
            "20000",
            1,
            10_000_000,
            "Open client connections at most; further connections are closed at once, so idle"
                + " or slow clients cannot exhaust file descriptors."),
        ConfigKey.positive(
            REQUEST_TIMEOUT,
            ConfigType.DURATION,
            "30s",
            "Time a client has to send a whole request (headers and body), and the keep-alive"
                + " idle limit. A late body gets 408; a client still sending its headers, or idle,"
                + " is disconnected without an answer (slowloris)."),
        ConfigKey.positive(
            RETRY_AFTER,
            ConfigType.DURATION,
            "5s",
            "Retry-After sent with 503 (overload) and 507 (spool full)."),
        ConfigKey.positive(
            SHUTDOWN_TIMEOUT,
            ConfigType.DURATION,
            "30s",
            "On shutdown, how long in-flight submissions and the producer flush may take."),
        ConfigKey.intRange(
            IO_THREADS,
            "0",
            0,
            1024,
            "Netty event loop threads; 0 = twice the number of cores (Netty's default)."),
        new ConfigKey(
            CLIENT_MAX_SHARE,
            ConfigType.DOUBLE,
            "0.1",
            "The part of edge.max.inflight.bytes and of edge.spool.max.bytes that one client"
                + " (one remote_addr) may hold; beyond it its requests get 503 (in flight) or 507"
                + " (spool) while other clients are still served. A tenth lets one busy proxy or"
                + " carrier NAT use a lot without letting a single sender fill either bound.",
            v -> ((Double) v) > 0 && ((Double) v) <= 1,
            "greater than 0 and at most 1",
            false),
        ConfigKey.of(
            OPS_ON_EDGE_PORT,
            ConfigType.BOOLEAN,
            "false",
            "Also serve /metrics and the heartbeat's check details on edge.port. Off: edge.port,"
                + " which faces the internet, answers /__lbheartbeat__, /__version__ and"
                + " /__heartbeat__ with its status code and {\"status\":...} only, as Dockerflow"
                + " expects, and /metrics is not found there: the internal counters and the checks'"
                + " details are on ops.port, which stays private. On: for an edge whose port is"
                + " private too."));
  }
}
