package org.kindling.sink;

import java.util.List;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.ConfigModule;
import org.kindling.core.config.ConfigType;

/** Keys of the s3-sink: object storage ({@code s3.}) and the sink's files ({@code sink.}). */
public final class SinkConfig implements ConfigModule {
  public static final String BUCKET_LAKE = "s3.bucket.lake";
  public static final String BUCKET_LANDFILL = "s3.bucket.landfill";
  public static final String BUCKET_PUBLIC = "s3.bucket.public";
  public static final String ENDPOINT = "s3.endpoint";
  public static final String REGION = "s3.region";
  public static final String PATH_STYLE = "s3.path.style";
  public static final String ACCESS_KEY_ID = "s3.access.key.id";
  public static final String SECRET_ACCESS_KEY = "s3.secret.access.key";
  public static final String STORE = "s3.store";
  public static final String FILESYSTEM_DIR = "s3.filesystem.dir";
  public static final String MULTIPART_THRESHOLD = "s3.multipart.threshold";
  public static final String MULTIPART_PART_SIZE = "s3.multipart.part.size";
  public static final String CREATE_BUCKETS = "s3.create.buckets";
  public static final String PUBLIC_ACCESS = "s3.public.access";

  public static final String LAKE_ENABLED = "sink.lake.enabled";
  public static final String ERRORS_ENABLED = "sink.errors.enabled";
  public static final String LANDFILL_ENABLED = "sink.landfill.enabled";
  public static final String PUBLIC_ENABLED = "sink.public.enabled";
  public static final String FILE_MAX_RECORDS = "sink.file.max.records";
  public static final String FILE_MAX_BYTES = "sink.file.max.bytes";
  public static final String FILE_MAX_SPAN = "sink.file.max.span";
  public static final String IDLE_FLUSH = "sink.idle.flush";
  public static final String MAX_OPEN_FILES = "sink.max.open.files";
  public static final String MAX_BUFFERED_BYTES = "sink.max.buffered.bytes";
  public static final String ROW_GROUP_SIZE = "sink.parquet.row.group.size";
  public static final String PAGE_SIZE = "sink.parquet.page.size";
  public static final String COMPRESSION = "sink.parquet.compression";
  public static final String TMP_DIR = "sink.tmp.dir";
  public static final String SCHEMAS_DIR = "sink.schemas.dir";
  public static final String SCHEMAS_CHECK_INTERVAL = "sink.schemas.check.interval";
  public static final String SCHEMAS_GLEAN_FALLBACK = "sink.schemas.glean.fallback";
  public static final String PUBLIC_SUMMARY_INTERVAL = "sink.public.summary.interval";
  public static final String PUBLIC_RECENT_MINUTES = "sink.public.recent.minutes";

  @Override
  public String title() {
    return "Object storage and the s3-sink";
  }

  @Override
  public List<ConfigKey> keys() {
    return List.of(
        ConfigKey.of(
            BUCKET_LAKE,
            ConfigType.STRING,
            "kindling-lake",
            "Private bucket of the Parquet lake (documents and errors)."),
        ConfigKey.of(
            BUCKET_LANDFILL,
            ConfigType.STRING,
            "kindling-landfill",
            "Private bucket of the raw archive: every submission as received, for reprocessing."),
        ConfigKey.of(
            BUCKET_PUBLIC,
            ConfigType.STRING,
            "kindling-public",
            "Bucket of the public aggregate JSON files that the dashboard reads."),
        ConfigKey.of(
            ENDPOINT,
            ConfigType.STRING,
            "",
            "S3 API endpoint (e.g. http://localhost:9000 for MinIO or S3Proxy); empty means AWS."),
        ConfigKey.of(
            REGION, ConfigType.STRING, "us-east-1", "S3 region; us-east-1 is what MinIO expects."),
        ConfigKey.oneOf(
            PATH_STYLE,
            "auto",
            List.of("auto", "true", "false"),
            "Path-style addressing (http://host/bucket/key). auto: on when s3.endpoint is set,"
                + " since local S3 servers rarely resolve bucket host names."),
        ConfigKey.of(
            ACCESS_KEY_ID,
            ConfigType.STRING,
            "",
            "Access key; empty uses the default AWS credentials chain (environment, profile,"
                + " instance role), which is how production should run."),
        ConfigKey.of(
            SECRET_ACCESS_KEY, ConfigType.STRING, "", "Secret key belonging to s3.access.key.id."),
        ConfigKey.oneOf(
            STORE,
            "s3",
            List.of("s3", "filesystem"),
            "s3: write through the S3 API. filesystem: write <s3.filesystem.dir>/<bucket>/<key>"
                + " directly, for machines without an S3 server."),
        ConfigKey.of(
            FILESYSTEM_DIR,
            ConfigType.PATH,
            "data/s3",
            "Root directory of s3.store=filesystem; same layout as S3Proxy's filesystem backend."),
        ConfigKey.positive(
            MULTIPART_THRESHOLD,
            ConfigType.SIZE,
            "16MiB",
            "Files larger than this go up as multipart uploads, so one slow request never"
                + " carries a whole large file."),
        ConfigKey.positive(
            MULTIPART_PART_SIZE,
            ConfigType.SIZE,
            "8MiB",
            "Size of one multipart part (S3's minimum is 5 MiB); one part is in memory at a time."),
        ConfigKey.of(
            CREATE_BUCKETS,
            ConfigType.BOOLEAN,
            "true",
            "Create missing buckets at start-up and give the public bucket its CORS rule and"
                + " public-read policy (see s3.public.access). Off when an operator manages the"
                + " buckets."),
        ConfigKey.oneOf(
            PUBLIC_ACCESS,
            "policy",
            List.of("policy", "object-acl", "none"),
            "How the public bucket is made readable by the dashboard. policy: a CORS rule and a"
                + " public-read bucket policy at start-up (with s3.create.buckets), which is how S3"
                + " and MinIO serve a public bucket. object-acl: no bucket settings; every object"
                + " is written with the public-read canned ACL, for servers without bucket"
                + " policies or CORS rules (S3Proxy takes CORS from its own settings; local mode"
                + " uses this with its embedded server). none: the operator has made the bucket"
                + " public."),
        ConfigKey.of(
            LAKE_ENABLED,
            ConfigType.BOOLEAN,
            "true",
            "Write ingest.enriched to the Parquet lake (consumer group s3-sink-lake)."),
        ConfigKey.of(
            ERRORS_ENABLED,
            ConfigType.BOOLEAN,
            "true",
            "Write ingest.errors to the errors lake (consumer group s3-sink-errors)."),
        ConfigKey.of(
            LANDFILL_ENABLED,
            ConfigType.BOOLEAN,
            "true",
            "Archive ingest.raw in the landfill bucket (consumer group s3-sink-landfill)."),
        ConfigKey.of(
            PUBLIC_ENABLED,
            ConfigType.BOOLEAN,
            "true",
            "Publish ingest.counts as public JSON aggregates (consumer group s3-sink-public)."),
        ConfigKey.positive(
            FILE_MAX_RECORDS,
            ConfigType.LONG,
            "1000000",
            "The open files of one Kafka partition close after this many records; with the two"
                + " keys below it sets the size of the files."),
        ConfigKey.positive(
            FILE_MAX_BYTES,
            ConfigType.SIZE,
            "256MiB",
            "The open files of a partition close after this many bytes of input (record"
                + " values), which bounds the size of every file. 256 MiB of JSON gives Parquet files of a few"
                + " tens of MiB: large enough for query engines, small enough to upload quickly."),
        ConfigKey.positive(
            FILE_MAX_SPAN,
            ConfigType.DURATION,
            "10m",
            "The open files of a partition close before a record whose Kafka timestamp is this much later than"
                + " their first record: a steady trickle still lands within minutes."),
        ConfigKey.positive(
            IDLE_FLUSH,
            ConfigType.DURATION,
            "30s",
            "Close the open files of a partition that received nothing for this long, so data"
                + " lands when traffic stops."),
        ConfigKey.intRange(
            MAX_OPEN_FILES,
            "256",
            1,
            100_000,
            "Open files (writers) per consumer loop; above it the partition holding the largest"
                + " file is flushed. Each open Parquet writer holds a row group in memory."),
        ConfigKey.positive(
            MAX_BUFFERED_BYTES,
            ConfigType.SIZE,
            "256MiB",
            "Bytes buffered in memory by the open writers of one loop; above it the partition"
                + " holding the largest file is flushed. Keep it well under the heap."),
        ConfigKey.positive(
            ROW_GROUP_SIZE,
            ConfigType.SIZE,
            "32MiB",
            "Parquet row group size: the unit a reader skips with statistics; also the memory"
                + " one open writer may buffer."),
        ConfigKey.positive(
            PAGE_SIZE, ConfigType.SIZE, "1MiB", "Parquet page size (the unit of compression)."),
        ConfigKey.oneOf(
            COMPRESSION,
            "zstd",
            List.of("zstd", "snappy", "uncompressed"),
            "Parquet compression; zstd compresses JSON-like data best at a similar speed."),
        ConfigKey.of(
            TMP_DIR,
            ConfigType.STRING,
            "",
            "Where open files are written before upload; empty uses java.io.tmpdir."),
        ConfigKey.of(
            SCHEMAS_DIR,
            ConfigType.PATH,
            null,
            "Directory of JSON schemas in the mozilla-pipeline-schemas layout that give the lake"
                + " its columns (set it to the validator's validator.schemas.dir); unset uses the"
                + " schemas bundled in the schemas jar. A doctype without a schema gets the"
                + " standard columns + additional_properties. Watched for changes"
                + " (sink.schemas.check.interval)."),
        ConfigKey.positive(
            SCHEMAS_CHECK_INTERVAL,
            ConfigType.DURATION,
            "30s",
            "How often sink.schemas.dir is checked for a deploy; a changed folder is loaded whole"
                + " and gives the next files of each doctype their columns (an open file keeps its"
                + " own). The same interval as validator.schemas.check.interval, so validator and"
                + " sink take a deploy at about the same time."),
        ConfigKey.oneOf(
            SCHEMAS_GLEAN_FALLBACK,
            "auto",
            List.of("auto", "true", "false"),
            "Whether a Glean ping of an unknown namespace takes its columns from the Glean"
                + " schemas; set it as validator.schemas.glean.fallback, so that a ping lands with"
                + " the columns of the schema it was validated against. auto: on for the bundled"
                + " set, off for a directory."),
        ConfigKey.positive(
            PUBLIC_SUMMARY_INTERVAL,
            ConfigType.DURATION,
            "5s",
            "How often a changed summary.json is rewritten; the dashboard polls about as often."),
        ConfigKey.intRange(
            PUBLIC_RECENT_MINUTES,
            "60",
            1,
            10_000,
            "How many recent minute files latest.json lists: one hour of history for the"
                + " dashboard's chart."));
  }
}
