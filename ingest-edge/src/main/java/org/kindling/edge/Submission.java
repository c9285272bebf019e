package org.kindling.edge;

import java.util.Map;

/**
 * One accepted request on its way to {@code ingest.raw}: the record key, the body exactly as
 * received and the attributes that become Kafka headers.
 *
 * @param key the document id, or null
 * @param body the request body bytes
 * @param attributes attribute name to value, in header order
 */
public record Submission(String key, byte[] body, Map<String, String> attributes) {}
