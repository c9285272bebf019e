package org.kindling.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;

/**
 * A real S3 API server (S3Proxy) in the test JVM on a random port, one per test class: register it
 * as a static field with {@code @RegisterExtension}. The filesystem backend keeps objects as plain
 * files under {@code basedir()/<bucket>/<key>}, which DuckDB reads directly; the in-memory backend
 * keeps nothing. CORS is answered for GET/HEAD from any origin, like the public bucket's rule.
 */
public final class S3ServerExtension implements BeforeAllCallback, AfterAllCallback {
  private static final String ACCESS_KEY = "kindling-test";
  private static final String SECRET_KEY = "kindling-test-secret";

  private final boolean filesystem;
  private Path basedir;
  private BlobStore store;
  private S3Proxy proxy;
  private URI endpoint;
  private S3Client client;

  private S3ServerExtension(boolean filesystem) {
    this.filesystem = filesystem;
  }

  /** Objects in memory. */
  public static S3ServerExtension inMemory() {
    return new S3ServerExtension(false);
  }

  /** Objects as files under a temporary {@link #basedir()}. */
  public static S3ServerExtension filesystem() {
    return new S3ServerExtension(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Starts the server (the extension does this before the test class). */
  public void start() throws Exception {
    if (proxy != null) {
      return;
    }
    Properties storeProps = new Properties();
    if (filesystem) {
      basedir = Files.createTempDirectory("kindling-s3-");
      storeProps.setProperty("jclouds.filesystem.basedir", basedir.toString());
      store = BlobStores.create("filesystem-nio2", storeProps);
    } else {
      store = BlobStores.create("transient-nio2", storeProps);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    endpoint = URI.create("http://127.0.0.1:" + port);
    Properties props = new Properties();
    props.setProperty("s3proxy.endpoint", endpoint.toString());
    props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    props.setProperty("s3proxy.identity", ACCESS_KEY);
    props.setProperty("s3proxy.credential", SECRET_KEY);
    props.setProperty("s3proxy.cors-allow-origins", ".*");
    props.setProperty("s3proxy.cors-allow-methods", "GET HEAD");
    props.setProperty("s3proxy.cors-allow-headers", "If-None-Match If-Modified-Since");
    props.setProperty("s3proxy.cors-exposed-headers", "ETag Last-Modified Cache-Control");
    proxy = S3Proxy.Builder.fromProperties(props).blobStore(store).build();
    proxy.start();
    Waits.until(
        java.time.Duration.ofSeconds(10),
        () -> "STARTED".equals(proxy.getState()),
        () -> "S3 server state " + proxy.getState());
    client =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
  }

  /** Stops the server and deletes the filesystem backend's folder. */
  public void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    if (proxy != null) {
      try {
        proxy.stop();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop the S3 server", e);
      }
      proxy = null;
    }
    if (basedir != null) {
      try (Stream<Path> paths = Files.walk(basedir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      basedir = null;
    }
  }

  /** The server's URL. */
  public URI endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  /** An S3 client for this server (path-style, region us-east-1); closed with the server. */
  public S3Client client() {
    return client;
  }

  /** Creates a bucket when it is missing. */
  public void createBucket(String name) {
    if (!store.containerExists(name)) {
      store.createContainer(name);
    }
  }

  /** Creates a bucket readable without credentials, like the public bucket. */
  public void createPublicBucket(String name) {
    createBucket(name);
    store.setContainerAccess(name, BucketCannedACL.PUBLIC_READ);
  }

  /** The folder holding {@code <bucket>/<key>} files (filesystem backend only). */
  public Path basedir() {
    if (basedir == null) {
      throw new IllegalStateException("basedir() needs S3ServerExtension.filesystem()");
    }
    return basedir;
  }
}
