package org.kindling.platform.simulate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The share of each kind of submission, parsed from {@code downloads=70,shares=10,...}. */
public final class Mix {
  /** The kinds, with the plural names the command line accepts. */
  static final Map<String, String> KINDS =
      Map.of(
          "downloads", "download",
          "shares", "share",
          "telemetry", "telemetry",
          "glean", "glean",
          "service", "service",
          "invalid", "invalid",
          "duplicates", "duplicate");

  /** The default: mostly Glow traffic, with every other kind present. */
  public static final String DEFAULT =
      "downloads=55,shares=10,telemetry=15,glean=5,service=5,invalid=5,duplicates=5";

  private final Map<String, Integer> weights;
  private final int total;

  private Mix(Map<String, Integer> weights) {
    this.weights = weights;
    this.total = weights.values().stream().mapToInt(Integer::intValue).sum();
    if (total <= 0) {
      throw new IllegalArgumentException("the mix needs at least one kind with a positive share");
    }
  }

  /** Parses {@code kind=weight,...}; kinds not named get no traffic. */
  public static Mix parse(String text) {
    Map<String, Integer> w = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      String[] kv = p.split("=", 2);
      String kind = KINDS.get(kv[0].trim());
      if (kind == null || kv.length != 2) {
        throw new IllegalArgumentException(
            "bad mix entry '"
                + p
                + "': use kind=weight with kind one of "
                + List.copyOf(KINDS.keySet()));
      }
      int weight;
      try {
        weight = Integer.parseInt(kv[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad weight in mix entry '" + p + "'", e);
      }
      if (weight < 0) {
        throw new IllegalArgumentException("negative weight in mix entry '" + p + "'");
      }
      w.put(kind, weight);
    }
    return new Mix(w);
  }

  /** A kind drawn with the mix's weights. */
  public String draw(Random random) {
    int r = random.nextInt(total);
    for (Map.Entry<String, Integer> e : weights.entrySet()) {
      r -= e.getValue();
      if (r < 0) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("unreachable");
  }
}
