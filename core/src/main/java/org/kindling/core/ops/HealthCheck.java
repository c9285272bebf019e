package org.kindling.core.ops;

/** One named check reported by {@code /__heartbeat__}. */
public interface HealthCheck {
  /** The check's name in the heartbeat JSON. */
  String name();

  /** The check's current result; must return quickly (it runs on each heartbeat request). */
  Result check();

  /**
   * @param healthy whether the check passes
   * @param detail a short explanation
   */
  record Result(boolean healthy, String detail) {
    public static Result ok(String detail) {
      return new Result(true, detail);
    }

    public static Result failed(String detail) {
      return new Result(false, detail);
    }
  }
}
