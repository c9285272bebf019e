package org.kindling.sink.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Objects as files: {@code <root>/<bucket>/<key>}, the layout S3Proxy's filesystem backend uses, so
 * DuckDB or Athena-style tools can read the lake straight from disk. Puts write a temporary file
 * beside the target and move it into place, so a reader never sees half an object.
 */
public final class FileSystemObjectStore implements ObjectStore {
  private final Path root;

  public FileSystemObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  private Path path(String bucket, String key) {
    Path p = root.resolve(bucket).resolve(key).normalize();
    if (!p.startsWith(root.resolve(bucket))) {
      throw new IllegalArgumentException("key escapes the bucket: " + key);
    }
    return p;
  }

  @Override
  public void put(String bucket, String key, Path file, ObjectMeta meta) throws IOException {
    Path target = path(bucket, key);
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
    try {
      Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void put(String bucket, String key, byte[] content, ObjectMeta meta) throws IOException {
    Path target = path(bucket, key);
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
    try {
      Files.write(tmp, content);
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public Optional<byte[]> get(String bucket, String key) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(path(bucket, key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean exists(String bucket, String key) {
    return Files.isRegularFile(path(bucket, key));
  }

  @Override
  public List<String> list(String bucket, String prefix) throws IOException {
    Path base = root.resolve(bucket);
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> files = Files.walk(base)) {
      files
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(".put-"))
          .map(p -> base.relativize(p).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix))
          .sorted()
          .forEach(keys::add);
    }
    return keys;
  }

  @Override
  public void ensureBucket(String bucket) throws IOException {
    Files.createDirectories(root.resolve(bucket));
  }

  @Override
  public boolean makePublic(String bucket, PublicAccess how) {
    // files have no CORS, policy or ACL; whatever serves them decides
    return how == PublicAccess.NONE;
  }

  @Override
  public void close() {}
}
