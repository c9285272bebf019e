package org.kindling.core;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON configuration used by every stage. */
public final class Json {
  private Json() {}

  /**
   * Nesting limit for submitted documents. Real telemetry pings nest about 10 deep; 64 leaves room
   * for odd payloads while refusing stack-exhaustion inputs long before Jackson's own limit (1000).
   */
  public static final int MAX_NESTING_DEPTH = 64;

  private static final ObjectMapper MAPPER = newMapper();

  /** A shared, thread-safe mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A fresh mapper with Kindling's settings, for callers that need their own configuration. */
  public static ObjectMapper newMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    return mapper;
  }
}
