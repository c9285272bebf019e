package org.kindling.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MetersTest {
  @Test
  void shouldRegisterTheStoreMetricsOfKeyValueAndWindowStoresUnderOneSetOfTagKeys() {
    PrometheusMeterRegistry registry = Meters.prometheus();
    Gauge.builder("kafka.stream.state.num.entries.active.mem.table", () -> 3)
        .tags("kafka.version", "4.3.1", "rocksdb.state.id", "counts-store", "task.id", "1_0")
        .tags("thread.id", "t")
        .register(registry);
    // Without the filter the Prometheus registry refuses this one: other tag keys, same name.
    Gauge.builder("kafka.stream.state.num.entries.active.mem.table", () -> 5)
        .tags("kafka.version", "4.3.1", "rocksdb.window.state.id", "dedup-store", "task.id", "0_0")
        .tags("thread.id", "t")
        .register(registry);
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains(
            "kafka_stream_state_num_entries_active_mem_table{kafka_version=\"4.3.1\","
                + "state_id=\"counts-store\",store_type=\"rocksdb\",task_id=\"1_0\","
                + "thread_id=\"t\"} 3.0")
        .contains(
            "kafka_stream_state_num_entries_active_mem_table{kafka_version=\"4.3.1\","
                + "state_id=\"dedup-store\",store_type=\"rocksdb.window\",task_id=\"0_0\","
                + "thread_id=\"t\"} 5.0");
  }

  @Test
  void shouldLeaveOtherMetersAlone() {
    PrometheusMeterRegistry registry = Meters.prometheus();
    Gauge.builder("edge.inflight.requests", () -> 1).tags("node.state.id", "x").register(registry);
    assertThat(registry.scrape()).contains("edge_inflight_requests{node_state_id=\"x\"} 1.0");
  }
}
