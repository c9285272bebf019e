package org.kindling.bench.common;

import static org.kindling.bench.common.Bench.num;

import java.time.Duration;
import org.kindling.core.Service;

/**
 * Times one stage app over a pre-loaded input, twice over: from its start (group join,
 * transactions, stores included) and from RUNNING, counting only the records it had not yet
 * committed when it got there. CPU time is this process's (the broker runs in a child JVM).
 */
public final class AppTimer {
  /**
   * Records/s over wall time and per CPU-second, from the start and from RUNNING.
   *
   * @param wall records/s from the start
   * @param perCpu records per CPU-second from the start
   * @param steadyWall records/s from RUNNING
   * @param steadyPerCpu records per CPU-second from RUNNING
   */
  public record Result(double wall, double perCpu, double steadyWall, double steadyPerCpu) {}

  /** How many input records the app has committed. */
  @FunctionalInterface
  public interface Progress {
    long committed() throws Exception;
  }

  private AppTimer() {}

  /**
   * Starts {@code app}, waits until {@code done}, prints one line and returns the rates; the app is
   * left running (the caller closes it).
   */
  public static Result time(
      String label,
      long n,
      Service app,
      LocalServers servers,
      Progress progress,
      Offsets.Check done)
      throws Exception {
    long s0 = System.nanoTime();
    long cpu0 = Bench.processCpuNanos();
    long broker0 = servers.cpuNanos();
    long java0 = Bench.javaThreadsCpuNanos("");
    app.start();
    long running = System.nanoTime();
    long cpuRunning = Bench.processCpuNanos();
    long before = progress.committed();
    Offsets.await(Duration.ofMinutes(15), Duration.ofMillis(50), done, label);
    long end = System.nanoTime();
    long cpu = Bench.processCpuNanos();
    long vm = cpu - cpu0 - (Bench.javaThreadsCpuNanos("") - java0);
    long broker = servers.cpuNanos() - broker0;
    double secs = (end - s0) / 1e9;
    double steadySecs = (end - running) / 1e9;
    Result r =
        new Result(
            n / secs,
            n / ((cpu - cpu0) / 1e9),
            (n - before) / steadySecs,
            (n - before) / ((cpu - cpuRunning) / 1e9));
    System.out.printf(
        "%s: %s records in %.2f s = %s rec/s wall, %s rec/s per CPU-s (app CPU %.2f s of which"
            + " JVM GC/JIT %.2f s, broker CPU %.2f s); from RUNNING (%.1f s, %s records already committed): %s rec/s wall,"
            + " %s rec/s per CPU-s (%.2f cores busy)%n",
        label,
        num(n),
        secs,
        num(r.wall()),
        num(r.perCpu()),
        (cpu - cpu0) / 1e9,
        vm / 1e9,
        broker / 1e9,
        (running - s0) / 1e9,
        num(before),
        num(r.steadyWall()),
        num(r.steadyPerCpu()),
        (cpu - cpuRunning) / 1e9 / steadySecs);
    return r;
  }
}
