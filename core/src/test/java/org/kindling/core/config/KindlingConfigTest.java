package org.kindling.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KindlingConfigTest {
  private final ConfigDefinitions defs = ConfigDefinitions.of(List.of(new CoreConfig()));

  @Test
  void shouldUseDocumentedDefaults() {
    KindlingConfig c = KindlingConfig.defaults(defs);
    assertThat(c.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
    assertThat(c.getInt(CoreConfig.TOPICS_PARTITIONS)).isEqualTo(4);
    assertThat(c.getDuration(CoreConfig.TOPICS_RETENTION)).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void shouldFailOnAnUnknownKeyNamingIt() {
    assertThatThrownBy(() -> KindlingConfig.of(defs, Map.of("topics.partition", "3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("topics.partition");
  }

  @Test
  void shouldFailOnABadValueNamingTheKey() {
    assertThatThrownBy(() -> KindlingConfig.of(defs, Map.of(CoreConfig.TOPICS_PARTITIONS, "many")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CoreConfig.TOPICS_PARTITIONS);
    assertThatThrownBy(() -> KindlingConfig.of(defs, Map.of(CoreConfig.TOPICS_PARTITIONS, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CoreConfig.TOPICS_PARTITIONS);
    assertThatThrownBy(() -> KindlingConfig.of(defs, Map.of(CoreConfig.TOPICS_RETENTION, "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CoreConfig.TOPICS_RETENTION);
  }

  @Test
  void shouldMapEnvironmentVariablesOntoKeys() {
    KindlingConfig c =
        KindlingConfig.load(
            defs, null, Map.of("TOPICS_PARTITIONS", "12", "PATH", "/usr/bin"), Map.of());
    assertThat(c.getInt(CoreConfig.TOPICS_PARTITIONS)).isEqualTo(12);
  }

  @Test
  void shouldFailOnAnUnknownVariableInKindlingsNamespaces() {
    assertThatThrownBy(
            () -> KindlingConfig.load(defs, null, Map.of("TOPICS_PARTITIOS", "3"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOPICS_PARTITIOS");
  }

  @Test
  void shouldLetOverridesWinOverEnvironmentOverFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kindling.properties");
    Files.writeString(
        file, "topics.partitions=2\ntopics.replication.factor=3\nkafka.producer.linger.ms=20\n");
    KindlingConfig c =
        KindlingConfig.load(
            defs,
            file,
            Map.of("TOPICS_REPLICATION_FACTOR", "2"),
            Map.of(CoreConfig.TOPICS_PARTITIONS, "8"));
    assertThat(c.getInt(CoreConfig.TOPICS_PARTITIONS)).isEqualTo(8);
    assertThat(c.getInt(CoreConfig.TOPICS_REPLICATION_FACTOR)).isEqualTo(2);
    assertThat(c.withPrefix(CoreConfig.KAFKA_PRODUCER_PREFIX)).containsEntry("linger.ms", "20");
  }

  @Test
  void shouldRenderEveryKeyInTheReference() {
    String md = defs.toMarkdown();
    for (ConfigKey k : new CoreConfig().keys()) {
      assertThat(md).contains(k.name());
    }
  }
}
