package org.kindling.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.sink.store.ObjectStore.ObjectMeta;

/**
 * {@code ingest.raw} to the landfill: {@code raw/submission_date=YYYY-MM-DD/hour=HH/}, gzip'd
 * newline-delimited JSON, one line per submission: {@code {"document_id": "...", "attributes":
 * {...}, "payload": "<base64 of the body as received>"}}. Client addresses are left out.
 */
final class LandfillFormat implements FileFormat<LandfillFormat.Item> {
  record Item(String directory, byte[] line) {}

  @Override
  public Item parse(ConsumerRecord<byte[], byte[]> r) {
    String hour = Records.submissionHour(r);
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("document_id", Records.key(r));
    ObjectNode attrs = line.putObject("attributes");
    for (Header h : r.headers()) {
      if (!Attributes.CLIENT_ADDRESS.contains(h.key()) && h.value() != null) {
        attrs.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    line.put("payload", r.value() == null ? new byte[0] : r.value());
    try {
      return new Item(
          "raw/submission_date=" + hour.substring(0, 10) + "/hour=" + hour.substring(11, 13),
          Json.mapper().writeValueAsBytes(line));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String directory(Item item) {
    return item.directory();
  }

  @Override
  public RecordFile<Item> open(String directory, Item first, Path tmp) throws IOException {
    return new GzipNdjsonFile<>(tmp, Item::line);
  }

  @Override
  public String extension() {
    return ".ndjson.gz";
  }

  @Override
  public ObjectMeta meta() {
    return new ObjectMeta("application/x-ndjson", null);
  }
}
