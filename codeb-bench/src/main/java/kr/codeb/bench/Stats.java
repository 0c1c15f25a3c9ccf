package kr.codeb.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of measured times for the capacity benchmarks. */
final class Stats {
  private Stats() {}

  /** The nearest-rank percentile {@code p} (0-100) of {@code values}; NaN when there are none. */
  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.min(sorted.size(), Math.max(1, rank)) - 1);
  }
}
