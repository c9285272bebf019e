package org.kindling.sink.store;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in S3 or any server speaking its API (MinIO, S3Proxy): endpoint override and path-style
 * addressing for those, region, and static credentials or the default provider chain (environment,
 * profile, instance role). Files larger than the multipart threshold go up in parts, so a large
 * Parquet file neither needs one long request nor its whole content in memory.
 */
public final class S3ObjectStore implements ObjectStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

  private final S3Client client;
  private final long multipartThreshold;
  private final long partSize;

  /** Buckets whose objects need a public-read ACL because the store has no bucket policies. */
  private final Set<String> publicByObjectAcl = ConcurrentHashMap.newKeySet();

  public S3ObjectStore(S3Client client, long multipartThreshold, long partSize) {
    if (partSize < 5L << 20) {
      throw new IllegalArgumentException("S3 parts are at least 5 MiB");
    }
    this.client = client;
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
  }

  /**
   * A client for {@code endpoint} (empty: AWS) in {@code region}. Empty keys select the default
   * credentials provider chain.
   */
  public static S3Client client(
      String endpoint, String region, boolean pathStyle, String accessKey, String secretKey) {
    AwsCredentialsProvider credentials =
        accessKey.isEmpty()
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    S3ClientBuilder b =
        S3Client.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .forcePathStyle(pathStyle)
            // S3-compatible servers often lack the newer flexible checksums; send them only
            // where the API requires them.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (!endpoint.isEmpty()) {
      b.endpointOverride(URI.create(endpoint));
    }
    return b.build();
  }

  private PutObjectRequest.Builder putRequest(String bucket, String key, ObjectMeta meta) {
    PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key);
    if (publicByObjectAcl.contains(bucket)) {
      b.acl(ObjectCannedACL.PUBLIC_READ);
    }
    if (meta.contentType() != null) {
      b.contentType(meta.contentType());
    }
    if (meta.cacheControl() != null) {
      b.cacheControl(meta.cacheControl());
    }
    return b;
  }

  @Override
  public void put(String bucket, String key, Path file, ObjectMeta meta) throws IOException {
    long size = Files.size(file);
    try {
      if (size <= multipartThreshold) {
        client.putObject(putRequest(bucket, key, meta).build(), RequestBody.fromFile(file));
      } else {
        multipart(bucket, key, file, size, meta);
      }
    } catch (SdkException e) {
      throw new IOException("cannot put s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  private void multipart(String bucket, String key, Path file, long size, ObjectMeta meta)
      throws IOException {
    CreateMultipartUploadRequest.Builder create =
        CreateMultipartUploadRequest.builder().bucket(bucket).key(key);
    if (meta.contentType() != null) {
      create.contentType(meta.contentType());
    }
    if (meta.cacheControl() != null) {
      create.cacheControl(meta.cacheControl());
    }
    String uploadId = client.createMultipartUpload(create.build()).uploadId();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      List<CompletedPart> parts = new ArrayList<>();
      long offset = 0;
      int number = 1;
      while (offset < size) {
        long len = Math.min(partSize, size - offset);
        // One part in memory at a time (part size, 8 MiB by default): retry-safe, bounded.
        ByteBuffer buf = ByteBuffer.allocate((int) len);
        while (buf.hasRemaining()) {
          if (ch.read(buf, offset + buf.position()) < 0) {
            throw new IOException("file shrank while uploading: " + file);
          }
        }
        int n = number;
        String etag =
            client
                .uploadPart(
                    r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(n),
                    RequestBody.fromBytes(buf.array()))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        offset += len;
        number++;
      }
      client.completeMultipartUpload(
          r ->
              r.bucket(bucket)
                  .key(key)
                  .uploadId(uploadId)
                  .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    } catch (IOException | RuntimeException e) {
      try {
        client.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
      } catch (SdkException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  @Override
  public void put(String bucket, String key, byte[] content, ObjectMeta meta) throws IOException {
    try {
      client.putObject(putRequest(bucket, key, meta).build(), RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw new IOException("cannot put s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> get(String bucket, String key) throws IOException {
    try {
      return Optional.of(client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new IOException("cannot get s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(String bucket, String key) throws IOException {
    try {
      client.headObject(r -> r.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new IOException("cannot head s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("cannot head s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> list(String bucket, String prefix) throws IOException {
    try {
      List<String> keys = new ArrayList<>();
      String token = null;
      do {
        ListObjectsV2Request.Builder req =
            ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
        if (token != null) {
          req.continuationToken(token);
        }
        ListObjectsV2Response resp = client.listObjectsV2(req.build());
        for (S3Object o : resp.contents()) {
          keys.add(o.key());
        }
        token = Boolean.TRUE.equals(resp.isTruncated()) ? resp.nextContinuationToken() : null;
      } while (token != null);
      keys.sort(null);
      return keys;
    } catch (SdkException e) {
      throw new IOException("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void ensureBucket(String bucket) throws IOException {
    try {
      client.headBucket(r -> r.bucket(bucket));
    } catch (NoSuchBucketException e) {
      create(bucket);
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw new IOException("cannot check bucket " + bucket + ": " + e.getMessage(), e);
      }
      create(bucket);
    } catch (SdkException e) {
      throw new IOException("cannot check bucket " + bucket + ": " + e.getMessage(), e);
    }
  }

  private void create(String bucket) throws IOException {
    try {
      client.createBucket(r -> r.bucket(bucket));
      LOG.info("created bucket {}", bucket);
    } catch (BucketAlreadyOwnedByYouException e) {
      // created meanwhile by another instance
    } catch (SdkException e) {
      throw new IOException("cannot create bucket " + bucket + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean makePublic(String bucket, PublicAccess how) throws IOException {
    switch (how) {
      case NONE:
        return true;
      case OBJECT_ACL:
        // Nothing is asked of the bucket: a server without bucket policies or CORS rules
        // (S3Proxy) answers those requests with an error of its own.
        publicByObjectAcl.add(bucket);
        return true;
      default:
        break;
    }
    boolean all = true;
    try {
      client.putBucketCors(
          r ->
              r.bucket(bucket)
                  .corsConfiguration(
                      c ->
                          c.corsRules(
                              CORSRule.builder()
                                  .allowedOrigins("*")
                                  .allowedMethods("GET", "HEAD")
                                  .allowedHeaders("*")
                                  .exposeHeaders("ETag", "Last-Modified", "Cache-Control")
                                  .maxAgeSeconds(3600)
                                  .build())));
    } catch (S3Exception e) {
      all &= tolerate(bucket, "CORS rule", e);
    }
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PublicRead\",\"Effect\":\"Allow\","
            + "\"Principal\":\"*\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::"
            + bucket
            + "/*\"]}]}";
    try {
      client.putBucketPolicy(r -> r.bucket(bucket).policy(policy));
    } catch (S3Exception e) {
      boolean policySet = tolerate(bucket, "public-read policy", e);
      all &= policySet;
      if (!policySet) {
        // A store without bucket policies (S3Proxy) needs a public-read ACL on every object.
        publicByObjectAcl.add(bucket);
        LOG.info("objects in {} are written with the public-read canned ACL instead", bucket);
      }
    }
    return all;
  }

  /** Servers such as S3Proxy answer 501 for bucket settings they do not implement. */
  private static boolean tolerate(String bucket, String what, S3Exception e) throws IOException {
    if (e.statusCode() == 501 || "NotImplemented".equals(errorCode(e))) {
      LOG.info("the S3 server does not implement setting a {} on {}; skipped", what, bucket);
      return false;
    }
    throw new IOException("cannot set the " + what + " of bucket " + bucket, e);
  }

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  @Override
  public void close() {
    client.close();
  }
}
