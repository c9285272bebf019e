package org.kindling.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A watched schema folder: new sets replace the old one whole, broken ones are refused. */
class ReloadingSchemaStoreTest {
  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(ReloadingSchemaStore.class);

  @BeforeEach
  void captureLog() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(log);
  }

  private void write(String rel, String text) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  private String info() {
    Meter m = registry.find(ReloadingSchemaStore.INFO_METER).tag("stage", "test").meter();
    return m == null ? null : m.getId().getTag("id");
  }

  private double reloads(String result) {
    var c = registry.find(ReloadingSchemaStore.RELOADS_METER).tag("result", result).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void shouldAcceptANewDoctypeWithinTheCheckInterval() throws Exception {
    write("acme/click/click.1.schema.json", "{\"type\":\"object\"}");
    try (ReloadingSchemaStore store =
        ReloadingSchemaStore.load(dir, SchemaStore.GleanFallback.AUTO, "test", registry)) {
      SchemaStore first = store.get();
      assertThat(info()).isEqualTo(first.id());
      store.start(Duration.ofMillis(100));
      write("acme/view/view.1.schema.json", "{\"type\":\"object\",\"required\":[\"page\"]}");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (store.get().find("acme", "view", 1).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(store.get().find("acme", "view", 1)).isPresent();
      assertThat(store.get().find("acme", "click", 1)).isPresent();
      assertThat(store.get().id()).isNotEqualTo(first.id());
      assertThat(info()).isEqualTo(store.get().id());
      assertThat(reloads("loaded")).isEqualTo(1);
      assertThat(
              registry.find(ReloadingSchemaStore.SIZE_METER).tag("stage", "test").gauge().value())
          .isEqualTo(2);
    }
    assertThat(info()).isNull(); // closed: its meters are gone
  }

  @Test
  void shouldRefuseABrokenSetAndKeepTheOldOne() throws Exception {
    write("acme/click/click.1.schema.json", "{\"type\":\"object\"}");
    try (ReloadingSchemaStore store =
        ReloadingSchemaStore.load(dir, SchemaStore.GleanFallback.AUTO, "test", registry)) {
      SchemaStore old = store.get();
      write("acme/view/view.1.schema.json", "{\"type\":\"object\"");
      assertThat(store.checkNow()).isFalse();
      assertThat(store.get()).isSameAs(old);
      assertThat(store.get().find("acme", "view", 1)).isEmpty();
      assertThat(reloads("refused")).isEqualTo(1);
      assertThat(log.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .singleElement()
          .asString()
          .startsWith("test: new schemas in " + dir + " refused, keeping " + old.id())
          .contains("acme/view/view.1.schema.json: not JSON")
          .doesNotContain("\n");
      // the same broken folder is not tried (nor logged) again
      assertThat(store.checkNow()).isFalse();
      assertThat(log.list).hasSize(1);
      // fixed: taken
      write("acme/view/view.1.schema.json", "{\"type\":\"object\"}");
      assertThat(store.checkNow()).isTrue();
      assertThat(store.get().find("acme", "view", 1)).isPresent();
    }
  }

  @Test
  void shouldRefuseASetThatFailsItsCheck() throws Exception {
    write("acme/click/click.1.schema.json", "{\"type\":\"object\"}");
    AtomicInteger reloaded = new AtomicInteger();
    try (ReloadingSchemaStore store =
        ReloadingSchemaStore.load(dir, SchemaStore.GleanFallback.AUTO, "test", registry)
            .withCheck(
                (candidate, current) -> {
                  if (candidate.find("acme", "bad", 1).isPresent()) {
                    throw new IllegalArgumentException("acme/bad/bad.1 does not compile");
                  }
                })
            .onReload(s -> reloaded.incrementAndGet())) {
      write("acme/bad/bad.1.schema.json", "{}");
      assertThat(store.checkNow()).isFalse();
      assertThat(store.get().find("acme", "bad", 1)).isEmpty();
      assertThat(reloaded).hasValue(0);
      Files.delete(dir.resolve("acme/bad/bad.1.schema.json"));
      write("acme/good/good.1.schema.json", "{}");
      assertThat(store.checkNow()).isTrue();
      assertThat(reloaded).hasValue(1);
    }
  }

  @Test
  void shouldNotReplaceASetThatDidNotChange() throws Exception {
    write("acme/click/click.1.schema.json", "{\"type\":\"object\"}");
    try (ReloadingSchemaStore store =
        ReloadingSchemaStore.load(dir, SchemaStore.GleanFallback.AUTO, "test", registry)) {
      SchemaStore old = store.get();
      assertThat(store.checkNow()).isFalse();
      // rewritten with the same content: a new fingerprint, the same set
      Files.setLastModifiedTime(
          dir.resolve("acme/click/click.1.schema.json"),
          java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
      assertThat(store.checkNow()).isFalse();
      assertThat(store.get()).isSameAs(old);
      assertThat(reloads("loaded")).isZero();
    }
  }

  @Test
  void shouldServeTheBundledSetWithoutWatching() {
    try (ReloadingSchemaStore store =
        ReloadingSchemaStore.load(null, SchemaStore.GleanFallback.AUTO, "test", registry)) {
      assertThat(store.watches()).isFalse();
      assertThat(store.get().source()).isEqualTo("bundled");
      assertThat(store.get().gleanFallback()).isTrue();
      assertThat(store.checkNow()).isFalse();
      assertThat(info()).isEqualTo(store.get().id());
    }
  }

  @Test
  void shouldTurnTheGleanFallbackOnForAFolderWhenAsked() throws IOException {
    write("glean/glean/glean.1.schema.json", "{}");
    try (ReloadingSchemaStore store =
        ReloadingSchemaStore.load(dir, SchemaStore.GleanFallback.ON, "test", registry)) {
      assertThat(store.get().resolve("org-mozilla-focus", "baseline", "1")).isPresent();
    }
    assertThat(
            List.of(
                SchemaStore.GleanFallback.parse("auto"), SchemaStore.GleanFallback.parse("false")))
        .containsExactly(SchemaStore.GleanFallback.AUTO, SchemaStore.GleanFallback.OFF);
  }
}
