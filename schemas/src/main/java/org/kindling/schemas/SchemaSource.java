package org.kindling.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a schema folder is, cheaply: its fingerprint (the paths, sizes and modification times of its
 * doctype schemas, plus the checkout's {@code HEAD} when it is in a git work tree), which changes
 * whenever a deploy changes the folder and costs one {@code stat} per schema file; and the git
 * commit of a clean checkout, which names the set.
 *
 * <p>git is asked through the {@code git} command ({@code git rev-parse HEAD}, {@code git status
 * --porcelain}); where git is not installed or the folder is not in a checkout, sets are named by
 * their content hash instead.
 */
public final class SchemaSource {
  private static final long GIT_TIMEOUT_SECONDS = 10;

  private SchemaSource() {}

  /**
   * The fingerprint of the folder {@code dir} (as {@link SchemaStore#fromDirectory} reads it).
   *
   * @throws IOException when the folder cannot be listed
   */
  public static String fingerprint(Path dir) throws IOException {
    Path root = SchemaStore.rootOf(dir);
    SchemaFiles.Scan scan = SchemaFiles.scan(root);
    MessageDigest md = sha256();
    for (SchemaFiles.Candidate c : scan.candidates()) {
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(c.file(), BasicFileAttributes.class);
      } catch (IOException e) {
        continue; // removed while listing: the next check sees the settled folder
      }
      md.update(c.relativePath().getBytes(StandardCharsets.UTF_8));
      md.update(
          (":" + a.size() + ":" + a.lastModifiedTime().toMillis() + "\n")
              .getBytes(StandardCharsets.US_ASCII));
    }
    String head = git(root, "rev-parse", "HEAD");
    if (head != null) {
      md.update(("HEAD " + head).getBytes(StandardCharsets.US_ASCII));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * The commit of the checkout {@code root} is in when its schema files are exactly as committed
   * (no local change, nothing untracked), else null.
   */
  static String cleanCommit(Path root) {
    String head = git(root, "rev-parse", "HEAD");
    if (head == null || !head.matches("[0-9a-f]{40,64}")) {
      return null;
    }
    String status = git(root, "status", "--porcelain", "--untracked-files=normal", "--", ".");
    return status != null && status.isEmpty() ? head : null;
  }

  /** The trimmed output of {@code git -C root args...}, or null when it does not succeed. */
  private static String git(Path root, String... args) {
    // No fsmonitor: a checkout's own config must not make a status call run a program.
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of("git", "-c", "core.fsmonitor=false", "-C", root.toString()));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return null; // no git on this machine
    }
    try {
      p.getOutputStream().close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = p.getInputStream()) {
        in.transferTo(out);
      }
      if (!p.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out.toString(StandardCharsets.UTF_8).trim() : null;
    } catch (IOException e) {
      p.destroyForcibly();
      return null;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
