package org.kindling.platform.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import org.kindling.core.Json;

/**
 * What a simulator run sent, by kind and by HTTP status, and what the pipeline should therefore
 * hold: rows per lake table, error records, dropped duplicates, and per-country counts of the Glow
 * doctypes. Only submissions answered 200 are expected downstream.
 */
public final class Summary {
  /** The status of a submission that got no HTTP answer. */
  public static final String ERROR = "error";

  private final Map<String, Map<String, Long>> statusByKind = new TreeMap<>();
  private final Map<String, Long> lakeRows = new TreeMap<>();
  private final Map<String, Long> unansweredRows = new TreeMap<>();
  private long unansweredErrors;
  private final Map<String, Map<String, Long>> countries = new TreeMap<>();
  private long sent;
  private long accepted;
  private long errors;
  private long duplicates;
  private double seconds;

  synchronized void record(Submission s, String status) {
    sent++;
    statusByKind.computeIfAbsent(s.kind(), k -> new TreeMap<>()).merge(status, 1L, Long::sum);
    if (ERROR.equals(status)) {
      // no answer (connection refused, reset, timed out): the edge may or may not have kept it
      if (s.expected() == Submission.Outcome.LAKE) {
        unansweredRows.merge(s.table(), 1L, Long::sum);
      } else if (s.expected() == Submission.Outcome.ERROR) {
        unansweredErrors++;
      }
      return;
    }
    if (!"200".equals(status)) {
      return;
    }
    accepted++;
    switch (s.expected()) {
      case LAKE:
        lakeRows.merge(s.table(), 1L, Long::sum);
        if (s.table().startsWith("glow_")) {
          String doctype = "glow." + s.table().split("_")[1];
          countries
              .computeIfAbsent(doctype, k -> new TreeMap<>())
              .merge(s.country(), 1L, Long::sum);
        }
        break;
      case ERROR:
        errors++;
        break;
      default:
        duplicates++;
    }
  }

  synchronized void elapsed(double seconds) {
    this.seconds = seconds;
  }

  public synchronized long sent() {
    return sent;
  }

  /** Submissions answered 200. */
  public synchronized long accepted() {
    return accepted;
  }

  /** Accepted submissions that should land as rows, by lake table. */
  public synchronized Map<String, Long> lakeRows() {
    return Map.copyOf(lakeRows);
  }

  /**
   * Submissions that got no HTTP answer (the status {@value #ERROR}) and would land as rows, by
   * table: an edge that stopped while answering may have made them durable, so each is in the lake
   * at most once, not necessarily zero times.
   */
  public synchronized Map<String, Long> unansweredLakeRows() {
    return Map.copyOf(unansweredRows);
  }

  /** Submissions without an HTTP answer that would land in the errors lake, at most once each. */
  public synchronized long unansweredErrors() {
    return unansweredErrors;
  }

  /** Accepted submissions that should land in the errors lake. */
  public synchronized long expectedErrors() {
    return errors;
  }

  /** Accepted resubmissions that the validator should drop as duplicates. */
  public synchronized long expectedDuplicates() {
    return duplicates;
  }

  /** Accepted Glow submissions by doctype ({@code glow.download}) and client country. */
  public synchronized Map<String, Map<String, Long>> countries() {
    return countries;
  }

  /** The summary as JSON (for tests and scripts). */
  public synchronized ObjectNode toJson() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("sent", sent);
    root.put("accepted", accepted);
    root.put("seconds", Math.round(seconds * 10) / 10.0);
    root.set("by_kind", Json.mapper().valueToTree(statusByKind));
    ObjectNode expected = root.putObject("expected");
    expected.set("lake_rows", Json.mapper().valueToTree(lakeRows));
    expected.put("errors", errors);
    expected.put("duplicates", duplicates);
    expected.set("countries", Json.mapper().valueToTree(countries));
    return root;
  }

  /** A readable table. */
  public synchronized void print(PrintWriter out) {
    out.printf(
        "sent %d submissions in %.1f s (%.0f/s); %d answered 200%n",
        sent, seconds, seconds > 0 ? sent / seconds : 0, accepted);
    out.printf("%-10s %8s  %s%n", "kind", "sent", "by status");
    statusByKind.forEach(
        (kind, st) ->
            out.printf(
                "%-10s %8d  %s%n",
                kind, st.values().stream().mapToLong(Long::longValue).sum(), st));
    out.println("expected downstream (answered 200 only):");
    lakeRows.forEach((t, n) -> out.printf("  lake %-34s %8d rows%n", t, n));
    out.printf("  errors lake %31s %8d rows%n", "", errors);
    out.printf("  dropped duplicates %24s %8d%n", "", duplicates);
    out.flush();
  }
}
