package org.kindling.export.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.ConfigException;
import org.kindling.core.config.KindlingConfig;
import org.kindling.export.ExportService;
import org.kindling.export.Filter;

class ParseDestinationsTest {
  private static KindlingConfig config(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return KindlingConfig.of(ConfigDefinitions.discover(), m);
  }

  private static List<DestinationConfig> parse(String... kv) {
    return ParseDestinations.parse(config(kv));
  }

  @Test
  void shouldRunNothingByDefault() {
    assertThat(parse()).isEmpty();
  }

  @Test
  void shouldParseDestinationsWithTheirTypesDefaults() {
    List<DestinationConfig> ds =
        parse(
            "export.destinations", "grafana, hooks",
            "export.destination.grafana.type", "influxdb",
            "export.destination.grafana.influxdb.url", "http://localhost:8086",
            "export.destination.grafana.influxdb.database", "kindling",
            "export.destination.grafana.filter.doctypes", "glow/download,share",
            "export.destination.hooks.type", "webhook",
            "export.destination.hooks.webhook.url", "https://hooks.example/in",
            "export.destination.hooks.webhook.secret", "s3cret",
            "export.destination.hooks.filter.records", "both",
            "export.destination.hooks.batch.max.wait", "250ms");
    assertThat(ds).extracting(DestinationConfig::name).containsExactly("grafana", "hooks");
    DestinationConfig g = ds.get(0);
    assertThat(g.type()).isEqualTo(DestinationType.INFLUXDB);
    assertThat(g.group()).isEqualTo("export-grafana");
    assertThat(g.stage()).isEqualTo("export:grafana");
    assertThat(g.getInt(DestinationKeys.BATCH_MAX_RECORDS)).isEqualTo(5000);
    assertThat(g.getList(DestinationKeys.FILTER_DOCTYPES))
        .containsExactly("glow/download", "share");
    assertThat(g.getString(DestinationKeys.INFLUXDB_PRECISION)).isEqualTo("ns");
    DestinationConfig h = ds.get(1);
    assertThat(h.getInt(DestinationKeys.BATCH_MAX_RECORDS)).isEqualTo(500);
    assertThat(h.getDuration(DestinationKeys.BATCH_MAX_WAIT)).isEqualTo(Duration.ofMillis(250));
    assertThat(Filter.of(h).topics()).containsExactly("ingest.enriched", "ingest.errors");
    assertThat(Filter.of(g).topics()).containsExactly("ingest.enriched");
  }

  @Test
  void shouldTakeDestinationsFromTheEnvironment() {
    KindlingConfig c =
        KindlingConfig.load(
            ConfigDefinitions.discover(),
            null,
            Map.of(
                "EXPORT_DESTINATIONS", "echo",
                "EXPORT_DESTINATION_ECHO_TYPE", "log",
                "EXPORT_DESTINATION_ECHO_LOG_FORMAT", "summary"),
            Map.of());
    List<DestinationConfig> ds = ParseDestinations.parse(c);
    assertThat(ds).hasSize(1);
    assertThat(ds.get(0).getString(DestinationKeys.LOG_FORMAT)).isEqualTo("summary");
    assertThat(ds.get(0).getDuration(DestinationKeys.BATCH_MAX_WAIT))
        .isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void shouldRefuseAnUnknownKeyWithASuggestion() {
    assertThatThrownBy(
            () ->
                parse(
                    "export.destinations", "echo",
                    "export.destination.echo.type", "log",
                    "export.destination.echo.batch.max.recods", "5"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "unknown configuration key 'export.destination.echo.batch.max.recods'; did you mean"
                + " 'export.destination.echo.batch.max.records'?");
  }

  @Test
  void shouldRefuseAKeyOfAnotherType() {
    assertThatThrownBy(
            () ->
                parse(
                    "export.destinations", "echo",
                    "export.destination.echo.type", "log",
                    "export.destination.echo.webhook.url", "http://x"))
        .hasMessage(
            "unknown configuration key 'export.destination.echo.webhook.url': it is a key of"
                + " webhook destinations, and this one's type is log");
  }

  @Test
  void shouldRefuseKeysOfAnUnlistedDestination() {
    assertThatThrownBy(
            () ->
                parse(
                    "export.destinations", "echo",
                    "export.destination.echo.type", "log",
                    "export.destination.ecko.type", "log"))
        .hasMessage(
            "configuration key 'export.destination.ecko.type' is for destination 'ecko', which"
                + " export.destinations does not list (it lists [echo])");
  }

  @Test
  void shouldRefuseBadValuesAndNames() {
    assertThatThrownBy(
            () ->
                parse(
                    "export.destinations", "echo",
                    "export.destination.echo.type", "log",
                    "export.destination.echo.retry.initial.backoff", "soon"))
        .hasMessageStartingWith(
            "bad value 'soon' for configuration key"
                + " 'export.destination.echo.retry.initial.backoff': expected a duration");
    assertThatThrownBy(
            () -> parse("export.destinations", "echo", "export.destination.echo.type", "kafka"))
        .hasMessage(
            "bad value 'kafka' for configuration key 'export.destination.echo.type': must be one"
                + " of influxdb, webhook, amplitude, log");
    assertThatThrownBy(() -> parse("export.destinations", "my-hooks"))
        .hasMessageContaining("destination name 'my-hooks' must be lower-case letters and digits");
    assertThatThrownBy(() -> parse("export.destinations", "a,a"))
        .hasMessageContaining("destination 'a' is listed twice");
    assertThatThrownBy(() -> parse("export.destinations", "echo"))
        .hasMessageStartingWith(
            "configuration key 'export.destination.echo.type' has no value: destination 'echo'"
                + " needs a type");
    assertThatThrownBy(() -> parse("export.destination.type", "log"))
        .hasMessageStartingWith("unknown configuration key 'export.destination.type'");
  }

  @Test
  void shouldRefuseWhatATypeCannotUseAtStartUp() {
    assertThatThrownBy(
            () ->
                new ExportService(
                    config(
                        "export.destinations", "amp",
                        "export.destination.amp.type", "amplitude",
                        "export.destination.amp.amplitude.api.key", "k",
                        "export.destination.amp.filter.records", "both"),
                    new SimpleMeterRegistry()))
        .hasMessage(
            "bad value 'both' for configuration key 'export.destination.amp.filter.records': an"
                + " amplitude destination takes documents only");
    assertThatThrownBy(
            () ->
                new ExportService(
                    config(
                        "export.destinations", "amp",
                        "export.destination.amp.type", "amplitude",
                        "export.destination.amp.amplitude.api.key", "k",
                        "export.destination.amp.batch.max.records", "5000"),
                    new SimpleMeterRegistry()))
        .hasMessageContaining("Amplitude takes at most 2000 events a request");
    assertThatThrownBy(
            () ->
                new ExportService(
                    config(
                        "export.destinations", "hooks",
                        "export.destination.hooks.type", "webhook",
                        "export.destination.hooks.webhook.url", "ftp://example.org/",
                        "export.destination.hooks.webhook.secret", "s"),
                    new SimpleMeterRegistry()))
        .hasMessage(
            "bad value 'ftp://example.org/' for configuration key"
                + " 'export.destination.hooks.webhook.url': must be an http:// or https:// URL"
                + " with a host");
    assertThatThrownBy(
            () ->
                new ExportService(
                    config(
                        "export.destinations", "hooks",
                        "export.destination.hooks.type", "webhook",
                        "export.destination.hooks.webhook.url", "https://example.org/",
                        "export.destination.hooks.webhook.secret", "s",
                        "export.destination.hooks.webhook.header.content.type", "text/plain"),
                    new SimpleMeterRegistry()))
        .hasMessageContaining("the webhook sets content-type itself");
    assertThatThrownBy(
            () ->
                new ExportService(
                    config(
                        "export.destinations", "grafana",
                        "export.destination.grafana.type", "influxdb",
                        "export.destination.grafana.influxdb.url", "http://localhost:8086",
                        "export.destination.grafana.influxdb.version", "2",
                        "export.destination.grafana.influxdb.org", "o",
                        "export.destination.grafana.influxdb.bucket", "b"),
                    new SimpleMeterRegistry()))
        .hasMessage(
            "configuration key 'export.destination.grafana.influxdb.token' has no value (required"
                + " for influxdb.version 2)");
    assertThatThrownBy(
            () ->
                new ExportService(
                    config(
                        "export.destinations", "grafana",
                        "export.destination.grafana.type", "influxdb",
                        "export.destination.grafana.influxdb.url", "http://localhost:8086",
                        "export.destination.grafana.influxdb.database", "k",
                        "export.destination.grafana.influxdb.measurement", "{doctype}"),
                    new SimpleMeterRegistry()))
        .hasMessageContaining("unknown placeholder {doctype}");
  }
}
