package dev.weir.tasks.quality;

import static dev.weir.tasks.duck.Sql.id;

import dev.weir.flow.Durations;
import dev.weir.tasks.duck.DuckSession;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Measures how old the newest value of a freshness check's column is. */
final class FreshnessJudge {
  private FreshnessJudge() {}

  static CheckResult judge(DuckSession duck, Check check, Instant now, Severity severity)
      throws SQLException {
    Freshness f = check.freshness();
    String column = id(f.column());
    long values = duck.queryLong("SELECT count(" + column + ") FROM " + CheckRunner.VIEW);
    if (values == 0) {
      return new CheckResult(
          check.label(),
          check.kind(),
          false,
          0,
          null,
          "no row has a " + f.column() + ", so the data's age is unknown",
          List.of(),
          severity);
    }
    Instant newest =
        Instant.ofEpochMilli(
            duck.queryLong("SELECT epoch_ms(max(" + column + ")) FROM " + CheckRunner.VIEW));
    Duration age = Duration.between(newest, now);
    boolean passed = age.compareTo(f.age()) <= 0;
    String detail =
        "newest "
            + f.column()
            + " is "
            + newest
            + (age.isNegative()
                ? ", in the future"
                : ", " + Durations.format(age.withNanos(0)) + " old")
            + (passed ? "" : ", expected at most " + f.maxAge() + " old at " + now);
    return new CheckResult(
        check.label(),
        check.kind(),
        passed,
        0,
        (double) age.toSeconds(),
        detail,
        List.of(),
        severity);
  }
}
