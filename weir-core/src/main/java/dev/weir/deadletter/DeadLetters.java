package dev.weir.deadletter;

/**
 * Where a task sets aside the records it cannot process, instead of failing on the first one. A
 * task gets it from {@link dev.weir.task.TaskContext#deadLetters()}; server code (no task context)
 * opens one with {@link DeadLetterSink#open}.
 *
 * <p>A task calls {@link #reject} for each bad record and {@link #handled} for every record it
 * processed, good or bad; the engine writes the letters and checks {@code maxRejected} when the
 * attempt ends. A task that commits its good records somewhere outside the run (a target table)
 * does that through {@link #storeThenCommit}, so that the letters are judged and stored before the
 * target commits: too many bad records, or letters that cannot be stored, leave the target as it
 * was. Without a {@code deadLetter:} setting the sink is {@link #NONE}: {@link #enabled()} is false
 * and the task fails on bad records as it always did.
 */
public interface DeadLetters {
  /** Whether the task has a {@code deadLetter:} setting; when not, a bad record fails the task. */
  boolean enabled();

  /**
   * Sets one record aside. Secrets in it and in the reason are masked before they are written.
   *
   * @param record a map, a Jackson node, a string or any value Jackson can write as JSON
   * @param reason why it could not be processed, e.g. {@code row 17: duplicate key (id)=(3)}
   */
  void reject(Object record, String reason);

  /** A record set aside and why, for {@link #rejectDurably}. */
  record Letter(Object record, String reason) {}

  /**
   * Sets aside records of one batch of a stream at once, durable before this returns, as a batch of
   * letters of their own named {@code part} within the attempt ({@code <run>/<task>-<part>}): the
   * same part set aside again (a batch delivered twice) replaces them instead of doubling them. A
   * stream task calls it before it commits its position in the stream, since letters {@link
   * #reject}ed are kept only when the attempt ends. They count toward {@link #rejected()}.
   *
   * @return where the letters are
   */
  String rejectDurably(String part, java.util.List<Letter> letters);

  /**
   * Judges a share ({@code 5%}) against at least {@code records} handled records: a stream sets it
   * so that the first bad record of a quiet stream is not 100% of it.
   */
  default void shareOfAtLeast(long records) {}

  /** Counts {@code records} more processed records, the bad ones included (for {@code 5%}). */
  void handled(long records);

  long rejected();

  long handledCount();

  /** Where the letters go, e.g. {@code /flows/dead/r1/load-1.jsonl}; empty when disabled. */
  String location();

  /**
   * Whether setting aside {@code more} further records would pass {@code maxRejected} with {@code
   * handled} records in all; a task may stop early rather than set aside more.
   */
  boolean wouldExceed(long more, long handled);

  /**
   * Says this attempt found its work done by an earlier run of the same attempt (an append a
   * resumed run had committed already) or by an earlier attempt (whose commit's reply was lost):
   * the letters that one wrote stay as they are, instead of being replaced by this run's none, and
   * are what this attempt reports.
   */
  void keepEarlier();

  /**
   * Judges {@code maxRejected} and stores the letters, then runs {@code targetCommit} (e.g. {@code
   * conn::commit}); when the database answers that the commit failed ({@link
   * CommitOutcome#clearlyFailed}), withdraws the letters again, so that an attempt whose target did
   * not commit leaves no letters behind. When its outcome is unknown (the connection broke during
   * the commit) the letters stay, and the exception carries a note saying so ({@link
   * CommitOutcome#keptNote}). With nothing set aside, the dead-letter storage is not contacted
   * unless this attempt wrote letters there before. A task calls it in place of its own commit,
   * inside the block that rolls the target back on an exception. No record may be set aside after
   * it.
   *
   * @throws dev.weir.task.TaskFailedException (not retryable) when more records were set aside than
   *     {@code maxRejected} allows: {@code targetCommit} does not run, the letters are kept to see
   *     what was wrong
   * @throws Exception when the letters cannot be stored: {@code targetCommit} does not run
   */
  void storeThenCommit(TargetCommit targetCommit) throws Exception;

  /** The commit of what a task wrote outside the run, e.g. a target table's transaction. */
  @FunctionalInterface
  interface TargetCommit {
    void commit() throws Exception;
  }

  /** Sets nothing aside: {@link #reject} fails, as a bad record did before dead letters. */
  DeadLetters NONE =
      new DeadLetters() {
        @Override
        public boolean enabled() {
          return false;
        }

        @Override
        public void reject(Object record, String reason) {
          throw new IllegalStateException(
              "no deadLetter: setting; check enabled() before setting records aside");
        }

        @Override
        public String rejectDurably(String part, java.util.List<Letter> letters) {
          throw new IllegalStateException(
              "no deadLetter: setting; check enabled() before setting records aside");
        }

        @Override
        public void handled(long records) {}

        @Override
        public long rejected() {
          return 0;
        }

        @Override
        public long handledCount() {
          return 0;
        }

        @Override
        public String location() {
          return "";
        }

        @Override
        public boolean wouldExceed(long more, long handled) {
          return more > 0;
        }

        @Override
        public void keepEarlier() {}

        @Override
        public void storeThenCommit(TargetCommit targetCommit) throws Exception {
          targetCommit.commit();
        }
      };
}
