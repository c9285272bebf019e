package org.kindling.validator;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.schemas.PipelineMetadata;

/**
 * Step 5: applies the {@code mozPipelineMetadata} of the schema the document was validated against.
 *
 * <ul>
 *   <li>{@code expiration_policy.collect_through_date}: a submission received (its {@code
 *       submission_timestamp}, UTC) after that day is {@code expired}, as Mozilla's decoder sends
 *       such pings to its error output;
 *   <li>the settings whose values are made downstream become attributes for the geo-enricher, which
 *       applies them where it computes those values: {@code submission_timestamp_granularity},
 *       {@code override_attributes} (a JSON array of {@code {"name","value"}}), {@code
 *       sample_id_source_uuid_attribute} and {@code sample_id_source_uuid_payload_path} (a JSON
 *       array). Attributes of these names that a record already carries (a replay, a hand-written
 *       producer) are dropped first: only the schema decides them.
 * </ul>
 */
public final class ApplyPipelineMetadata {
  public void apply(Submission s) throws RejectedSubmission {
    Map<String, String> a = s.attributes();
    Attributes.PIPELINE_METADATA.forEach(a::remove);
    PipelineMetadata m = s.schema() == null ? PipelineMetadata.NONE : s.schema().pipeline();
    if (m.isEmpty()) {
      return;
    }
    LocalDate last = m.collectThroughDate();
    if (last != null) {
      LocalDate received = receivedOn(a.get(Attributes.SUBMISSION_TIMESTAMP));
      if (received != null && received.isAfter(last)) {
        throw new RejectedSubmission(
            ErrorTypes.EXPIRED,
            s.schema()
                + " collects through "
                + last
                + " (mozPipelineMetadata.expiration_policy.collect_through_date); received "
                + received);
      }
    }
    if (m.granularity() != null) {
      a.put(Attributes.SUBMISSION_TIMESTAMP_GRANULARITY, m.granularityName());
    }
    if (!m.overrides().isEmpty()) {
      a.put(Attributes.OVERRIDE_ATTRIBUTES, PipelineMetadata.overridesJson(m.overrides()));
    }
    if (m.sampleIdSourceAttribute() != null) {
      a.put(Attributes.SAMPLE_ID_SOURCE_UUID_ATTRIBUTE, m.sampleIdSourceAttribute());
    }
    if (m.sampleIdSourcePayloadPath() != null) {
      a.put(
          Attributes.SAMPLE_ID_SOURCE_UUID_PAYLOAD_PATH,
          Json.mapper().valueToTree(m.sampleIdSourcePayloadPath()).toString());
    }
  }

  private static LocalDate receivedOn(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(timestamp).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
