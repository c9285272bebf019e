package org.kindling.platform.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The GeoLite2 City database of November 2019 (CC BY-SA 4.0, by MaxMind; see NOTICE), bundled in
 * the {@code org.elasticsearch:geolite2-databases} jar, unpacked once into a cache folder so it can
 * be memory-mapped.
 */
public final class GeoDatabase {
  private static final String RESOURCE = "/GeoLite2-City.mmdb";

  private GeoDatabase() {}

  /** The unpacked database file. */
  public static synchronized Path bundledGeoLite2City() throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "kindling-geolite2-20191119");
    Path file = dir.resolve("GeoLite2-City.mmdb");
    if (Files.isRegularFile(file)) {
      return file;
    }
    Files.createDirectories(dir);
    try (InputStream in = GeoDatabase.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("GeoLite2-City.mmdb is not on the class path");
      }
      Path tmp = Files.createTempFile(dir, "GeoLite2-City", ".part");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
    return file;
  }
}
