package org.kindling.bench.common;

import java.util.List;

/**
 * Medians of several {@link AppTimer.Result}s, figure by figure.
 *
 * @param wall records/s from the start
 * @param perCpu records per CPU-second from the start
 * @param steadyWall records/s from RUNNING
 * @param steadyPerCpu records per CPU-second from RUNNING
 * @param rounds the rounds' records/s from RUNNING, for the report
 */
public record Medians(
    double wall, double perCpu, double steadyWall, double steadyPerCpu, String rounds) {
  public static Medians of(List<AppTimer.Result> results) {
    return new Medians(
        Bench.median(results.stream().map(AppTimer.Result::wall).toList()),
        Bench.median(results.stream().map(AppTimer.Result::perCpu).toList()),
        Bench.median(results.stream().map(AppTimer.Result::steadyWall).toList()),
        Bench.median(results.stream().map(AppTimer.Result::steadyPerCpu).toList()),
        Bench.list(results.stream().map(AppTimer.Result::steadyWall).toList()));
  }
}
