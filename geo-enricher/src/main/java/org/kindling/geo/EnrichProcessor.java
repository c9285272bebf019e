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
    AddMetadata.Result added;
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("record has no value");
      }
      JsonNode node = Json.mapper().readTree(record.value());
      if (!(node instanceof ObjectNode doc)) {
        throw new IllegalArgumentException("document is not a JSON object");
      }
      Geo geo = lookupGeo.lookup(attributes.get(Attributes.REMOTE_ADDR));
      UserAgentInfo userAgent = parseUserAgent.parse(attributes.get(Attributes.USER_AGENT));
      // the doctype's override_attributes apply here, before the values are stored or counted
      added = AddMetadata.apply(doc, attributes, geo, userAgent);
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
    Geo geo = added.geo();
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
            enrichedHeaders(record.headers(), added)));
    context.forward(
        new Record<>(
            CountKey.doctype(namespace, type),
            EnrichOutput.count(CountEvent.of(geo)),
            record.timestamp()));
  }

  /**
   * Validated attributes minus client address, raw user agent and the pipeline-metadata
   * instructions, with the stored submission_timestamp, plus geo_*, user_agent_*, sample_id and
   * normalized_* for the values that are known.
   */
  static Headers enrichedHeaders(Headers input, AddMetadata.Result added) {
    Headers headers = AttributeHeaders.copy(input);
    AttributeHeaders.removeClientAddress(headers);
    headers.remove(Attributes.USER_AGENT);
    Attributes.PIPELINE_METADATA.forEach(headers::remove);
    String stored = added.submissionTimestamp();
    if (stored != null
        && !stored.equals(AttributeHeaders.get(headers, Attributes.SUBMISSION_TIMESTAMP))) {
      AttributeHeaders.put(headers, Attributes.SUBMISSION_TIMESTAMP, stored); // truncated
    }
    Geo geo = added.geo();
    UserAgentInfo userAgent = added.userAgent();
    DecoderAttributes d = added.decoded();
    AttributeHeaders.put(headers, Attributes.GEO_COUNTRY, geo.country());
    AttributeHeaders.put(headers, Attributes.GEO_CONTINENT, geo.continent());
    AttributeHeaders.put(headers, Attributes.GEO_SUBDIVISION1, geo.subdivision1());
    AttributeHeaders.put(headers, Attributes.GEO_SUBDIVISION2, geo.subdivision2());
    AttributeHeaders.put(headers, Attributes.GEO_CITY, geo.city());
    AttributeHeaders.put(headers, Attributes.GEO_DB_VERSION, geo.dbVersion());
    AttributeHeaders.put(headers, Attributes.USER_AGENT_BROWSER, userAgent.browser());
    AttributeHeaders.put(headers, Attributes.USER_AGENT_VERSION, userAgent.version());
    AttributeHeaders.put(headers, Attributes.USER_AGENT_OS, userAgent.os());
    AttributeHeaders.put(
        headers, Attributes.SAMPLE_ID, d.sampleId() == null ? null : d.sampleId().toString());
    AttributeHeaders.put(headers, Attributes.NORMALIZED_CHANNEL, d.normalizedChannel());
    AttributeHeaders.put(headers, Attributes.NORMALIZED_OS, d.normalizedOs());
    AttributeHeaders.put(headers, Attributes.NORMALIZED_OS_VERSION, d.normalizedOsVersion());
    AttributeHeaders.put(headers, Attributes.NORMALIZED_APP_NAME, d.normalizedAppName());
    AttributeHeaders.put(headers, Attributes.NORMALIZED_COUNTRY_CODE, d.normalizedCountryCode());
    return headers;
  }

  private static String orUnknown(String s) {
    return s == null || s.isEmpty() ? "unknown" : s;
  }
}
