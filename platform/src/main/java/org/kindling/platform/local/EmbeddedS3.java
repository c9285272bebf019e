package org.kindling.platform.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;

/**
 * An S3 API server (S3Proxy) in the JVM with a filesystem backend, for {@code kindling local}.
 * Objects are plain files under {@code <dir>/<bucket>/<key>}, so DuckDB can read the lake straight
 * from the folder. S3Proxy answers CORS from server-wide settings (it does not implement
 * PutBucketCors), so the public bucket's rule — GET/HEAD from any origin — is set here.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

  /** Access key of the local server (local mode only; never used against real S3). */
  public static final String ACCESS_KEY = "kindling";

  /** Secret key of the local server. */
  public static final String SECRET_KEY = "kindling-local-secret";

  private final Path dir;
  private final int port;
  private S3Proxy proxy;

  public EmbeddedS3(Path dir, int port) {
    this.dir = dir.toAbsolutePath();
    this.port = port == 0 ? EmbeddedKafka.freePort() : port;
  }

  /**
   * Starts the server, creates the buckets that are missing and makes {@code publicBuckets}
   * readable without credentials (the dashboard fetches from there).
   */
  public EmbeddedS3 start(Collection<String> buckets, Collection<String> publicBuckets)
      throws Exception {
    Files.createDirectories(dir);
    Properties store = new Properties();
    store.setProperty("jclouds.filesystem.basedir", dir.toString());
    BlobStore blobStore = BlobStores.create("filesystem-nio2", store);
    Properties props = new Properties();
    props.setProperty("s3proxy.endpoint", endpoint().toString());
    props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    props.setProperty("s3proxy.identity", ACCESS_KEY);
    props.setProperty("s3proxy.credential", SECRET_KEY);
    props.setProperty("s3proxy.cors-allow-origins", ".*");
    props.setProperty("s3proxy.cors-allow-methods", "GET HEAD");
    props.setProperty("s3proxy.cors-allow-headers", "If-None-Match If-Modified-Since");
    props.setProperty("s3proxy.cors-exposed-headers", "ETag Last-Modified Cache-Control");
    proxy = S3Proxy.Builder.fromProperties(props).blobStore(blobStore).build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (!"STARTED".equals(proxy.getState())) {
      throw new IllegalStateException("S3 server did not start: " + proxy.getState());
    }
    for (String b : buckets) {
      if (!blobStore.containerExists(b)) {
        blobStore.createContainer(b);
        LOG.info("created bucket {}", b);
      }
    }
    for (String b : publicBuckets) {
      if (!blobStore.containerExists(b)) {
        blobStore.createContainer(b);
      }
      blobStore.setContainerAccess(b, BucketCannedACL.PUBLIC_READ);
    }
    return this;
  }

  /** The server's URL. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The folder holding {@code <bucket>/<key>} files. */
  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    if (proxy != null) {
      try {
        proxy.stop();
      } catch (Exception e) {
        LOG.warn("error stopping the S3 server", e);
      }
      proxy = null;
    }
  }
}
