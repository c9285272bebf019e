package org.kindling.core.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;

/** The metrics registry of a Kindling process, served as Prometheus {@code /metrics}. */
public final class Meters {
  private static final String STATE_METRICS = "kafka.stream.state.";
  private static final String STATE_ID = ".state.id";

  private Meters() {}

  /**
   * A Prometheus registry with the filters every Kindling process needs. Filters must be in place
   * before the first meter registers, so every process creates its registry here.
   */
  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(consistentStoreTags());
    return registry;
  }

  /**
   * Kafka Streams names a state store's metrics after the store's kind: the same metric ({@code
   * num-entries-active-mem-table}) carries {@code rocksdb-state-id} for a key-value store and
   * {@code rocksdb-window-state-id} for a window store. Prometheus requires one set of tag keys per
   * metric name, so the registry refused the second kind (with a warning) and its stores had no
   * metrics. This filter gives every store metric the keys {@code state.id} (the store's name) and
   * {@code store.type} (its kind: {@code rocksdb}, {@code rocksdb.window}, {@code in.memory}, ...).
   */
  static MeterFilter consistentStoreTags() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(STATE_METRICS)) {
          return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean changed = false;
        for (Tag t : id.getTagsAsIterable()) {
          String key = t.getKey();
          if (key.endsWith(STATE_ID) && key.length() > STATE_ID.length()) {
            tags.add(Tag.of("state.id", t.getValue()));
            tags.add(Tag.of("store.type", key.substring(0, key.length() - STATE_ID.length())));
            changed = true;
          } else {
            tags.add(t);
          }
        }
        return changed ? id.replaceTags(tags) : id;
      }
    };
  }
}
