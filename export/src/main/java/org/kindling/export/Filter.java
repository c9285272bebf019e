package org.kindling.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.kindling.core.Attributes;
import org.kindling.core.Topics;
import org.kindling.export.config.DestinationConfig;
import org.kindling.export.config.DestinationKeys;

/**
 * Which records a destination takes: documents, error records or both, of some namespaces and
 * doctypes. Error records of the export itself (stage {@code export:*}) are never taken: a
 * destination that fails would otherwise feed its own failures back to itself or to another failing
 * destination, without end.
 *
 * @param namespaces document namespaces taken; empty for all
 * @param doctypes doctypes taken, {@code namespace/type} or a bare type; empty for all
 * @param documents whether documents of ingest.enriched are taken
 * @param errors whether rejected submissions of ingest.errors are taken
 */
public record Filter(
    Set<String> namespaces, List<String> doctypes, boolean documents, boolean errors) {

  /** The stage prefix of the export's own failure records. */
  public static final String EXPORT_STAGE_PREFIX = "export:";

  /** The filter of a destination's configuration. */
  public static Filter of(DestinationConfig config) {
    String records = config.getString(DestinationKeys.FILTER_RECORDS);
    return new Filter(
        Set.copyOf(config.getList(DestinationKeys.FILTER_NAMESPACES)),
        List.copyOf(config.getList(DestinationKeys.FILTER_DOCTYPES)),
        !"errors".equals(records),
        !"documents".equals(records));
  }

  /** The topics to subscribe to. */
  public List<String> topics() {
    List<String> out = new ArrayList<>();
    if (documents) {
      out.add(Topics.ENRICHED.name());
    }
    if (errors) {
      out.add(Topics.ERRORS.name());
    }
    return out;
  }

  /** Whether the destination takes {@code r}. */
  public boolean matches(ExportRecord r) {
    if (r.isError() ? !errors || r.failure().stage().startsWith(EXPORT_STAGE_PREFIX) : !documents) {
      return false;
    }
    return matchesDoctype(
        r.attribute(Attributes.DOCUMENT_NAMESPACE), r.attribute(Attributes.DOCUMENT_TYPE));
  }

  /**
   * Whether the namespaces and doctypes are taken; on its own, the cheap first look at a document's
   * headers, before its JSON is parsed.
   */
  public boolean matchesDoctype(String ns, String type) {
    if (!namespaces.isEmpty() && !namespaces.contains(ns)) {
      return false;
    }
    if (doctypes.isEmpty()) {
      return true;
    }
    for (String d : doctypes) {
      int slash = d.indexOf('/');
      if (slash < 0 ? d.equals(type) : d.equals(ns + "/" + type)) {
        return true;
      }
    }
    return false;
  }
}
