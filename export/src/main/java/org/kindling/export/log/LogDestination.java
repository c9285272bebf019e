package org.kindling.export.log;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.kindling.core.Json;
import org.kindling.export.Destination;
import org.kindling.export.ErrorJson;
import org.kindling.export.ExportRecord;
import org.kindling.export.Item;
import org.kindling.export.Outcome;
import org.kindling.export.config.DestinationConfig;
import org.kindling.export.config.DestinationKeys;
import org.kindling.export.document.DocumentPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The debug echo worker: one line per record, to the logger {@code kindling.export.<name>} or to
 * standard output, as compact JSON or as a short summary. Enriched documents hold no client
 * address, and error records lose theirs on the way in ({@link org.kindling.export.ReadRecord}), so
 * nothing printed identifies a network address. Writing a line cannot fail, so every batch is
 * delivered on the first attempt.
 */
public final class LogDestination implements Destination {
  private static final DocumentPath COUNTRY = DocumentPath.parse("metadata.geo.country");
  private static final DocumentPath OS = DocumentPath.parse("metadata.user_agent.os");

  private final boolean json;
  private final Logger logger;
  private final PrintStream out;
  private final String target;

  /**
   * @param logger the logger lines go to, or null for {@code out}
   * @param out where lines go when there is no logger
   */
  LogDestination(boolean json, Logger logger, PrintStream out, String target) {
    this.json = json;
    this.logger = logger;
    this.out = out;
    this.target = target;
  }

  /** The destination of {@code c}. */
  public static LogDestination create(DestinationConfig c, PrintStream stdout) {
    boolean json = "json".equals(c.getString(DestinationKeys.LOG_FORMAT));
    if ("stdout".equals(c.getString(DestinationKeys.LOG_OUTPUT))) {
      return new LogDestination(json, null, stdout, "standard output");
    }
    String name = "kindling.export." + c.name();
    return new LogDestination(json, LoggerFactory.getLogger(name), stdout, "logger " + name);
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public byte[] encode(ExportRecord r) {
    String line;
    try {
      if (json) {
        JsonNode n = r.isError() ? ErrorJson.of(r) : r.document();
        line =
            n == null
                ? new String(r.value(), StandardCharsets.UTF_8).replaceAll("[\\r\\n]+", " ")
                : Json.mapper().writeValueAsString(n);
      } else {
        line = summary(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return line.getBytes(StandardCharsets.UTF_8);
  }

  private static String summary(ExportRecord r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.isError() ? "error " : "").append(r.doctype()).append(' ').append(r.id());
    sb.append(' ').append(r.time());
    if (r.isError()) {
      sb.append(" stage=").append(r.failure().stage());
      sb.append(" error_type=").append(r.failure().errorType());
      String m = r.failure().errorMessage();
      if (m != null) {
        sb.append(" message=").append(m.replaceAll("[\\r\\n]+", " "));
      }
    } else if (r.document() != null) {
      sb.append(" country=").append(COUNTRY.text(r.document()));
      sb.append(" os=").append(OS.text(r.document()));
    }
    return sb.toString();
  }

  @Override
  public Outcome send(List<Item> batch) {
    for (Item item : batch) {
      String line = new String(item.encoded(), StandardCharsets.UTF_8);
      if (logger != null) {
        logger.info("{}", line);
      } else {
        out.println(line);
      }
    }
    if (logger == null) {
      out.flush();
    }
    return Outcome.DELIVERED;
  }
}
