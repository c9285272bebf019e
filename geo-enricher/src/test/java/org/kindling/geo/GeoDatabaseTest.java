package org.kindling.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.KindlingConfig;
import org.kindling.testkit.GeoIpTestData;

class GeoDatabaseTest {
  private static final String TEST_VERSION = "GeoIP2-City/2026-11-24T00:00:00Z";

  @TempDir Path dir;

  private static void copyBundled(Path target) throws IOException {
    try (InputStream in = GeoDatabase.class.getResourceAsStream(GeoDatabase.BUNDLED_RESOURCE)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes {@code source} next to {@code target} and renames it over, as geoipupdate does. */
  private static void replaceAtomically(Path target, Path source) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void shouldSwapTheDatabaseWhenTheFileIsReplaced() throws Exception {
    Path file = dir.resolve("city.mmdb");
    Files.copy(GeoIpTestData.cityDatabase(), file);
    Path bundled = dir.resolve("bundled.mmdb");
    copyBundled(bundled);
    try (GeoDatabase db = GeoDatabase.open(file)) {
      LookupGeo lookup = new LookupGeo(db, List.of(), 0);
      assertThat(lookup.lookup("2.10.1.10").city()).isEqualTo("Berlin");
      assertThat(db.reloadIfChanged()).isFalse();

      replaceAtomically(file, bundled);
      assertThat(db.reloadIfChanged()).isTrue();
      assertThat(db.version()).isEqualTo("GeoLite2-City/2019-11-12T21:11:29Z");
      assertThat(lookup.lookup("2.10.1.10").dbVersion()).isEqualTo(db.version());
      assertThat(lookup.lookup("2.10.1.10").city()).isNotEqualTo("Berlin");
      assertThat(lookup.lookup("81.2.69.160").country()).isEqualTo("GB");

      replaceAtomically(file, GeoIpTestData.cityDatabase());
      assertThat(db.reloadIfChanged()).isTrue();
      assertThat(lookup.lookup("2.10.1.10").city()).isEqualTo("Berlin");
    }
  }

  @Test
  void shouldKeepTheOldDatabaseWhenTheNewFileIsBroken() throws Exception {
    Path file = dir.resolve("city.mmdb");
    Files.copy(GeoIpTestData.cityDatabase(), file);
    try (GeoDatabase db = GeoDatabase.open(file)) {
      Path broken = dir.resolve("broken");
      Files.writeString(broken, "not a database", StandardCharsets.UTF_8);
      replaceAtomically(file, broken);
      assertThat(db.reloadIfChanged()).isFalse();
      assertThat(db.version()).isEqualTo(TEST_VERSION);
      assertThat(new LookupGeo(db, List.of(), 0).lookup("2.10.1.10").country()).isEqualTo("DE");

      Files.delete(file);
      assertThat(db.reloadIfChanged()).isFalse();
      assertThat(db.version()).isEqualTo(TEST_VERSION);

      replaceAtomically(file, GeoIpTestData.cityDatabase());
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
      assertThat(db.reloadIfChanged()).isTrue();
      assertThat(db.version()).isEqualTo(TEST_VERSION);
    }
  }

  @Test
  void shouldPickUpAReplacementByItself() throws Exception {
    Path file = dir.resolve("city.mmdb");
    Files.copy(GeoIpTestData.cityDatabase(), file);
    Path bundled = dir.resolve("bundled.mmdb");
    copyBundled(bundled);
    try (GeoDatabase db = GeoDatabase.open(file)) {
      db.watch(Duration.ofMillis(50));
      replaceAtomically(file, bundled);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (db.version().equals(TEST_VERSION) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(db.version()).startsWith("GeoLite2-City/");
    }
  }

  @Test
  void shouldRefuseADatabaseThatIsNotACityDatabase() throws Exception {
    Path country = dir.resolve("country.mmdb");
    try (InputStream in = GeoDatabase.class.getResourceAsStream("/GeoLite2-Country.mmdb")) {
      Files.copy(in, country);
    }
    assertThatThrownBy(() -> GeoDatabase.open(country))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a City database");
  }

  @Test
  void shouldFallBackToTheBundledGeoLite2Database() throws Exception {
    KindlingConfig config = KindlingConfig.of(ConfigDefinitions.discover(), java.util.Map.of());
    try (GeoDatabase db = GeoDatabase.fromConfig(config)) {
      assertThat(db.version()).isEqualTo("GeoLite2-City/2019-11-12T21:11:29Z");
      assertThat(db.reloadIfChanged()).isFalse();
    }
    KindlingConfig configured =
        config.with(java.util.Map.of(GeoConfig.DATABASE, GeoIpTestData.cityDatabase().toString()));
    try (GeoDatabase db = GeoDatabase.fromConfig(configured)) {
      assertThat(db.version()).isEqualTo(TEST_VERSION);
    }
  }

  @Test
  void shouldRefuseLookupsOnceClosed() throws Exception {
    GeoDatabase db = GeoDatabase.open(GeoIpTestData.cityDatabase());
    db.close();
    assertThatThrownBy(db::snapshot).isInstanceOf(IllegalStateException.class);
  }
}
