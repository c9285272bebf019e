package org.kindling.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 API server through the AWS SDK v2: put/get/list and a 20 MB multipart upload. */
class S3ServerIT {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.filesystem();

  @Test
  void shouldPutGetAndList() throws Exception {
    S3.createBucket("roundtrip");
    S3Client s3 = S3.client();
    for (int n = 0; n < 3; n++) {
      int i = n;
      s3.putObject(
          b ->
              b.bucket("roundtrip")
                  .key("a/b/object-" + i + ".json")
                  .contentType("application/json"),
          RequestBody.fromString("{\"i\":" + i + "}"));
    }
    assertThat(
            s3.getObjectAsBytes(b -> b.bucket("roundtrip").key("a/b/object-1.json"))
                .asString(StandardCharsets.UTF_8))
        .isEqualTo("{\"i\":1}");
    List<String> keys =
        s3.listObjectsV2(b -> b.bucket("roundtrip").prefix("a/")).contents().stream()
            .map(S3Object::key)
            .toList();
    assertThat(keys).containsExactly("a/b/object-0.json", "a/b/object-1.json", "a/b/object-2.json");
    // The filesystem backend keeps objects as plain files (what DuckDB reads).
    assertThat(Files.readString(S3.basedir().resolve("roundtrip/a/b/object-2.json")))
        .isEqualTo("{\"i\":2}");
  }

  @Test
  void shouldCompleteATwentyMegabyteMultipartUpload() {
    S3.createBucket("multipart");
    S3Client s3 = S3.client();
    byte[] data = new byte[20 * 1024 * 1024];
    new Random(42).nextBytes(data);
    String id = s3.createMultipartUpload(b -> b.bucket("multipart").key("big.bin")).uploadId();
    int partSize = 5 * 1024 * 1024;
    List<CompletedPart> parts = new ArrayList<>();
    for (int p = 0, off = 0; off < data.length; p++, off += partSize) {
      int len = Math.min(partSize, data.length - off);
      int partNumber = p + 1;
      byte[] chunk = java.util.Arrays.copyOfRange(data, off, off + len);
      String etag =
          s3.uploadPart(
                  b -> b.bucket("multipart").key("big.bin").uploadId(id).partNumber(partNumber),
                  RequestBody.fromBytes(chunk))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
    }
    s3.completeMultipartUpload(
        b ->
            b.bucket("multipart")
                .key("big.bin")
                .uploadId(id)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    byte[] back = s3.getObjectAsBytes(b -> b.bucket("multipart").key("big.bin")).asByteArray();
    assertThat(back).isEqualTo(data);
  }
}
