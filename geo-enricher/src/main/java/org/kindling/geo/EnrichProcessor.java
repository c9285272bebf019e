package org.kindling.geo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.counts.CountKey;
import org.kindling.core.failure.FailureRecord;
import org.kindling.geo.counts.CountEvent;

/**
 * Enriches one validated record: geo from {@code remote_addr}, user agent, metadata; removes the
 * client address and the raw user agent. Emits the enriched document and a count event, or, when
 * the record cannot be enriched, a failure ({@code error_type} {@value #ERROR_TYPE}) without the
 * client address.
 */
final class EnrichProcessor implements Processor<String, byte[], String, EnrichOutput> {
  static final String ERROR_TYPE = "enrichment";

  private final LookupGeo lookupGeo;
  private final ParseUserAgent parseUserAgent;
  private final Clock clock;
  private final MeterRegistry registry;
  private ProcessorContext<String, EnrichOutput> context;

  EnrichProcessor(
      LookupGeo lookupGeo, ParseUserAgent parseUserAgent, Clock clock, MeterRegistry registry) {
    this.lookupGeo = lookupGeo;
    this.parseUserAgent = parseUserAgent;
    this.clock = clock;
    this.registry = registry;
  }

  @Override
  public void init(ProcessorContext<String, EnrichOutput> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Map<String, String> attributes = AttributeHeaders.toMap(record.headers());
    String namespace = orUnknown(attributes.get(Attributes.DOCUMENT_NAMESPACE));
    String type = orUnknown(attributes.get(Attributes.DOCUMENT_TYPE));
    byte[] document;
    Geo geo;
    UserAgentInfo userAgent;
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("record has no value");
      }
      JsonNode node = Json.mapper().readTree(record.value());
      if (!(node instanceof ObjectNode doc)) {
        throw new IllegalArgumentException("document is not a JSON object");
      }
      geo = lookupGeo.lookup(attributes.get(Attributes.REMOTE_ADDR));
      userAgent = parseUserAgent.parse(attributes.get(Attributes.USER_AGENT));
      AddMetadata.apply(doc, attributes, geo, userAgent);
      document = Json.mapper().writeValueAsBytes(doc);
    } catch (Exception e) {
      attributes.keySet().removeAll(Attributes.CLIENT_ADDRESS);
      FailureRecord failure =
          FailureRecord.of(
              record.value(),
              attributes,
              ERROR_TYPE,
              e,
              GeoEnricherTopology.APPLICATION_ID,
              clock.instant());
      registry
          .counter("error_" + ERROR_TYPE, "namespace", namespace, "document_type", type)
          .increment();
      context.forward(
          new Record<>(record.key(), EnrichOutput.failure(failure), record.timestamp()));
      return;
    }
    if (geo.country() == null) {
      registry
          .counter("geo_unknown_address", "namespace", namespace, "document_type", type)
          .increment();
    }
    context.forward(
        new Record<>(
            record.key(),
            EnrichOutput.document(document),
            record.timestamp(),
            enrichedHeaders(record.headers(), geo, userAgent)));
    context.forward(
        new Record<>(
            CountKey.doctype(namespace, type),
            EnrichOutput.count(CountEvent.of(geo)),
            record.timestamp()));
  }

  /** Validated attributes minus client address and raw user agent, plus geo_* and user_agent_*. */
  static Headers enrichedHeaders(Headers input, Geo geo, UserAgentInfo userAgent) {
    Headers headers = AttributeHeaders.copy(input);
    AttributeHeaders.removeClientAddress(headers);
    headers.remove(Attributes.USER_AGENT);
    AttributeHeaders.put(headers, Attributes.GEO_COUNTRY, geo.country());
    AttributeHeaders.put(headers, Attributes.GEO_CONTINENT, geo.continent());
    AttributeHeaders.put(headers, Attributes.GEO_SUBDIVISION1, geo.subdivision1());
    AttributeHeaders.put(headers, Attributes.GEO_SUBDIVISION2, geo.subdivision2());
    AttributeHeaders.put(headers, Attributes.GEO_CITY, geo.city());
    AttributeHeaders.put(headers, Attributes.GEO_DB_VERSION, geo.dbVersion());
    AttributeHeaders.put(headers, Attributes.USER_AGENT_BROWSER, userAgent.browser());
    AttributeHeaders.put(headers, Attributes.USER_AGENT_VERSION, userAgent.version());
    AttributeHeaders.put(headers, Attributes.USER_AGENT_OS, userAgent.os());
    return headers;
  }

  private static String orUnknown(String s) {
    return s == null || s.isEmpty() ? "unknown" : s;
  }
}
