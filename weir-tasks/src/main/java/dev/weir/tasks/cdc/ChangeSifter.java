package dev.weir.tasks.cdc;

import dev.weir.deadletter.DeadLetters;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import dev.weir.tasks.jdbc.RowErrors;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies a batch, and with a {@code deadLetter:} setting sets aside the changes the target refuses
 * (a constraint, a value it cannot take) instead of stopping the stream: halves of the batch are
 * written in transactions that are rolled back, down to single changes, until the refused ones are
 * known; the rest are applied in one transaction and the refused ones written as dead letters,
 * durably, before the stream commits its position. Any other error (a lost connection) is thrown as
 * it was, and nothing is set aside.
 */
final class ChangeSifter {
  /** The most trial writes one batch may take to find its bad changes. */
  static final int DEFAULT_BUDGET = 1_000;

  /**
   * A share ({@code 5%}) of a stream is of the changes since the attempt started, but of at least
   * this many: the first bad change of a quiet stream is not 100% of it.
   */
  static final long SHARE_BASE = 1_000;

  // good changes that only clash with each other are found by sifting the good ones again
  private static final int ROUNDS = 3;

  private final BatchApplier applier;
  private final DeadLetters letters;
  private final int budget;
  private final TaskLogger log;
  private final TargetTables tables;

  ChangeSifter(
      BatchApplier applier, DeadLetters letters, int budget, TaskLogger log, TargetTables tables) {
    this.applier = applier;
    this.letters = letters;
    this.budget = budget;
    this.log = log;
    this.tables = tables;
    letters.shareOfAtLeast(SHARE_BASE);
  }

  /** Ends a write in flight at once (see {@link BatchApplier#abort}). */
  void abort() {
    applier.abort();
  }

  /** A change the target refused, and the database's message. */
  record Refused(Change change, String reason) {}

  /**
   * Applies {@code changes} in one transaction, minus those the target refuses when the task sets
   * records aside; returns the rows written.
   *
   * @throws SQLException when the target fails otherwise, or refuses a change without deadLetter
   * @throws TaskFailedException when setting the refused changes aside would pass maxRejected
   */
  int apply(List<Change> changes, OffsetDateTime now) throws SQLException {
    if (letters.enabled()) {
      letters.handled(changes.size());
    }
    SQLException refused;
    try {
      return applier.apply(changes, now);
    } catch (SQLException e) {
      if (!letters.enabled() || !RowErrors.isRowError(e)) {
        throw e;
      }
      refused = e;
    }
    log.warn(
        "the target refused a batch of "
            + changes.size()
            + " changes ("
            + RowErrors.oneLine(refused)
            + "); finding the changes it refuses to set them aside");
    List<Change> good = BatchApplier.units(changes);
    var bad = new ArrayList<Refused>();
    var tries = new int[] {0};
    for (int round = 1; ; round++) {
      var next = new ArrayList<Change>();
      split(good, refused, next, bad, now, tries);
      good = next;
      judge(bad);
      try {
        int written = good.isEmpty() ? 0 : applier.apply(good, now);
        setAside(bad);
        return written;
      } catch (SQLException e) {
        if (!RowErrors.isRowError(e) || round == ROUNDS) {
          throw e;
        }
        refused = e;
      }
    }
  }

  // `changes` are known to fail with `error` together; sorts them into good and bad
  private void split(
      List<Change> changes,
      SQLException error,
      List<Change> good,
      List<Refused> bad,
      OffsetDateTime now,
      int[] tries)
      throws SQLException {
    if (changes.size() == 1) {
      bad.add(new Refused(changes.getFirst(), RowErrors.oneLine(error)));
      return;
    }
    int mid = changes.size() / 2;
    for (List<Change> half :
        List.of(changes.subList(0, mid), changes.subList(mid, changes.size()))) {
      if (++tries[0] > budget) {
        throw new TaskFailedException(
            "cannot apply a batch of changes: the target refuses some ("
                + RowErrors.oneLine(error)
                + "), and finding them took more than "
                + budget
                + " trial writes ("
                + bad.size()
                + " found so far); nothing of the batch was applied. Fix the target or the data,"
                + " or set a smaller maxBatch",
            false,
            Map.of(),
            error);
      }
      SQLException e = applier.trial(half, now);
      if (e == null) {
        good.addAll(half);
      } else if (!RowErrors.isRowError(e)) {
        throw e;
      } else {
        split(half, e, good, bad, now, tries);
      }
    }
  }

  private void judge(List<Refused> bad) {
    if (bad.isEmpty() || !letters.wouldExceed(bad.size(), letters.handledCount())) {
      return;
    }
    Refused first = bad.getFirst();
    throw new TaskFailedException(
        "cannot apply the "
            + op(first.change())
            + " of "
            + first.change().table()
            + " key "
            + key(first.change())
            + " to "
            + tables.name(first.change().table())
            + ": "
            + first.reason()
            + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more changes of the batch)" : "")
            + "; setting it aside would go over deadLetter.maxRejected ("
            + letters.rejected()
            + " changes set aside since the stream started, of "
            + letters.handledCount()
            + "). Nothing of this batch was applied and the stream stopped before it: fix the"
            + " target (or the source rows) and run again, or raise deadLetter.maxRejected",
        false,
        Map.of(),
        null);
  }

  private void setAside(List<Refused> bad) {
    if (bad.isEmpty()) {
      return;
    }
    var out = new ArrayList<DeadLetters.Letter>();
    var id = new StringBuilder();
    for (Refused r : bad) {
      out.add(new DeadLetters.Letter(ChangeRecord.of(r.change()), r.reason()));
      Change c = r.change();
      id.append(c.table())
          .append(c.op())
          .append(c.key())
          .append(c.sourceMillis())
          .append(java.util.Arrays.deepToString(c.values()))
          .append('\n');
    }
    // named by its changes: the same batch delivered again (after a crash) replaces its letters
    String part = "cdc-" + dev.weir.util.Hashes.sha256(id.toString()).substring(0, 12);
    String where = letters.rejectDurably(part, out);
    Refused first = bad.getFirst();
    log.warn(
        "set aside "
            + bad.size()
            + " change(s) the target refuses as dead letters in "
            + where
            + " (first: "
            + op(first.change())
            + " of "
            + first.change().table()
            + " key "
            + key(first.change())
            + ": "
            + first.reason()
            + "); the stream goes on");
  }

  private static String op(Change c) {
    return c.op().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code (id)=(5)}, as PostgreSQL names a key. */
  static String key(Change c) {
    var values = new ArrayList<String>();
    for (Object v : c.key()) {
      values.add(String.valueOf(ChangeRecord.plain(v)));
    }
    return "(" + String.join(", ", c.keyColumns()) + ")=(" + String.join(", ", values) + ")";
  }
}
