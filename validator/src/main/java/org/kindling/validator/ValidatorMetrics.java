package org.kindling.validator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.kindling.core.Attributes;
import org.kindling.schemas.SchemaStore;

/**
 * The validator's counters, tagged {@code namespace} and {@code document_type}: {@code
 * validated_submission}, {@code duplicate_submission} and one {@code error_<error_type>} per error
 * type ({@code error_schema_validation}, ...).
 *
 * <p>Namespace and type come from the client's URI, so to keep the number of time series bounded
 * they are only used as tags when the store has a schema for them; otherwise the type (and, for an
 * unknown namespace, the namespace) is tagged {@code other}.
 *
 * <p>Counters move when a record is processed, not when its transaction commits: after a crash,
 * records of the aborted transaction are processed and counted again. The topics are exact; the
 * counters are for dashboards.
 */
public final class ValidatorMetrics {
  public static final String VALIDATED = "validated_submission";
  public static final String DUPLICATE = "duplicate_submission";
  public static final String ERROR_PREFIX = "error_";
  public static final String OTHER = "other";

  private final MeterRegistry registry;
  private final Supplier<SchemaStore> store;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  /**
   * @param registry where the counters go
   * @param store the schema set in use, which decides which namespaces and types are tags
   */
  public ValidatorMetrics(MeterRegistry registry, Supplier<SchemaStore> store) {
    this.registry = registry;
    this.store = store;
  }

  public void validated(Map<String, String> attributes) {
    counter(VALIDATED, attributes).increment();
  }

  public void duplicate(Map<String, String> attributes) {
    counter(DUPLICATE, attributes).increment();
  }

  public void error(String errorType, Map<String, String> attributes) {
    counter(ERROR_PREFIX + errorType, attributes).increment();
  }

  private Counter counter(String name, Map<String, String> attributes) {
    String namespace = attributes.get(Attributes.DOCUMENT_NAMESPACE);
    String type = attributes.get(Attributes.DOCUMENT_TYPE);
    String version = attributes.get(Attributes.DOCUMENT_VERSION);
    if (namespace == null || type == null) {
      namespace = OTHER;
      type = OTHER;
    } else if (store.get().resolve(namespace, type, version).isEmpty()) {
      if (!store.get().hasNamespace(namespace)) {
        namespace = OTHER;
      }
      type = OTHER;
    }
    String ns = namespace;
    String t = type;
    return counters.computeIfAbsent(
        name + '\u0000' + ns + '\u0000' + t,
        k -> registry.counter(name, "namespace", ns, "document_type", t));
  }
}
