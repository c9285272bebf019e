package org.kindling.platform.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.kindling.core.Json;

/** Prints a query result as an aligned table, CSV (RFC 4180) or JSON lines. */
public enum ResultFormat {
  TABLE,
  CSV,
  JSON;

  public void print(LakeQuery.Result r, PrintWriter out) throws JsonProcessingException {
    switch (this) {
      case CSV:
        out.println(String.join(",", r.columns().stream().map(ResultFormat::csv).toList()));
        for (List<Object> row : r.rows()) {
          out.println(String.join(",", row.stream().map(v -> csv(text(v))).toList()));
        }
        break;
      case JSON:
        for (List<Object> row : r.rows()) {
          ObjectNode o = Json.mapper().createObjectNode();
          for (int i = 0; i < row.size(); i++) {
            Object v = row.get(i);
            if (v == null) {
              o.putNull(r.columns().get(i));
            } else if (v instanceof Number || v instanceof Boolean) {
              o.set(r.columns().get(i), Json.mapper().valueToTree(v));
            } else {
              o.put(r.columns().get(i), text(v));
            }
          }
          out.println(Json.mapper().writeValueAsString(o));
        }
        break;
      default:
        table(r, out);
    }
    out.flush();
  }

  private static void table(LakeQuery.Result r, PrintWriter out) {
    int n = r.columns().size();
    int[] width = new int[n];
    List<List<String>> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      width[i] = r.columns().get(i).length();
    }
    for (List<Object> row : r.rows()) {
      List<String> c = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String s = text(row.get(i));
        if (s.length() > 60) {
          s = s.substring(0, 57) + "...";
        }
        width[i] = Math.max(width[i], s.length());
        c.add(s);
      }
      cells.add(c);
    }
    out.println(line(r.columns(), width));
    List<String> rule = new ArrayList<>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    out.println(line(rule, width));
    for (List<String> c : cells) {
      out.println(line(c, width));
    }
    out.printf("(%d row%s)%n", r.rows().size(), r.rows().size() == 1 ? "" : "s");
  }

  private static String line(List<String> values, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append("  ");
      }
      String v = values.get(i);
      b.append(v).append(" ".repeat(Math.max(0, width[i] - v.length())));
    }
    return b.toString().stripTrailing();
  }

  private static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof byte[] bytes) {
      return java.util.Base64.getEncoder().encodeToString(bytes);
    }
    return v.toString();
  }

  private static String csv(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
